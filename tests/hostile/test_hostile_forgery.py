"""Answers that try to forge a pass (issue 26, item 2): each forgery of resources/forgeries must
fail under every scorer (final evaluation's score_completions and checkpoint selection's
answer_rungs), each control must pass, and the refused pragmas are refused before GHC runs."""

import json

import pytest

from budgetai.evaluate.forgery import (FORGERY_DIR, ForgeryAccepted, check_scorer_resists_forgeries,
                                       load_forgeries, passes_by_sample)
from budgetai.evaluate.prompts import RefusedPragma, assemble_program, build_messages, refused_pragma
from budgetai.evaluate.scoring import score_completions, score_sample
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import Problem
from budgetai.train import checkpoint_scoring
from budgetai.train.checkpoint_scoring import ScoringProblem, answer_rungs, check_sandbox

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
CFG = ExecutionConfig(workers=2, timeout_per_test_s=5)
CASES = [json.loads(line) for line in (FORGERY_DIR / "forgeries.generations.jsonl").open()]


def final_evaluation(problems, completions):
    return passes_by_sample(score_completions(problems, completions, CFG))


def checkpoint_selection(problems, completions):
    """answer_rungs scores one answer per problem, so each sample index is one round."""
    asked = [ScoringProblem(p.id, build_messages(p), p) for p in problems]
    passed = {}
    for index in range(max(map(len, completions.values()))):
        round_ = [p for p in asked if index < len(completions.get(p.id, []))]
        rungs = answer_rungs(round_, {p.id: completions[p.id][index] for p in round_}, CFG)
        passed.update({(p.id, index): r.passes for p, r in zip(round_, rungs)})
    return passed


@pytest.fixture(scope="module")
def scored():
    problems, completions, _ = load_forgeries()
    return {(r.problem_id, r.sample_index): r for r in score_completions(problems, completions, CFG)}


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.parametrize("case", CASES, ids=[f"{c['sample_index']}-{c['attack']}" for c in CASES])
def test_forgery_fails_and_control_passes(scored, case):
    result = scored[(case["problem_id"], case["sample_index"])]
    assert result.passed == (case["expect"] == "pass"), (result.status, result.compile_stderr)


@needs_sandbox
@pytest.mark.ghc
def test_options_ghc_main_is_is_refused_with_its_own_status(scored):
    forged = next(c for c in CASES if c["attack"] == "options_ghc_main_is")
    result = scored[(forged["problem_id"], forged["sample_index"])]
    assert result.status == "forbidden_pragma" and result.compile_error_class == "forbidden_pragma"
    assert "-main-is cheat" in result.compile_stderr and not result.compiled


@needs_sandbox
@pytest.mark.ghc
def test_exit_success_before_the_tests_finish_is_not_a_pass(scored):
    forged = next(c for c in CASES if c["attack"] == "exit_success_from_pure_code")
    assert scored[(forged["problem_id"], forged["sample_index"])].status == "exited_early"


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_final_evaluation_resists_the_forgery_suite():
    check_scorer_resists_forgeries(final_evaluation)


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_checkpoint_selection_resists_the_forgery_suite():
    check_scorer_resists_forgeries(checkpoint_selection)


def test_a_scorer_that_passes_everything_or_nothing_is_caught():
    def everything(problems, completions):
        return {(pid, i): True for pid, texts in completions.items() for i in range(len(texts))}

    with pytest.raises(ForgeryAccepted, match=r"\(prelude_hiding_error\): passed, expected to fail"):
        check_scorer_resists_forgeries(everything)
    with pytest.raises(ForgeryAccepted, match=r"\(control_continuation\): failed, expected to pass"):
        check_scorer_resists_forgeries(lambda p, c: {k: not v for k, v in everything(p, c).items()})


@pytest.mark.parametrize("code", [
    "{-# OPTIONS_GHC -main-is cheat #-}\nf = 1",
    "{-#options_ghc -pgmF /bin/true -F #-}\nf = 1",
    "{-# OPTIONS -fplugin=Evil #-}\nf = 1",
    "{-# OPTIONS_GHC\n  -main-is cheat\n  #-}\nf = 1",
    "{-# LANGUAGE TemplateHaskell #-}\nf = $(undefined)",
    "{-# LANGUAGE BangPatterns,\n  QuasiQuotes #-}\nf = 1",
    "{-# language incoherentinstances #-}\nf = 1",
    "f = 1\n{-# ANN f (unsafePerformIO exitSuccess) #-}",
    "f = 1\n{-# RULES \"eq\" forall a b. a == b = True #-}",
    "instance {-# OVERLAPS #-} Eq [Char] where _ == _ = True",
])
def test_refused_pragmas_are_found_wherever_and_however_written(code):
    assert refused_pragma(code) is not None


