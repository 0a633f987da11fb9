"""The shipped problem set: well-formed, every reference solution passes and every deliberately
wrong one fails, scored through the same path model output takes (fenced completions)."""

import json

import pytest

from budgetai.evaluate.scoring import score_completions
from budgetai.haskell.execution import ExecutionConfig
from budgetai.evaluate.pass_at_k import summarize
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite

# What each wrong solution is built to get wrong (see the comment at its top).
WRONG_STATUS = {
    "p03-count-vowels": ("compile_error", "type_error"),
    "p07-range-sums": ("wrong_answer", None),
    "p08-fizzbuzz-range": ("wrong_answer", None),
    "p10-staircase-ways": ("timeout", None),
    "p14-run-length-encoding": ("compile_error", "scope_error"),
    "p17-robot-walk": ("timeout", None),
    "p19-second-largest": ("runtime_error", None),
    "p22-balanced-brackets": ("compile_error", "parse_error"),
}
CFG = ExecutionConfig(workers=2, timeout_per_test_s=3)
needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")


@pytest.fixture(scope="module")
def problem_dir(repo_dir):
    return repo_dir / "resources/problems"


@pytest.fixture(scope="module")
def problems(problem_dir):
    return load_suite(problem_dir / "problems.jsonl", "stdio")


def _fenced(path):
    return f"Here is my solution:\n\n```haskell\n{path.read_text()}```\n"


def test_problem_set_shape(problem_dir, problems):
    assert len(problems) >= 22
    assert len({p.id for p in problems}) == len(problems)
    for problem in problems:
        assert len(problem.tests) >= 4, problem.id
        for heading in ("## Input", "## Output", "## Example"):
            assert heading in problem.prompt, (problem.id, heading)
        # the example in the statement is the first test
        assert problem.tests[0]["input"].strip() in problem.prompt, problem.id
        assert (problem_dir / "solutions" / f"{problem.id}.hs").is_file(), problem.id
    rows = [json.loads(line) for line in (problem_dir / "problems.jsonl").read_text().splitlines()]
    assert all(set(row) == {"id", "prompt", "tests", "language"} for row in rows)
    assert "CC BY 4.0" in (problem_dir / "README.md").read_text()


def test_wrong_solutions_exist_for_known_problems(problem_dir, problems):
    wrong = {path.stem for path in (problem_dir / "wrong").glob("*.hs")}
    assert len(wrong) >= 5 and wrong == set(WRONG_STATUS)
    assert wrong <= {p.id for p in problems}


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_reference_solutions_score_pass_at_1_of_one(problem_dir, problems):
    completions = {p.id: [_fenced(problem_dir / "solutions" / f"{p.id}.hs")] for p in problems}
    results = score_completions(problems, completions, CFG)
    failing = [(r.problem_id, r.status, r.failures, r.compile_stderr[:300]) for r in results
               if not r.passed]
    assert failing == []
    summary = summarize(results, ks=(1,))
    assert summary["pass_at_k"]["pass@1"] == 1.0 and summary["compile_rate"] == 1.0


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_wrong_solutions_score_zero_for_the_intended_reason(problem_dir, problems):
    completions = {pid: [_fenced(problem_dir / "wrong" / f"{pid}.hs")] for pid in WRONG_STATUS}
    results = score_completions(problems, completions, CFG)
    assert summarize(results, ks=(1,))["pass_at_k"]["pass@1"] == 0.0
    got = {r.problem_id: (r.status, r.compile_error_class) for r in results}
    assert got == WRONG_STATUS
