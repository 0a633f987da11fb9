import pytest

from budgetai.evaluate.scoring import normalize_output, score_completions
from budgetai.haskell.execution import ExecutionConfig, classify_compile_error, typecheck_only, typecheck_share
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import Problem, load_suite

pytestmark = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
CFG = ExecutionConfig(workers=2, timeout_per_test_s=3)


@pytest.fixture(scope="module")
def close_elements(shared_dir):
    problems = load_suite(shared_dir / "realdata/multipl-e/humaneval-hs-reworded.jsonl",
                          "multipl-e")
    return next(p for p in problems if p.id == "HumanEval_0_has_close_elements")


def test_normalize_output_ignores_trailing_space_and_blank_lines():
    assert normalize_output("1 2  \n3\r\n\n\n") == normalize_output("1 2\n3")
    assert normalize_output(" 1\n") != normalize_output("1\n")  # leading space still counts


@pytest.mark.parametrize("stderr,expected", [
    ("Main.hs:3:1: error: parse error on input '='", "parse_error"),
    ("Main.hs:2:8: error: Variable not in scope: foo :: Int", "scope_error"),
    ("Main.hs:2:8: error:\n    • Couldn't match expected type 'Int' with actual type '[Char]'",
     "type_error"),
    ("Main.hs:1:1: error: No instance for (Num String)", "type_error"),
    ("ld: cannot find -lgmp", "other"),
])
def test_compile_errors_are_classified(stderr, expected):
    assert classify_compile_error(stderr) == expected


@pytest.mark.ghc
@pytest.mark.slow
def test_multipl_e_completions_are_scored(close_elements):
    correct_raw = (" or [abs (a - b) < threshold | (i, a) <- zip [0 :: Int ..] numbers,"
                   " (j, b) <- zip [0 ..] numbers, i /= j]\n\n-- | unrelated trailing text")
    correct_chat = ("Here is my answer:\n```haskell\nimport Data.List (sort)\n\n"
                    "hasCloseElements :: [Float] -> Float -> Bool\n"
                    "hasCloseElements xs t = any (< t) (zipWith (-) (tail s) s)\n"
                    "  where s = sort xs\n```\nIt sorts first.")
    completions = {close_elements.id: [correct_raw, correct_chat, " False", " numbers",
                                       " frobnicate numbers", " = = ="]}
    results = score_completions([close_elements], completions, CFG)
    assert [r.sample_index for r in results] == list(range(6))
    assert [r.passed for r in results] == [True, True, False, False, False, False]
    assert results[2].status == "runtime_error" and results[2].compiled
    assert [r.compile_error_class for r in results[3:]] == ["type_error", "scope_error",
                                                             "parse_error"]
    assert results[0].tests_total == 1 and results[0].tests_passed == 1
    assert "\n\n" not in results[0].code  # cut at the stop token


@pytest.mark.ghc
@pytest.mark.slow
def test_stdio_scoring_counts_tests_and_classifies_failures():
    problem = Problem(id="double", prompt="Double n.", language="haskell", format="stdio",
                      tests=[{"input": "2\n", "output": "4\n"}, {"input": "0\n", "output": "0"},
                             {"input": "-5\n", "output": "-10\n\n"}])
    completions = {"double": [
        "```haskell\nmain :: IO ()\nmain = readLn >>= \\n -> print (2 * n :: Integer)\n```",
        "```haskell\nmain :: IO ()\nmain = readLn >>= \\n -> print (abs (2 * n) :: Integer)\n```",
        "```haskell\nmain :: IO ()\nmain = readLn >>= \\n -> if n == (0 :: Int) "
        "then print (length [1 :: Int ..]) else print (2 * n)\n```",
    ]}
    right, abs_wrong, loops = score_completions([problem], completions, CFG)
    assert right.passed and right.tests_passed == 3 and right.status == "passed"
    assert not abs_wrong.passed and abs_wrong.tests_passed == 2
    assert abs_wrong.status == "wrong_answer" and abs_wrong.failures == ["test 3: wrong_answer"]
    assert loops.timed_out and loops.status == "timeout" and loops.tests_passed == 1
    assert loops.failures == ["test 2: timeout"]  # test 3 is skipped after a timeout


@pytest.mark.slow
def test_python_problems_run_in_the_same_sandbox():
    problem = Problem(id="HumanEval/0", language="python", format="humaneval-python",
                      entry="add", prompt="def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n",
                      tests="def check(candidate):\n    assert candidate(2, 3) == 5\n",
                      stop_tokens=["\ndef "])
    completions = {"HumanEval/0": ["    return a + b\n\ndef junk(): pass", "    return a - b\n",
                                   "```python\ndef add(a, b):\n    return b + a\n```",
                                   "    return (a +\n"]}
    results = score_completions([problem], completions, CFG)
    assert [r.passed for r in results] == [True, False, True, False]
    assert results[1].status == "runtime_error"
    assert results[3].compile_error_class == "parse_error"


def test_unknown_problem_ids_and_config_keys_are_errors():
    with pytest.raises(KeyError, match="not in the suite"):
        score_completions([], {"ghost": ["x"]}, CFG)
    with pytest.raises(ValueError, match="unknown key"):
        ExecutionConfig.from_dict({"workerz": 3})
    cfg = ExecutionConfig.from_dict({"workers": 3, "run_limits": {"memory_mb": 256},
                                     "timeout_per_test_s": 2.5})
    assert cfg.workers == 3 and cfg.run_limits.memory_mb == 256
    assert cfg.limits_for_run().wall_s == 2.5 and cfg.limits_for_run().cpu_s == 3


@pytest.mark.ghc
@pytest.mark.slow
def test_typecheck_only_on_snippets():
    good = "{-# LANGUAGE LambdaCase #-}\nimport Data.Char (toUpper)\n\nshout :: String -> String\n" \
           "shout = map toUpper\n\nsign :: Int -> Int\nsign = \\case { 0 -> 0; n -> signum n }\n"
    assert typecheck_only(good, CFG)
    assert not typecheck_only("f :: Int -> String\nf x = x\n", CFG)
    assert typecheck_share(["x :: Int\nx = 1", "y :: Int\ny = \"no\""], CFG) == 0.5
    assert typecheck_share([], CFG) == 0.0
