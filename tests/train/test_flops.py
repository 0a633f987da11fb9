"""Training FLOP accounting: the matmul parameters counted from layer shapes, whatever wraps or
quantizes the layers, and the machine's matmul throughput as a positive measured figure."""

from __future__ import annotations

from peft import LoraConfig, get_peft_model

from budgetai.model.load import load_model
from budgetai.model.precision import matmul_gflops
from budgetai.train.flops import matmul_parameters, training_flops

# tiny_llama_dir: hidden 64, MLP 128, 2 layers, 4 query heads and 2 key/value heads of 16.
PER_LAYER = 64 * 64 + 64 * 32 + 64 * 32 + 64 * 64 + 3 * 64 * 128


def test_matmul_parameters_of_the_tiny_llama(tiny_llama_dir):
    model = load_model(tiny_llama_dir, compute_dtype="float32")
    vocab = model.config.vocab_size
    assert matmul_parameters(model) == (2 * PER_LAYER, 64 * vocab)
    assert training_flops(model, processed_tokens=10, logit_positions=3) == 4 * (2 * PER_LAYER * 10 + 64 * vocab * 3)


def test_lora_adapters_and_four_bit_packing_do_not_change_the_count(tiny_llama_dir):
    plain = matmul_parameters(load_model(tiny_llama_dir, compute_dtype="float32"))
    quantized = load_model(tiny_llama_dir, "nf4", "float32")
    adapted = get_peft_model(quantized, LoraConfig(r=4, target_modules="all-linear"))
    assert matmul_parameters(adapted) == plain


def test_the_matmul_probe_measures_a_throughput():
    assert matmul_gflops("float32", shape=(64, 64, 64), seconds=0.01) > 0
