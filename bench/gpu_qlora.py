"""QLoRA on a 7B-shape Llama on one GPU: peak GPU memory and tokens/s at 2048 tokens.

    .venv/bin/python bench/gpu_qlora.py [--steps 5] [--seq-len 2048] [--rank 16]

No download: the model (hidden 4096, 32 layers, intermediate 11008, vocab 32000 — Llama-2-7B's
shape) is built on the meta device and every decoder Linear is created directly as a bitsandbytes
NF4 Linear4bit (double quantization) from random bf16 weights, one layer at a time, so the full
bf16 model (13 GB) never exists. Embeddings, norms and the LM head stay bf16 and frozen.
LoRA r=16 on all linear layers, non-reentrant activation checkpointing, paged 8-bit AdamW:
the recipe's GPU setup. Target: peak torch.cuda.max_memory_allocated <= 7.4 GiB.
Exits with status 2 and a message when there is no CUDA GPU.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

TARGET_GIB = 7.4
SHAPE = dict(hidden_size=4096, num_hidden_layers=32, intermediate_size=11008, vocab_size=32000,
             num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=4096)


def nf4_linear(linear: torch.nn.Linear, device) -> torch.nn.Module:
    """A frozen NF4 Linear4bit with the shape of `linear` (a meta module) and random weights."""
    import bitsandbytes as bnb

    with torch.device("meta"):
        layer = bnb.nn.Linear4bit(linear.in_features, linear.out_features, bias=False,
                                  compute_dtype=torch.bfloat16, compress_statistics=True, quant_type="nf4")
    weight = torch.randn(linear.out_features, linear.in_features, device=device, dtype=torch.bfloat16) * 0.02
    # .to(device) on an unquantized Params4bit quantizes it; the bf16 tensor is freed right after.
    layer.weight = bnb.nn.Params4bit(weight, requires_grad=False, compress_statistics=True, quant_type="nf4",
                                     module=layer).to(device)
    return layer


def build_model(device):
    from accelerate import init_empty_weights
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(**SHAPE, dtype=torch.bfloat16)
    with init_empty_weights():  # parameters on meta; buffers (rotary inv_freq) stay real
        model = LlamaForCausalLM(config)
    for layer in model.model.layers:
        for parent in (layer.self_attn, layer.mlp):
            for name, child in list(parent.named_children()):
                if isinstance(child, torch.nn.Linear):
                    setattr(parent, name, nf4_linear(child, device))
        for norm in (layer.input_layernorm, layer.post_attention_layernorm):
            norm.weight = torch.nn.Parameter(torch.ones(SHAPE["hidden_size"], device=device, dtype=torch.bfloat16),
                                             requires_grad=False)
    model.model.norm.weight = torch.nn.Parameter(torch.ones(SHAPE["hidden_size"], device=device, dtype=torch.bfloat16),
                                                 requires_grad=False)
    for module in (model.model.embed_tokens, model.lm_head):
        module.weight = torch.nn.Parameter(
            torch.randn(module.weight.shape, device=device, dtype=torch.bfloat16) * 0.02, requires_grad=False)
    model.model.rotary_emb.to(device)
    model.is_loaded_in_4bit = True  # what from_pretrained sets for bnb models; peft reads it
    return model


def add_lora(model, rank: int):
    from peft import LoraConfig, get_peft_model

    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.config.use_cache = False
    config = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules="all-linear",
                        task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def train(model, steps: int, seq_len: int, batch_size: int, device) -> float:
    """Tokens/s over the steps after the first (warm-up: kernel selection, paged buffers)."""
    import bitsandbytes as bnb

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = bnb.optim.PagedAdamW8bit(params, lr=2e-4)
    generator = torch.Generator(device=device).manual_seed(0)
    model.train()
    started = None
    for step in range(steps):
        if step == 1:
            torch.cuda.synchronize()
            started = time.perf_counter()
        ids = torch.randint(0, SHAPE["vocab_size"], (batch_size, seq_len), device=device, generator=generator)
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        print(f"step {step}: loss {loss.item():.3f}", flush=True)
    torch.cuda.synchronize()
    return (steps - 1) * batch_size * seq_len / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--seq-len", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--rank", type=int, default=16)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("gpu_qlora: no CUDA GPU visible (torch.cuda.is_available() is False); this benchmark "
              "measures GPU memory and needs one. Run it on a GPU node, e.g. via the slurm profile.",
              file=sys.stderr)
        return 2
    if args.steps < 2:
        parser.error("--steps must be at least 2 (the first step is warm-up)")
    device = torch.device("cuda", torch.cuda.current_device())
    model = add_lora(build_model(device), args.rank)
    trainable, total = model.get_nb_trainable_parameters()
    print(f"{torch.cuda.get_device_name(device)}; trainable {trainable:,} of {total:,} parameters")
    built_gib = torch.cuda.max_memory_allocated(device) / 2**30
    tokens_per_s = train(model, args.steps, args.seq_len, args.batch_size, device)
    peak_gib = torch.cuda.max_memory_allocated(device) / 2**30
    print(f"peak after building: {built_gib:.2f} GiB")
    print(f"peak GPU memory: {peak_gib:.2f} GiB (target <= {TARGET_GIB} GiB: {'met' if peak_gib <= TARGET_GIB else 'MISSED'})")
    print(f"tokens/s: {tokens_per_s:.0f} at {args.seq_len} tokens x batch {args.batch_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
