"""The shipped function-completion suite (resources/functions): well-formed MultiPL-E rows, every
reference solution passes and every wrong one fails, scored as model output is (fenced)."""

import pytest

from budgetai.evaluate.scoring import rungs_of_result, score_completions
from budgetai.haskell.execution import ExecutionConfig
from budgetai.evaluate.ladder import ladder as ladder_of
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite

CFG = ExecutionConfig(workers=2, timeout_per_test_s=5)


@pytest.fixture(scope="module")
def suite_dir(repo_dir):
    return repo_dir / "resources/functions"


@pytest.fixture(scope="module")
def problems(suite_dir):
    return load_suite(suite_dir / "functions.jsonl", "multipl-e")


def _fenced(path):
    return [f"```haskell\n{path.read_text()}```"]


def test_suite_is_well_formed(problems, suite_dir):
    assert len(problems) >= 40
    for problem in problems:
        assert problem.entry and problem.prompt.rstrip().endswith("=") and ">>>" in problem.prompt
        assert (suite_dir / "solutions" / f"{problem.id}.hs").exists()
        assert (suite_dir / "wrong" / f"{problem.id}.hs").exists()


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.parametrize("kind, passes", [("solutions", True), ("wrong", False)])
def test_references_pass_and_wrong_solutions_fail(problems, suite_dir, kind, passes):
    completions = {p.id: _fenced(suite_dir / kind / f"{p.id}.hs") for p in problems}
    results = score_completions(problems, completions, CFG)
    unexpected = [(r.problem_id, r.status, r.compile_stderr[:200]) for r in results if r.passed != passes]
    assert unexpected == []
    ladder = ladder_of(map(rungs_of_result, results))
    # the wrong ones are wrong in behaviour only: they parse and type-check
    assert ladder["typechecks"]["count"] == len(problems)