@pytest.mark.parametrize("code", [
    "{-# LANGUAGE BangPatterns, TupleSections #-}\nf = 1",
    "{-# INLINE f #-}\nf = 1",
    "data P = P {-# UNPACK #-} !Int",
    "f = 1 -- {-# not a pragma, but an unclosed one is still looked at",
])
def test_ordinary_pragmas_are_allowed(code):
    assert refused_pragma(code) is None


def test_stdio_programs_keep_template_haskell_but_not_options_ghc():
    problems, _, _ = load_forgeries()
    stdio = problems[0].__class__(id="s", prompt="", tests=[], language="haskell", format="stdio")
    assert "Main.hs" in assemble_program(stdio, "{-# LANGUAGE TemplateHaskell #-}\nmain = pure ()")
    with pytest.raises(RefusedPragma, match="-main-is"):
        assemble_program(stdio, "{-# OPTIONS_GHC -main-is go #-}\ngo = pure ()")


def test_the_harness_owns_main_and_pins_the_prompts_signature():
    problems, _, _ = load_forgeries()
    sum_even = next(p for p in problems if p.entry == "sumEven")
    files = assemble_program(sum_even, "```haskell\nsumEven :: [Int] -> Bool\nsumEven _ = True\n```")
    assert set(files) == {"Main.hs", "BudgetAISolution.hs", "BudgetAITests.hs"}
    assert files["BudgetAISolution.hs"].startswith("module BudgetAISolution where")
    assert "sumEven :: [Int] -> Int\nsumEven = BudgetAISolution.sumEven" in files["BudgetAITests.hs"]
    assert "main" not in files["BudgetAISolution.hs"]
    assert "BudgetAISolution" not in files["Main.hs"]  # main sees the tests only


ADD = Problem(id="HumanEval/add", language="python", format="humaneval-python", entry="add",
              prompt='def add(a, b):\n    """Add two numbers."""\n',
              tests="def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(0, 0) == 0\n")
PYTHON_FORGERIES = {
    "exits_before_the_tests": ("import sys\nsys.exit(0)\ndef add(a, b):\n    return 0\n", "exited_early"),
    "os_exit_when_called": ("import os\ndef add(a, b):\n    os._exit(0)\n", "exited_early"),
    "eq_always_true": ("class Any:\n    def __eq__(self, other):\n        return True\n"
                       "def add(a, b):\n    return Any()\n", "runtime_error"),
    "int_subclass_that_pretends": ("class Fake(int):\n    def __eq__(self, other):\n        return True\n"
                                   "def add(a, b):\n    return Fake(0)\n", "runtime_error"),
    "reads_the_nonce_and_prints_the_marker": (
        "import sys\nprint('BUDGETAI-TESTS-PASSED', sys.stdin.readline().strip())\nsys.exit(0)\n"
        "def add(a, b):\n    return 0\n", "exited_early"),
    "rebinds_type_for_the_check": ("type = lambda value: int\ndef add(a, b):\n    return object()\n",
                                   "runtime_error"),
}


@needs_sandbox
@pytest.mark.parametrize("attack", sorted(PYTHON_FORGERIES))
def test_python_forgery_fails(attack):
    code, status = PYTHON_FORGERIES[attack]
    result = score_sample(ADD, 0, f"```python\n{code}```", CFG)
    assert not result.passed and result.status == status, (result.status, result.failures)


@needs_sandbox
def test_python_honest_answer_still_passes():
    assert score_sample(ADD, 0, "```python\ndef add(a, b):\n    return a + b\n```", CFG).passed


@needs_sandbox
@pytest.mark.ghc
def test_checkpoint_scoring_runs_the_forgery_suite_before_training(monkeypatch):
    check_sandbox(CFG)  # the real scorer resists: training may start
    monkeypatch.setattr(checkpoint_scoring, "score_completions", lambda problems, completions, cfg: [
        type("Passed", (), {"problem_id": p, "sample_index": i, "passed": True})()
        for p, texts in completions.items() for i in range(len(texts))])
    with pytest.raises(ForgeryAccepted, match="options_ghc_main_is"):
        check_sandbox(CFG)  # a scorer that passes forgeries stops training before its first step
