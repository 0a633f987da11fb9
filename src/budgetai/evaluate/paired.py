"""Comparisons that say when a difference between two runs on the same problems is real.

Two evaluations of one suite (base vs tuned, experiment vs experiment) are paired by problem:
- per rung of the ladder (parses, type-checks, passes) an exact sign test on the problems where
  the runs differ: with one answer per problem this is the exact McNemar test (b problems only A
  climbed the rung, c only B; p = P(|X - n/2| >= |b - n/2|), X ~ Binomial(b + c, 1/2)); with
  several samples per problem, a problem counts for the run whose share of answers on the rung is
  higher;
- for the graded share (examples passed / examples run, per problem averaged over its answers) a
  seeded paired bootstrap over problems: the 95% interval of the mean difference, and a two-sided
  p from the bootstrap distribution centred on zero.
Each difference is labelled "p = ..." when p < 0.05, else "not distinguishable at 5%".
A held-out suite (format heldout) has no per-problem verdicts: its comparison is each run's
held-out loss and their difference, untested (one number per run).

    compare_runs("base/exercism.json", "base/exercism.generations.jsonl",
                 "tuned/exercism.json", "tuned/exercism.generations.jsonl")
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from budgetai.evaluate.ladder import RUNGS
from budgetai.evaluate.scoring import SampleResult, rungs_of_result

ALPHA = 0.05
HELDOUT_LOSS = "heldout_loss"
NO_TEST = "no paired test (one number per run)"
BOOTSTRAP_ROUNDS = 10_000
_ROW_FIELDS = ("problem_id", "code", "compiled", "compile_error_class", "passed", "tests_passed",
               "tests_total")


def sign_test(b: int, c: int) -> float:
    """Two-sided exact p of the sign test (exact McNemar on discordant pairs b, c): twice the
    smaller binomial tail of Binomial(b + c, 1/2), at most 1. 1.0 when there is no discordance."""
    if b < 0 or c < 0:
        raise ValueError(f"sign_test: counts must be >= 0, got b={b}, c={c}")
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def paired_bootstrap(a, b, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0) -> dict:
    """Mean of a - b over paired values, its 95% percentile interval, and a two-sided p: the share
    of bootstrap means, shifted to a zero mean, at least as far from zero as the observed one."""
    diffs = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diffs.size == 0:
        raise ValueError("paired_bootstrap: no pairs")
    observed = float(diffs.mean())
    picks = np.random.default_rng(seed).integers(0, diffs.size, size=(rounds, diffs.size))
    means = diffs[picks].mean(axis=1)
    extreme = np.abs(means - observed) >= abs(observed) - 1e-12
    p = 1.0 if observed == 0 else float((extreme.sum() + 1) / (rounds + 1))
    return {"difference": observed, "ci95": [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))],
            "p": p}


def verdict(p: float) -> str:
    return f"p = {p:.3g}" if p < ALPHA else "not distinguishable at 5%"


def per_problem_rates(rows: list[dict]) -> dict[str, dict[str, float]]:
    """problem id -> share of its answers on each rung, and its graded share (tests passed /
    tests run, 0 where none ran). rows: *.generations.jsonl rows of an executable suite."""
    grouped: dict[str, list] = defaultdict(list)
    for number, row in enumerate(rows, start=1):
        missing = [f for f in _ROW_FIELDS if f not in row]
        if missing:
            raise ValueError(f"generations row {number}: missing {missing} (not an executable suite's row?)")
        result = SampleResult(**{f: row[f] for f in _ROW_FIELDS}, sample_index=row.get("sample_index", 0),
                              compile_stderr="", runtime_s=0.0, timed_out=False, oom=False)
        rungs = rungs_of_result(result)
        graded = row["tests_passed"] / row["tests_total"] if row["tests_total"] else 0.0
        grouped[row["problem_id"]].append((rungs.parses, rungs.typechecks, bool(rungs.passes), graded))
    return {pid: dict(zip((*RUNGS, "graded"), np.mean(np.array(values, dtype=float), axis=0).tolist()))
            for pid, values in grouped.items()}


def compare_runs(eval_json_a, generations_a, eval_json_b, generations_b, seed: int = 0) -> dict:
    """Paired comparison of run A and run B (paths, or the loaded eval dict / generation rows) on
    the problems both answered; see the module docstring."""
    meta_a, meta_b = _load_json(eval_json_a), _load_json(eval_json_b)
    if (meta_a.get("suite"), meta_a.get("format")) != (meta_b.get("suite"), meta_b.get("format")):
        raise ValueError(f"compare_runs: A is suite {meta_a.get('suite')!r} ({meta_a.get('format')}), "
                         f"B is {meta_b.get('suite')!r} ({meta_b.get('format')}): not the same problems")
    if meta_a.get("format") == "heldout":
        return compare_heldout_losses(meta_a, meta_b)
    rates_a = per_problem_rates(_load_rows(generations_a))
    rates_b = per_problem_rates(_load_rows(generations_b))
    common = sorted(set(rates_a) & set(rates_b))
    if not common:
        raise ValueError("compare_runs: the runs share no problem")
    out = {"a": _describe(meta_a), "b": _describe(meta_b), "problems": len(common),
           "only_in_a": sorted(set(rates_a) - set(rates_b)), "only_in_b": sorted(set(rates_b) - set(rates_a)),
           "rungs": {}}
    for rung in RUNGS:
        a = [rates_a[p][rung] for p in common]
        b = [rates_b[p][rung] for p in common]
        a_better = sum(x > y for x, y in zip(a, b))
        b_better = sum(y > x for x, y in zip(a, b))
        p = sign_test(a_better, b_better)
        out["rungs"][rung] = {"a_rate": float(np.mean(a)), "b_rate": float(np.mean(b)),
                              "a_better": a_better, "b_better": b_better, "p": p, "verdict": verdict(p)}
    graded = paired_bootstrap([rates_a[p]["graded"] for p in common], [rates_b[p]["graded"] for p in common],
                              seed=seed)
    out["graded_share"] = {"a": float(np.mean([rates_a[p]["graded"] for p in common])),
                           "b": float(np.mean([rates_b[p]["graded"] for p in common])),
                           **graded, "verdict": verdict(graded["p"])}
    return out


def compare_heldout_losses(meta_a: dict, meta_b: dict) -> dict:
    """Two held-out evaluations: each run's loss on the same held-out rows and B minus A."""
    a, b = (meta.get("metrics", {}).get(HELDOUT_LOSS) for meta in (meta_a, meta_b))
    difference = None if a is None or b is None else b - a
    return {"a": _describe(meta_a), "b": _describe(meta_b),
            HELDOUT_LOSS: {"a": a, "b": b, "difference": difference}, "verdict": NO_TEST}


def _describe(meta: dict) -> dict:
    return {k: meta.get(k) for k in ("suite", "format", "target", "model_dir", "adapter_dir", "completions_file")}


def _load_json(value) -> dict:
    if isinstance(value, dict):
        return value
    path = Path(value)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: eval JSON does not exist")
    return json.loads(path.read_text(encoding="utf-8"))


def _load_rows(value) -> list[dict]:
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: generations file does not exist")
        rows = []
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as err:
                        raise ValueError(f"{path}:{number}: not valid JSON ({err})") from err
        return rows
    return list(value)
