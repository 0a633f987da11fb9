"""pass@k (the unbiased estimator of Chen et al. 2021) and the summary a report shows.

With n samples per problem of which c pass, pass@k = 1 - C(n-c, k) / C(n, k): the chance that at
least one of k samples drawn without replacement passes. It is computed as a product
1 - prod_{i=n-c+1}^{n} (1 - k/i), which never forms the huge binomials.

Intervals: pass@1 is a rate over samples, so it gets the evaluation ladder's 95% Wilson score
interval over all samples (the same interval the ladder gives the same count: [0, 0.49] for 0
of 4, where a bootstrap of four zeros is [0, 0]). pass@k for k > 1 gets a seeded percentile
bootstrap over problems.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np

from budgetai.evaluate.ladder import wilson_interval

BOOTSTRAP_ROUNDS = 1000


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k for one problem with n samples, c of them correct (requires k <= n)."""
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"pass_at_k: need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def summarize(results: Iterable, ks: Sequence[int] = (1,), seed: int = 0,
              rounds: int = BOOTSTRAP_ROUNDS) -> dict:
    """Aggregate SampleResults (or dicts with problem_id, passed, compiled) into pass@k per k
    (only for k <= the smallest sample count), compile rate, counts, 95% intervals (see the
    module docstring) and a per-problem table."""
    per_problem = _per_problem(results)
    if not per_problem:
        raise ValueError("summarize: no results to summarize")
    n_min = min(row["n"] for row in per_problem)
    samples = sum(row["n"] for row in per_problem)
    summary = {
        "problems": len(per_problem),
        "samples": samples,
        "compile_rate": sum(row["compiled"] for row in per_problem) / samples,
        "pass_at_k": {},
        "pass_at_k_ci95": {},
        "skipped_k": [k for k in ks if k > n_min],
    }
    rng = np.random.default_rng(seed)
    for k in ks:
        if k > n_min:
            continue
        scores = np.array([pass_at_k(row["n"], row["c"], k) for row in per_problem])
        for row, score in zip(per_problem, scores):
            row[f"pass@{k}"] = float(score)
        summary["pass_at_k"][f"pass@{k}"] = float(scores.mean())
        summary["pass_at_k_ci95"][f"pass@{k}"] = (
            pass_at_1_interval(float(scores.mean()), samples) if k == 1 else bootstrap_ci(scores, rng, rounds))
    summary["per_problem"] = per_problem
    return summary


def pass_at_1_interval(pass_at_1: float, samples: int) -> list[float]:
    """The Wilson interval of pass@1 as a rate over `samples` answers. With as many samples for
    every problem, pass@1 times samples is the count of passing answers, as the ladder counts."""
    return list(wilson_interval(pass_at_1 * samples, samples))


def bootstrap_ci(values: np.ndarray, rng: np.random.Generator,
                 rounds: int = BOOTSTRAP_ROUNDS) -> list[float]:
    """95% percentile bootstrap interval of the mean, resampling the given values."""
    values = np.asarray(values, dtype=float)
    picks = rng.integers(0, len(values), size=(rounds, len(values)))
    means = values[picks].mean(axis=1)
    return [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))]


def _per_problem(results: Iterable) -> list[dict]:
    table: dict[str, dict] = defaultdict(lambda: {"n": 0, "c": 0, "compiled": 0})
    for result in results:
        row = result if isinstance(result, dict) else result.to_dict()
        entry = table[row["problem_id"]]
        entry["n"] += 1
        entry["c"] += bool(row["passed"])
        entry["compiled"] += bool(row["compiled"])
    return [{"problem_id": pid, **counts} for pid, counts in table.items()]
