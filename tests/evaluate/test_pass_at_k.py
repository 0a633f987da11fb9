from math import comb

import numpy as np
import pytest

from budgetai.evaluate.ladder import wilson_interval
from budgetai.evaluate.pass_at_k import pass_at_k, summarize


@pytest.mark.parametrize("n,c,k", [(10, 3, 1), (10, 3, 5), (20, 0, 5), (200, 17, 10), (5, 5, 2)])
def test_matches_the_binomial_definition(n, c, k):
    exact = 1 - comb(n - c, k) / comb(n, k)
    assert pass_at_k(n, c, k) == pytest.approx(exact, abs=1e-12)


def test_known_values_and_large_n_is_stable():
    assert pass_at_k(10, 1, 1) == pytest.approx(0.1)
    assert pass_at_k(10, 0, 10) == 0.0
    assert pass_at_k(10, 9, 2) == 1.0
    value = pass_at_k(100_000, 3, 1000)  # C(n, k) here overflows floats; the product does not
    assert 0 < value < 1 and np.isfinite(value)


def test_rejects_impossible_arguments():
    with pytest.raises(ValueError, match="k <= n"):
        pass_at_k(3, 1, 5)
    with pytest.raises(ValueError, match="c <= n"):
        pass_at_k(3, 4, 1)


def _rows(table):
    return [{"problem_id": pid, "passed": p, "compiled": c} for pid, samples in table.items()
            for p, c in samples]


def test_summarize_counts_rates_and_per_problem_table():
    results = _rows({"a": [(True, True), (False, True)], "b": [(False, False), (False, True)],
                     "c": [(True, True), (True, True)]})
    summary = summarize(results, ks=(1, 2, 5), seed=1)
    assert summary["problems"] == 3 and summary["samples"] == 6
    assert summary["compile_rate"] == pytest.approx(5 / 6)
    assert summary["pass_at_k"]["pass@1"] == pytest.approx((0.5 + 0 + 1) / 3)
    assert summary["pass_at_k"]["pass@2"] == pytest.approx((1 + 0 + 1) / 3)
    assert summary["skipped_k"] == [5] and "pass@5" not in summary["pass_at_k"]
    lo, hi = summary["pass_at_k_ci95"]["pass@1"]
    assert 0 <= lo <= summary["pass_at_k"]["pass@1"] <= hi <= 1
    table = {row["problem_id"]: row for row in summary["per_problem"]}
    assert table["a"]["n"] == 2 and table["a"]["c"] == 1 and table["b"]["pass@1"] == 0


def test_bootstrap_is_seeded():
    results = _rows({str(i): [(j < (i * 5) % 8, True) for j in range(7)] for i in range(40)})
    first = summarize(results, ks=(1, 2), seed=7)["pass_at_k_ci95"]["pass@2"]  # pass@1 is Wilson: no seed
    assert first == summarize(results, ks=(1, 2), seed=7)["pass_at_k_ci95"]["pass@2"]
    assert first != summarize(results, ks=(1, 2), seed=8)["pass_at_k_ci95"]["pass@2"]


def test_summarize_needs_results():
    with pytest.raises(ValueError, match="no results"):
        summarize([])


def test_pass_at_1_interval_is_the_ladders_wilson_interval():
    """Before: 0 of 4 gave pass@1 [0, 0] (a bootstrap of four zeros) beside the ladder's [0, 0.49]."""
    none_pass = summarize(_rows({str(i): [(False, True)] for i in range(4)}))
    assert none_pass["pass_at_k_ci95"]["pass@1"] == pytest.approx(list(wilson_interval(0, 4)))
    assert none_pass["pass_at_k_ci95"]["pass@1"] == pytest.approx([0.0, 0.49], abs=0.005)
    all_pass = summarize(_rows({str(i): [(True, True)] * 2 for i in range(5)}), ks=(1, 2))
    assert all_pass["pass_at_k_ci95"]["pass@1"] == pytest.approx(list(wilson_interval(10, 10)))
    some = summarize(_rows({"a": [(True, True), (False, True), (True, True)], "b": [(False, True)] * 3}))
    assert some["pass_at_k_ci95"]["pass@1"] == pytest.approx(list(wilson_interval(2, 6)))
