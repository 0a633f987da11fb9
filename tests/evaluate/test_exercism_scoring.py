"""Scoring exercism answers: the module compiled with the exercise's hspec tests in the sandbox,
every example run. Real exercises from ../shared/realdata/exercism (exact counts)."""

import json
import shutil
import subprocess

import pytest

from budgetai.evaluate.exercism import (graded_summary, overridden_instance, reference_completions,
                                       references_not_passing, score_exercise)
from budgetai.evaluate.scoring import score_completions
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.hspec import QUICKCHECK_SEED, SPEC_MODULE, SpecModuleError, spec_module
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
CFG = ExecutionConfig(workers=2, timeout_per_test_s=3)  # for answers that may loop
REFERENCE_CFG = ExecutionConfig(workers=2)  # the format's own limits: alphametics needs > 3 s on a busy machine
# Not the CLI test's sample: the slowest reference here (alphametics, 1.4 s), the most examples
# (custom-set, rational-numbers), a records-heavy one (pov).
SAMPLE = {"reverse-string": 6, "alphametics": 8, "custom-set": 47, "rational-numbers": 50, "pov": 26}
HEADER = "module ReverseString (reverseString) where\n"
SIGNATURE = "reverseString :: String -> String\n"
UNSAFE = "import System.IO.Unsafe (unsafePerformIO)\n"


@pytest.fixture(scope="module")
def problems(shared_dir):
    suite = load_suite(shared_dir / "realdata/exercism/exercises/practice", "exercism")
    return {p.id: p for p in suite}


def _fenced(code: str) -> str:
    return f"Here it is:\n```haskell\n{code}```\n"


def test_spec_module_fixes_the_hspec_version_gap_on_a_copy():
    tests = ("{-# LANGUAGE RecordWildCards #-}\nimport Test.Hspec.Runner (configFailFast, defaultConfig, hspecWith)\n"
             "main = hspecWith defaultConfig {configFailFast = True} specs\nspecs :: Spec\nspecs = pure ()\n")
    module = spec_module(tests)
    assert "configFailFast" not in module and module.count("configFastFail") == 2
    assert module.startswith(f"{{-# LANGUAGE RecordWildCards #-}}\nmodule {SPEC_MODULE} (specs) where\nimport")
    assert "configFailFast" in tests  # the caller's text is untouched
    with pytest.raises(SpecModuleError, match="no top-level `specs :: Spec`"):
        spec_module("main = hspec spec\nspec :: Spec\nspec = pure ()\n")


def test_graded_summary_averages_example_shares_and_names_what_was_not_built():
    rows = [{"problem_id": "a", "tests_passed": 3, "tests_total": 4, "compile_error_class": None, "compile_stderr": ""},
            {"problem_id": "a", "tests_passed": 0, "tests_total": 0, "compile_error_class": "type_error", "compile_stderr": "x"},
            {"problem_id": "b", "tests_passed": 0, "tests_total": 0, "compile_error_class": "missing_package",
             "compile_stderr": "this GHC lacks split (Debian: libghc-split-dev)"}]
    summary = graded_summary(rows)
    assert summary["graded_share"] == pytest.approx(0.75 / 3)
    assert (summary["examples_passed"], summary["examples_run"]) == (3, 4)
    low, high = summary["graded_share_ci95"]
    assert 0.0 <= low <= high <= 0.375
    assert summary["not_built"] == [{"problem_id": "b", "reason": "missing_package",
                                     "detail": "this GHC lacks split (Debian: libghc-split-dev)"}]


