"""Evaluation's generation, today's path against the new one, on a default suite, in one run.

    .venv/bin/python bench/generation.py [--suite functions] [--batch-sizes 8,48] [--rounds 1] [--threads N]

baseline: what evaluation ran before issue 27, kept here verbatim: left-padded batches of 8
          through `model.generate` to max_new_tokens (the suites' stop sequences were not passed).
new:      budgetai.evaluate.generation.generate as the runner calls it for executable suites: the
          answer ends where its fenced block closes, finished rows leave the batch; once per
          --batch-sizes entry (at 8 its batches hold the baseline's rows, padded alike).
Both greedy, compute_dtype auto, each in its own subprocess (so its peak RSS is its own);
--rounds 2 alternates baseline, new, baseline, new (the 2-core machine is shared: a single pair
can be skewed by a neighbour's load, printed from `uptime` before every run). --threads sets
torch's threads in every run: on a machine loaded past its cores, 2 OpenMP threads wait on each
other (a decode step measured 10x slower than with 1); CPU seconds are printed beside wall time.
Prints generated tokens/s, answer tokens/s (tokens of the text up to the end of the answer, the
same cut applied to both, so this ratio is the wall-time ratio for the same answers), the ratio
new / baseline (target >= 4x on the function suite), and how many answers are identical: the new
answer equals the baseline's cut at the end of its answer, and the extracted code is the same.
Each difference is shown with the first token where the two decodings part and the two tokens'
logits there, recomputed for that row alone: a gap within bf16's rounding is a dtype tie.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import torch

from budgetai.evaluate.generation import GenerationConfig, finished_text, generate
from budgetai.evaluate.prompts import build_messages
from budgetai.haskell.fences import extract_code
from budgetai.model.chat_format import render_prompt
from budgetai.model.load import load_model, load_tokenizer
from budgetai.model.precision import cpu_flags, resolve_compute_dtype
from budgetai.suites.load import load_suite
from default_model import model_dir  # bench/, beside this script

REPO = Path(__file__).resolve().parents[1]
SUITES = {"functions": ("resources/functions/functions.jsonl", "multipl-e"),
          "problems": ("resources/problems/problems.jsonl", "stdio")}
BASELINE_BATCH = 8  # config/config.yaml's evaluation.generation.batch_size before issue 27


@torch.inference_mode()
def baseline_generate(model, tokenizer, conversations, max_new_tokens: int) -> list[str]:
    """Evaluation's generation before issue 27 (greedy, one sample per prompt)."""
    tokenizer.padding_side = "left"
    texts = [render_prompt(tokenizer, c) for c in conversations]
    jobs = sorted(enumerate(texts), key=lambda job: len(job[1]))
    outputs = [""] * len(texts)
    for start in range(0, len(jobs), BASELINE_BATCH):
        batch = jobs[start : start + BASELINE_BATCH]
        enc = tokenizer([t for _, t in batch], return_tensors="pt", padding=True,
                        add_special_tokens=not bool(tokenizer.chat_template))
        generated = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, temperature=None,
                                   top_p=None, top_k=None, pad_token_id=tokenizer.pad_token_id)
        for (index, _), tokens in zip(batch, generated[:, enc["input_ids"].shape[1] :]):
            outputs[index] = tokenizer.decode(tokens, skip_special_tokens=True)
    return outputs


def answer_config(args) -> GenerationConfig:
    return GenerationConfig(max_new_tokens=args.max_new_tokens, batch_size=args.batch_size or BASELINE_BATCH,
                            stop_at_closed_fence=True)


def worker(args) -> dict:
    """One timed run in this process: its answers, token counts and peak RSS."""
    path, fmt = SUITES[args.suite]
    problems = load_suite(REPO / path, fmt)[: args.prompts]
    conversations = [build_messages(p) for p in problems]
    tokenizer = load_tokenizer(args.model)
    model = load_model(args.model, compute_dtype="auto").eval()
    started, cpu_started = time.perf_counter(), time.process_time()
    if args.worker == "baseline":
        texts = baseline_generate(model, tokenizer, conversations, args.max_new_tokens)
    else:
        texts = [t[0] for t in generate(model, tokenizer, conversations, answer_config(args))]
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    count = lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])  # noqa: E731
    cfg = answer_config(args)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "texts": {p.id: t for p, t in zip(problems, texts)},
            "generated_tokens": sum(map(count, texts)),
            "answer_tokens": sum(count(finished_text(t, cfg)) for t in texts),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def spawn(name: str, args) -> dict:
    load = os.getloadavg()[0]
    worker_name, batch_size = (name, BASELINE_BATCH) if name == "baseline" else name.split("@")
    command = [sys.executable, __file__, "--worker", worker_name, "--model", str(args.model), "--suite", args.suite,
               "--max-new-tokens", str(args.max_new_tokens), "--batch-size", str(batch_size)]
    command += ["--threads", str(args.threads)] if args.threads else []
    command += ["--prompts", str(args.prompts)] if args.prompts else []
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"worker {name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = load
    return result


def first_divergence(tokenizer, old: str, new: str) -> tuple[list[int], int, int] | None:
    """(common prefix tokens, baseline's next token, new's next token) of two answers that part."""
    a = tokenizer(old, add_special_tokens=False)["input_ids"]
    b = tokenizer(new, add_special_tokens=False)["input_ids"]
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), None)
    if common is None:
        return None  # one is a prefix of the other: they part at the answer's end, not a token choice
    return a[:common], a[common], b[common]


