"""The forgery suite: answers that try to score a pass without solving their problem (a
`-main-is` pragma, a shadowed `error`, an early `exitSuccess`, an always-true `==` through a
changed result type or an overlapping instance, ...), kept as a regression suite that every
scorer runs: final evaluation, checkpoint selection, any later verifier (issue 26).

    check_scorer_resists_forgeries(lambda problems, completions: passes_by_sample(
        score_completions(problems, completions, exec_cfg)))

resources/forgeries/ holds the problems (`functions.jsonl`, MultiPL-E format) and the answers
(`forgeries.generations.jsonl`, the `*.generations.jsonl` shape plus `attack`, what it tries, and
`expect`: "fail" for a forgery, "pass" for the controls, honest answers that show the scorer can
still pass anything at all).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from budgetai.evaluate.completions_file import read_completions
from budgetai.suites.load import Problem, load_suite

FORGERY_DIR = Path(__file__).resolve().parents[3] / "resources" / "forgeries"
PROBLEMS_FILE, FORGERIES_FILE = "functions.jsonl", "forgeries.generations.jsonl"
# A scorer under test: (problems, problem id -> completions) -> (problem id, sample index) -> passed.
ScoreFn = Callable[[list[Problem], dict[str, list[str]]], dict[tuple[str, int], bool]]


class ForgeryAccepted(AssertionError):
    """A scorer passed a forgery (or failed a control)."""


@dataclass(frozen=True)
class Forgery:
    problem_id: str
    sample_index: int
    attack: str
    expect: str  # "fail" (a forgery) or "pass" (a control)


def load_forgeries(directory: str | os.PathLike = FORGERY_DIR
                   ) -> tuple[list[Problem], dict[str, list[str]], list[Forgery]]:
    """(problems, completions by problem id, what each completion is) of the suite in `directory`."""
    directory = Path(directory)
    problems = load_suite(directory / PROBLEMS_FILE, "multipl-e")
    completions = read_completions(directory / FORGERIES_FILE)
    with open(directory / FORGERIES_FILE, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    cases = [Forgery(r["problem_id"], r["sample_index"], r["attack"], r["expect"]) for r in rows]
    return problems, completions, cases


def passes_by_sample(results: Iterable) -> dict[tuple[str, int], bool]:
    """(problem id, sample index) -> passed, of scoring.SampleResult-like results."""
    return {(r.problem_id, r.sample_index): bool(r.passed) for r in results}


def forgeries_that_fool(score: ScoreFn, directory: str | os.PathLike = FORGERY_DIR) -> list[str]:
    """What `score` gets wrong on the suite, one line per case: a forgery it passed or a control
    it failed. Empty when the scorer resists every forgery."""
    problems, completions, cases = load_forgeries(directory)
    passed = score(problems, completions)
    wrong = []
    for case in cases:
        got = passed.get((case.problem_id, case.sample_index))
        if got is None or got != (case.expect == "pass"):
            verdict = "not scored" if got is None else ("passed" if got else "failed")
            wrong.append(f"{case.problem_id} #{case.sample_index} ({case.attack}): {verdict}, "
                         f"expected to {case.expect}")
    return wrong


def check_scorer_resists_forgeries(score: ScoreFn, directory: str | os.PathLike = FORGERY_DIR) -> None:
    """Raise ForgeryAccepted listing every forgery `score` passed and every control it failed."""
    wrong = forgeries_that_fool(score, directory)
    if wrong:
        raise ForgeryAccepted(f"the scorer is fooled by {len(wrong)} case(s) of {directory}:\n  "
                              + "\n  ".join(wrong))
