"""Batched vs one-at-a-time generation throughput, in one run, on the default base model.

    .venv/bin/python bench/generation.py [--prompts 16] [--max-new-tokens 96] [--batch-size 8]

Prompts are the problem statements of resources/problems (the evaluation's real workload).
Prints generated tokens/s for both modes and their ratio (target: batched >= 3x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from budgetai.evaluate.generation import GenerationConfig, generate
from budgetai.evaluate.prompts import build_messages
from budgetai.evaluate.suites import load_suite
from budgetai.model.load import load_model, load_tokenizer
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
    model, tokenizer = load_model(path), load_tokenizer(path)
    model.eval()
    problems = load_suite(REPO / "resources" / "problems" / "problems.jsonl", "stdio")[: args.prompts]
    conversations = [build_messages(p) for p in problems]
    throughput(model, tokenizer, conversations[:2], 2, 8)  # warm-up
    one_rate, one_tokens, one_s = throughput(model, tokenizer, conversations, 1, args.max_new_tokens)
    batch_rate, batch_tokens, batch_s = throughput(model, tokenizer, conversations, args.batch_size, args.max_new_tokens)
    print(f"{'mode':<22}{'tokens':>8}{'seconds':>10}{'tokens/s':>10}")
    print(f"{'one at a time':<22}{one_tokens:>8}{one_s:>10.1f}{one_rate:>10.1f}")
    print(f"{f'batched (bs={args.batch_size})':<22}{batch_tokens:>8}{batch_s:>10.1f}{batch_rate:>10.1f}")
    print(f"ratio batched / one-at-a-time: {batch_rate / one_rate:.2f}x (target >= 3x)")


if __name__ == "__main__":
    main()