@torch.inference_mode()
def explain(args, problems, baseline: dict, new: dict, differing: list[str]) -> None:
    tokenizer = load_tokenizer(args.model)
    model = load_model(args.model, compute_dtype="auto").eval()
    by_id = {p.id: p for p in problems}
    for problem_id in differing:
        parted = first_divergence(tokenizer, baseline[problem_id], new[problem_id])
        if parted is None:
            print(f"  {problem_id}: the answers agree token for token up to where one ends")
            continue
        prefix, old_token, new_token = parted
        prompt = render_prompt(tokenizer, build_messages(by_id[problem_id]))
        ids = tokenizer(prompt, add_special_tokens=not bool(tokenizer.chat_template), return_tensors="pt")["input_ids"]
        ids = torch.cat([ids, torch.tensor([prefix], dtype=ids.dtype)], dim=1)
        logits = model(input_ids=ids, logits_to_keep=1).logits[0, -1].float()
        top = logits.topk(2)
        # bf16 keeps 8 significant bits: two logits closer than one unit in the last place of
        # their magnitude can swap order with the summation order of a matmul.
        ulp = 2.0 ** (torch.floor(torch.log2(logits[old_token].abs())) - 7)
        gap = (logits[old_token] - logits[new_token]).abs()
        print(f"  {problem_id}: part after {len(prefix)} tokens: baseline {tokenizer.decode([old_token])!r} "
              f"({logits[old_token]:.3f}) vs new {tokenizer.decode([new_token])!r} ({logits[new_token]:.3f}); "
              f"gap {gap:.4f} = {gap / ulp:.1f} bf16 ulp; top-2 here {top.values[0]:.3f}, {top.values[1]:.3f}"
              f" -> {'dtype tie' if gap <= 2 * ulp else 'NOT a tie'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--suite", choices=sorted(SUITES), default="functions")
    parser.add_argument("--prompts", type=int, help="only the first N problems")
    parser.add_argument("--max-new-tokens", type=int, default=200)  # config/config.yaml's evaluation value
    parser.add_argument("--batch-sizes", default="8,48", help="the new path's, comma-separated")
    parser.add_argument("--batch-size", type=int, help=argparse.SUPPRESS)  # one worker's
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, help="torch threads in every run (default: torch's)")
    parser.add_argument("--worker", choices=("baseline", "new"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.model = model_dir(args.model)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.worker:
        print(json.dumps(worker(args)))
        return
    flags = sorted(cpu_flags() & {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"})
    print(f"model {args.model}; suite {args.suite}; max_new_tokens {args.max_new_tokens}; torch threads "
          f"{torch.get_num_threads()}\nCPU flags: {' '.join(flags)}; compute_dtype auto -> {resolve_compute_dtype('auto')}")
    print(f"{'run':<14}{'load':>6}{'seconds':>9}{'CPU s':>8}{'gen tok':>9}{'gen tok/s':>11}{'answer tok':>12}"
          f"{'answer tok/s':>14}{'per CPU s':>11}{'peak RSS MB':>13}")
    runs: dict[str, list[dict]] = {"baseline": [], **{f"new@{b}": [] for b in args.batch_sizes.split(",")}}
    for _ in range(args.rounds):
        for name in runs:
            r = spawn(name, args)
            runs[name].append(r)
            print(f"{name:<14}{r['load']:>6.2f}{r['seconds']:>9.1f}{r['cpu_seconds']:>8.1f}{r['generated_tokens']:>9}"
                  f"{r['generated_tokens'] / r['seconds']:>11.1f}{r['answer_tokens']:>12}"
                  f"{r['answer_tokens'] / r['seconds']:>14.1f}{r['answer_tokens'] / r['cpu_seconds']:>11.1f}"
                  f"{r['peak_rss_mb']:>13.0f}", flush=True)
    total = {name: {key: sum(r[key] for r in rs) for key in ("seconds", "cpu_seconds", "answer_tokens")}
             for name, rs in runs.items()}
    base = total["baseline"]
    for name in list(runs)[1:]:
        new = total[name]
        print(f"answer tokens/s, {name} / baseline: {(new['answer_tokens'] / new['seconds']) / (base['answer_tokens'] / base['seconds']):.2f}x "
              f"wall-clock, {(new['answer_tokens'] / new['cpu_seconds']) / (base['answer_tokens'] / base['cpu_seconds']):.2f}x "
              f"per CPU second, over {args.rounds} round(s) (target >= 4x); peak RSS "
              f"{max(r['peak_rss_mb'] for r in runs[name]) / max(r['peak_rss_mb'] for r in runs['baseline']):.2f}x")
        compare(args, name, runs["baseline"][0]["texts"], runs[name][0]["texts"])


def compare(args, name: str, baseline: dict, new: dict) -> None:
    path, fmt = SUITES[args.suite]
    problems = load_suite(REPO / path, fmt)[: args.prompts]
    cfg = answer_config(args)
    same_text = [p.id for p in problems if new[p.id] == finished_text(baseline[p.id], cfg)]
    same_code = [p.id for p in problems
                 if extract_code(new[p.id], p.language) == extract_code(baseline[p.id], p.language)]
    print(f"{name}: identical answers (new == baseline cut at its answer's end): {len(same_text)}/{len(problems)}; "
          f"identical extracted code: {len(same_code)}/{len(problems)}")
    differing = [p.id for p in problems if p.id not in same_text or p.id not in same_code]
    if differing:
        print("differences:")
        explain(args, problems, {k: finished_text(v, cfg) for k, v in baseline.items()}, new, differing)


if __name__ == "__main__":
    main()
