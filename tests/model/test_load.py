"""load_model / load_tokenizer: quantization modes, adapters, encoder-decoder detection."""

from __future__ import annotations

import bitsandbytes as bnb
import pytest
import torch

from budgetai.model.load import (
    full_precision_linear_layers,
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


def test_layers_that_do_not_fit_four_bit_blocks_stay_in_full_precision(narrow_llama_dir):
    model = load_model(narrow_llama_dir, "nf4")
    mlp = model.model.layers[0].mlp
    assert type(mlp.up_proj).__name__ == "Linear4bit"  # 64 inputs, 96 outputs: fits
    assert type(mlp.down_proj) is torch.nn.Linear  # 96 inputs: not a multiple of the 64-value block
    assert full_precision_linear_layers(model) == ["model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj"]
    assert type(model.lm_head) is torch.nn.Linear  # transformers' own skip list still applies
    enc = load_tokenizer(narrow_llama_dir)("main = pure ()", return_tensors="pt")
    model.eval()
    with torch.no_grad():  # eval without grad: the pass that repacks weights on AVX512-BF16 CPUs
        assert torch.isfinite(model(**enc).logits).all()


def test_no_layer_of_a_real_model_is_left_in_full_precision(smollm2_dir):
    from transformers import AutoConfig, AutoModelForCausalLM

    with torch.device("meta"):
        skeleton = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(smollm2_dir))
    assert full_precision_linear_layers(skeleton) == []


@pytest.mark.skipif(not bnb.functional.has_avx512bf16(),
                    reason="this CPU has no AVX512-BF16: bitsandbytes never repacks 4-bit weights here")
def test_packed_cpu_kernel_gives_the_logits_of_the_unpacked_weights(tiny_llama_dir):
    """On AVX512-BF16 CPUs bitsandbytes repacks 4-bit weights for a faster kernel the first time a
    layer runs in eval mode without grad; a training-mode pass uses the unpacked weights."""
    model = load_model(tiny_llama_dir, "nf4", "bfloat16")
    enc = load_tokenizer(tiny_llama_dir)("map (+1) [1,2,3]", return_tensors="pt")
    q_proj = model.model.layers[0].self_attn.q_proj
    model.train()
    with torch.no_grad():
        unpacked = model(**enc).logits.float().softmax(-1)
    assert not getattr(q_proj.weight.quant_state, "packing_format_for_cpu", False)
    model.eval()
    with torch.no_grad():
        packed = model(**enc).logits.float().softmax(-1)
    assert q_proj.weight.quant_state.packing_format_for_cpu
    assert (packed - unpacked).abs().max() < 0.02
