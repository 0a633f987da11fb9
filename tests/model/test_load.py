"""load_model / load_tokenizer: quantization modes, adapters, encoder-decoder detection."""

from __future__ import annotations

import pytest
import torch

from budgetai.model.load import (
    is_encoder_decoder,
    load_model,
    load_tokenizer,
    local_device,
    quantization_config,
)
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.


def test_quantization_config_modes():
    assert quantization_config("none") is None
    assert quantization_config("int8").load_in_8bit
    nf4 = quantization_config("nf4", "bfloat16")
    assert nf4.load_in_4bit and nf4.bnb_4bit_quant_type == "nf4" and nf4.bnb_4bit_use_double_quant
    assert nf4.bnb_4bit_compute_dtype == torch.bfloat16
    with pytest.raises(ValueError, match="'q3'"):
        quantization_config("q3")


def test_local_device_is_cpu_without_cuda(monkeypatch):
    monkeypatch.setenv("LOCAL_RANK", "3")
    if not torch.cuda.is_available():
        assert local_device() == torch.device("cpu")


@pytest.mark.parametrize("quantization,layer", [("nf4", "Linear4bit"), ("int8", "Linear8bitLt"), ("none", "Linear")])
def test_load_model_quantizes_linear_layers(tiny_llama_dir, quantization, layer):
    model = load_model(tiny_llama_dir, quantization)
    assert type(model.model.layers[0].mlp.up_proj).__name__ == layer
    assert not is_encoder_decoder(tiny_llama_dir)
    enc = load_tokenizer(tiny_llama_dir)("main = pure ()", return_tensors="pt")
    with torch.no_grad():
        out = model(**enc).logits
    assert torch.isfinite(out).all()


def test_nf4_logits_stay_close_to_float(tiny_llama_dir):
    tokenizer = load_tokenizer(tiny_llama_dir)
    enc = tokenizer("map (+1) [1,2,3]", return_tensors="pt")
    with torch.no_grad():
        full = load_model(tiny_llama_dir, "none")(**enc).logits.softmax(-1)
        nf4 = load_model(tiny_llama_dir, "nf4")(**enc).logits.softmax(-1)
    assert (full - nf4).abs().max() < 0.05


def test_load_tokenizer_sets_a_pad_token(tiny_llama_dir, tmp_path):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_llama_dir)
    tok.pad_token = None
    tok.save_pretrained(tmp_path)
    assert load_tokenizer(tmp_path).pad_token == tok.eos_token


def test_missing_model_dir_fails_with_the_path(tmp_path):
    with pytest.raises(OSError, match="nothing-here"):
        load_model(tmp_path / "nothing-here")


MAPPED_AFTER_LOAD = """
import gc, sys
from budgetai.model.load import load_model
model = load_model(sys.argv[1], sys.argv[2])
gc.collect()
print(sum("model.safetensors" in line for line in open("/proc/self/maps")))
"""


@pytest.mark.parametrize("quantization", ["nf4", "int8"])
def test_a_quantized_cpu_model_does_not_keep_its_checkpoint_file_mapped(tiny_llama_dir, quantization):
    """Otherwise every page of the file that quantization read stays in the process's RSS."""
    import subprocess
    import sys

    if torch.cuda.is_available():
        pytest.skip("on a GPU the weights leave host memory anyway")
    out = subprocess.run([sys.executable, "-c", MAPPED_AFTER_LOAD, str(tiny_llama_dir), quantization],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == "0"
