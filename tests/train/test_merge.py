"""merge_adapter: the merged float model computes what base + adapter compute."""

from __future__ import annotations

import pytest
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

from budgetai.train.merge import merge_adapter
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.


def logits(model, tokenizer) -> torch.Tensor:
    enc = tokenizer(["main = print (sum [1..10])", "f x = x"], return_tensors="pt", padding=True)
    with torch.no_grad():
        return model.eval()(**enc).logits


def test_merged_model_logits_equal_base_plus_adapter(tiny_llama_dir, tmp_path):
    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(tiny_llama_dir)
    # init_lora_weights=False: random A and B, so the adapter is not a no-op before training.
    adapter = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False))
    adapter.save_pretrained(tmp_path / "adapter")
    tokenizer = AutoTokenizer.from_pretrained(tiny_llama_dir)

    out = merge_adapter(tiny_llama_dir, tmp_path / "adapter", tmp_path / "merged")
    merged = AutoModelForCausalLM.from_pretrained(out)
    with_adapter = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_llama_dir), tmp_path / "adapter")
    plain = AutoModelForCausalLM.from_pretrained(tiny_llama_dir)

    torch.testing.assert_close(logits(merged, tokenizer), logits(with_adapter, tokenizer), rtol=1e-4, atol=1e-4)
    assert not torch.allclose(logits(merged, tokenizer), logits(plain, tokenizer), atol=1e-3)
    assert not any("lora" in name for name, _ in merged.named_parameters())
    assert (out / "tokenizer_config.json").exists() and (out / "model.safetensors").exists()


def test_merge_refuses_a_missing_adapter(tiny_llama_dir, tmp_path):
    with pytest.raises((FileNotFoundError, ValueError, OSError)):
        merge_adapter(tiny_llama_dir, tmp_path / "no-adapter", tmp_path / "merged")
