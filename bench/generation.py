"""Batched vs one-at-a-time generation throughput, and bf16 vs float32 weights, in one run, on the
default base model.

    .venv/bin/python bench/generation.py [--prompts 16] [--max-new-tokens 96] [--batch-size 8]

Prompts are the problem statements of resources/problems (the evaluation's real workload).
Prints generated tokens/s of both modes in float32 and their ratio (target: batched >= 3x), then
batched generation with bf16 weights (what compute_dtype auto picks on AVX512-BF16/AMX CPUs) and
its ratio to float32, with the CPU's flags. On other CPUs bf16 is emulated: expect a ratio < 1.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from budgetai.evaluate.generation import GenerationConfig, generate
from budgetai.evaluate.prompts import build_messages
from budgetai.suites.load import load_suite
from budgetai.model.load import load_model, load_tokenizer
from budgetai.model.precision import cpu_flags, resolve_compute_dtype
from default_model import model_dir  # bench/, beside this script

REPO = Path(__file__).resolve().parents[1]


def throughput(model, tokenizer, conversations, batch_size: int, max_new_tokens: int) -> tuple[float, int, float]:
    cfg = GenerationConfig(max_new_tokens=max_new_tokens, batch_size=batch_size)
    started = time.perf_counter()
    outputs = generate(model, tokenizer, conversations, cfg)
    seconds = time.perf_counter() - started
    tokens = sum(len(tokenizer(texts[0], add_special_tokens=False)["input_ids"]) for texts in outputs)
    return tokens / seconds, tokens, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--prompts", type=int, default=16)
    parser.add_argument("--max-new-tokens", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    path = model_dir(args.model)
    tokenizer = load_tokenizer(path)
    problems = load_suite(REPO / "resources" / "problems" / "problems.jsonl", "stdio")[: args.prompts]
    conversations = [build_messages(p) for p in problems]
    flags = sorted(cpu_flags() & {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"})
    print(f"CPU flags: {' '.join(flags) or 'none of avx2/avx512/amx'}; compute_dtype auto -> {resolve_compute_dtype('auto')}")
    print(f"{'mode':<30}{'tokens':>8}{'seconds':>10}{'tokens/s':>10}")
    batched = {}
    for dtype in ("float32", "bfloat16"):
        model = load_model(path, compute_dtype=dtype).eval()
        throughput(model, tokenizer, conversations[:2], 2, 8)  # warm-up
        if dtype == "float32":
            one_rate, one_tokens, one_s = throughput(model, tokenizer, conversations, 1, args.max_new_tokens)
            print(f"{'one at a time, float32':<30}{one_tokens:>8}{one_s:>10.1f}{one_rate:>10.1f}")
        rate, tokens, seconds = throughput(model, tokenizer, conversations, args.batch_size, args.max_new_tokens)
        batched[dtype] = rate
        print(f"{f'batched (bs={args.batch_size}), {dtype}':<30}{tokens:>8}{seconds:>10.1f}{rate:>10.1f}")
        del model
    print(f"ratio batched / one-at-a-time (float32): {batched['float32'] / one_rate:.2f}x (target >= 3x)")
    print(f"ratio bf16 / float32 (batched): {batched['bfloat16'] / batched['float32']:.2f}x")


if __name__ == "__main__":
    main()
