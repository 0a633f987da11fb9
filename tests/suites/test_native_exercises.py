"""The project's own exercise suite (resources/exercises): every reference passes all of its
examples and every wrong solution passes some but not all, through the exercism scorer."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from budgetai.evaluate.exercism import score_exercise
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite

CFG = ExecutionConfig(workers=2, timeout_per_test_s=10)
# The whole suite is checked (62 builds, 56 s on 2 cores): a sample beside it would only repeat
# part of it in CI, which runs slow tests too.


@pytest.fixture(scope="module")
def problems(repo_dir):
    return load_suite(repo_dir / "resources/exercises", "exercism")


def test_the_suite_has_thirty_exercises_each_with_a_reference_and_a_wrong_solution(problems):
    assert len(problems) >= 30
    for problem in problems:
        exercise = problem.exercise
        assert [s.name for s in exercise.references] == ["success-standard"], problem.id
        assert len(exercise.wrong) == 1 and exercise.wrong[0].name.startswith("fail-"), problem.id
        assert "You need to implement" in exercise.stub and "specs ::" in problem.tests


def _check(problems) -> dict[str, tuple]:
    jobs = [(p, s.name, s.sources[p.exercise.solution_file])
            for p in problems for s in (*p.exercise.references, *p.exercise.wrong)]
    with ThreadPoolExecutor(max_workers=CFG.workers) as pool:
        outcomes = pool.map(lambda job: score_exercise(job[0], job[2], CFG), jobs)
        return {(p.id, name): (o.status, o.examples_passed, o.examples_total)
                for (p, name, _), o in zip(jobs, outcomes)}


def _assert_references_pass_and_wrong_ones_are_partial(results):
    for (exercise, solution), (status, passed, total) in results.items():
        if solution.startswith("success-"):
            assert (status, passed) == ("passed", total) and total > 0, (exercise, status, passed, total)
        else:
            assert status == "failed" and 0 < passed < total, (exercise, solution, status, passed, total)


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.ghc
@pytest.mark.slow
def test_every_reference_passes_and_every_wrong_solution_is_partial(problems):
    results = _check(problems)
    assert len(results) == 2 * len(problems)
    _assert_references_pass_and_wrong_ones_are_partial(results)