def test_an_exercise_without_a_reference_is_reported(shared_dir, tmp_path):
    shutil.copytree(shared_dir / "realdata/exercism/exercises/practice/leap", tmp_path / "leap")
    shutil.rmtree(tmp_path / "leap/.meta/examples")
    problems = load_suite(tmp_path, "exercism")
    assert reference_completions(problems) == {}
    [row] = references_not_passing([], problems)
    assert (row["problem_id"], row["status"]) == ("leap", "no_reference")
    assert row["detail"].endswith("leap/.meta/examples has no success-* solution")


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_a_sample_of_real_references_passes_every_example(problems):
    chosen = [problems[name] for name in SAMPLE]
    results = {r.problem_id: r for r in score_completions(chosen, reference_completions(chosen), REFERENCE_CFG)}
    for name, examples in SAMPLE.items():
        assert (results[name].status, results[name].tests_passed, results[name].tests_total) == \
            ("passed", examples, examples), results[name].compile_stderr


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_wrong_broken_and_hostile_answers_through_the_format(problems, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret")
    secret.chmod(0o644)
    answers = {
        "partial": HEADER + SIGNATURE + "reverseString = id\n",  # right on "", "I", "racecar"...
        "type_error": HEADER + SIGNATURE + "reverseString s = s ++ 1\n",
        "parse_error": HEADER + SIGNATURE + "reverseString s = = s\n",
        "no_module_line": SIGNATURE + "reverseString = foldl (flip (:)) []\n",
        # passes only where the host's file cannot be read
        "reads_host_file": HEADER + UNSAFE + "import Control.Exception\n" + SIGNATURE
        + f"reverseString s = unsafePerformIO $ do\n  r <- try (readFile {json.dumps(str(secret))}) :: IO (Either SomeException String)\n"
        + "  return (either (const (reverse s)) id r)\n",
        "forks": HEADER + UNSAFE + "import System.Process (spawnProcess)\nimport Control.Monad (forM_)\n" + SIGNATURE
        + "reverseString s = unsafePerformIO (forM_ [1 :: Int .. 500] (\\_ -> spawnProcess \"sleep\" [\"97\"])) `seq` reverse s\n",
        "loops": HEADER + SIGNATURE + "reverseString s = go (0 :: Int) `seq` reverse s where go n = n `seq` go (n + 1)\n",
        "exits_in_a_test": HEADER + UNSAFE + "import System.Exit\n" + SIGNATURE
        + "reverseString s = unsafePerformIO (exitSuccess >> return s)\n",
        "forges_the_summary": HEADER + UNSAFE + "import System.Exit\nimport System.IO\nimport System.Posix.Process (exitImmediately)\n"
        + SIGNATURE + "reverseString s = unsafePerformIO (putStrLn \"\\nBUDGETAI-HSPEC-SUMMARY 0123 6 0\" >> hFlush stdout"
        + " >> exitImmediately ExitSuccess >> return s)\n",
        "refused_pragma": "{-# OPTIONS_GHC -main-is Foo #-}\n" + HEADER + "reverseString = reverse\n",
    }
    problem = problems["reverse-string"]
    results = score_completions([problem], {problem.id: [_fenced(a) for a in answers.values()]}, CFG)
    got = {name: (r.compiled, r.compile_error_class, r.status, r.tests_passed, r.tests_total)
           for name, r in zip(answers, results)}
    assert got == {
        "partial": (True, None, "failed", 2, 6),
        "type_error": (False, "type_error", "compile_error", 0, 0),
        "parse_error": (False, "parse_error", "compile_error", 0, 0),
        "no_module_line": (True, None, "passed", 6, 6),
        "reads_host_file": (True, None, "passed", 6, 6),
        "forks": (True, None, "failed", 0, 6),
        "loops": (True, None, "timeout", 0, 0),
        "exits_in_a_test": (True, None, "failed", 0, 6),
        "forges_the_summary": (True, None, "exited_early", 0, 0),
        "refused_pragma": (False, "forbidden_pragma", "forbidden_pragma", 0, 0),
    }
    assert "Resource temporarily unavailable" in results[list(answers).index("forks")].failures[0]
    assert f"Randomized with seed {QUICKCHECK_SEED}" in results[0].failures[0]  # same QuickCheck cases every run
    left = subprocess.run(["pgrep", "-f", "sleep 97"], capture_output=True, text=True).stdout
    assert left == ""  # the sandbox took the forked processes with it


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_the_tracks_own_wrong_examples_fail_some_examples(problems):
    outcomes = {}
    for name in ("accumulate", "strain"):
        exercise = problems[name].exercise
        [wrong] = exercise.wrong
        outcomes[name] = score_exercise(problems[name], wrong.sources[exercise.solution_file], CFG)
    assert {n: (o.status, o.examples_passed, o.examples_total) for n, o in outcomes.items()} == \
        {"accumulate": ("failed", 5, 6), "strain": ("failed", 12, 14)}


@needs_sandbox
@pytest.mark.ghc
def test_a_library_this_ghc_lacks_is_the_machines_gap(problems):
    problem = problems["leap"]
    exercise = problem.exercise
    missing = type(exercise)(**{**exercise.__dict__, "dependencies": (*exercise.dependencies, "no-such-lib")})
    outcome = score_exercise(type(problem)(**{**problem.__dict__, "exercise": missing}),
                             problem.reference, CFG)
    assert (outcome.compiled, outcome.compile_error_class) == (False, "missing_package")
    assert "no-such-lib (Debian: libghc-no-such-lib-dev)" in outcome.compile_stderr


@needs_sandbox
@pytest.mark.ghc
def test_tests_that_import_their_own_helper_module_build(tmp_path):
    exercise = tmp_path / "suite/greeting"
    files = {".docs/instructions.md": "Greet.", "src/Greeting.hs": 'module Greeting (greet) where\ngreet :: String -> String\ngreet = error "You need to implement this function."\n',
             "test/Tests.hs": "import Test.Hspec\nimport Helpers.Names (names)\nimport Greeting (greet)\n"
                              "main :: IO ()\nmain = hspec specs\nspecs :: Spec\n"
                              'specs = mapM_ (\\n -> it n $ greet n `shouldBe` ("Hi " ++ n)) names\n',
             "test/Helpers/Names.hs": 'module Helpers.Names (names) where\nnames :: [String]\nnames = ["Ann", "Bo", ""]\n'}
    for relative, text in files.items():
        (exercise / relative).parent.mkdir(parents=True, exist_ok=True)
        (exercise / relative).write_text(text)
    [problem] = load_suite(tmp_path / "suite", "exercism")
    outcome = score_exercise(problem, 'module Greeting (greet) where\ngreet :: String -> String\ngreet n = if null n then "Hi" else "Hi " ++ n\n', CFG)
    assert (outcome.status, outcome.examples_passed, outcome.examples_total) == ("failed", 2, 3)


@needs_sandbox
@pytest.mark.ghc
def test_an_answer_may_not_replace_an_instance_the_stub_derives(repo_dir):
    [problem] = [p for p in load_suite(repo_dir / "resources/exercises", "exercism") if p.id == "version-order"]
    equal_to_everything = (
        "module VersionOrder (Version(..), parseVersion, bumpMinor, newest) where\n"
        "data Version = Version { major :: Int, minor :: Int, patch :: Int } deriving (Show)\n"
        "instance Eq Version where\n  _ == _ = True\n"
        "instance Ord Version where\n  compare _ _ = EQ\n"
        "parseVersion :: String -> Maybe Version\nparseVersion _ = Just (Version 0 0 0)\n"
        "bumpMinor :: Version -> Version\nbumpMinor = id\n"
        "newest :: [String] -> Maybe Version\nnewest _ = Just (Version 0 0 0)\n")
    outcome = score_exercise(problem, equal_to_everything, CFG)
    assert (outcome.compile_error_class, outcome.status, outcome.examples_passed) == \
        ("forbidden_instance", "forbidden_instance", 0)
    assert "instance Eq Version" in outcome.compile_stderr
    via = "{-# LANGUAGE DerivingVia #-}\n" + problem.reference
    assert score_exercise(problem, via, CFG).compile_error_class == "forbidden_instance"


@pytest.mark.parametrize("answer,refused", [
    ("data Tree a = Leaf | Node (Tree a) a (Tree a)\ninstance Eq a => Eq (Tree a) where\n  _ == _ = True\n",
     "instance Eq Tree"),  # the stub's declaration kept, its derived Eq replaced
    ("data Tree a = Leaf | Node (Tree a) a (Tree a) deriving (Eq, Show)\ninstance Eq a => Semigroup (Tree a)\n", None),
    ("newtype Tree a = Tree [a]\ninstance Eq (Tree a) where\n  _ == _ = True\n", None),  # its own type, its own instances
    ("{-# LANGUAGE DerivingVia #-}\ndata Tree a = Leaf deriving Eq via Anything\n", "instances derived via other types (DerivingVia)"),
])
def test_instances_the_stub_derives_stay_derived(answer, refused):
    stub = "module T (Tree(..)) where\n\ndata Tree a = Leaf\n            | Node (Tree a) a (Tree a)\n  deriving (Eq, Show)\n"
    assert overridden_instance(stub, answer) == refused
