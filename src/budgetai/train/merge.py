"""Export a merged model: base + LoRA adapter -> one safetensors checkpoint.

The base is loaded in floating point (never 4-bit): merging LoRA deltas into NF4 weights would
re-quantize them and lose most of what the adapter learned — the known QLoRA merge pitfall.
"""

from __future__ import annotations

from pathlib import Path

from budgetai.model.load import load_model, load_tokenizer


def merge_adapter(model_dir, adapter_dir, out_dir, dtype: str = "float32") -> Path:
    model = load_model(model_dir, quantization="none", compute_dtype=dtype, adapter_dir=adapter_dir)
    merged = model.merge_and_unload()
    out = Path(out_dir)
    merged.save_pretrained(out, safe_serialization=True)
    load_tokenizer(adapter_dir if (Path(adapter_dir) / "tokenizer_config.json").exists() else model_dir).save_pretrained(out)
    return out
