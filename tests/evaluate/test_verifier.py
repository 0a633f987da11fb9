"""The verifier of generated answers on fixed answers: passing, failing, type-correct but wrong
against a `>>>` example, and hostile ones (forgeries, host files, loops); its forgery gate."""

import json
import shutil

import pytest

from budgetai.core.records import Record
from budgetai.core.stats import StageStats
from budgetai.evaluate.forgery import FORGERIES_FILE, FORGERY_DIR, PROBLEMS_FILE, ForgeryAccepted
from budgetai.evaluate.verifier import (UNVERIFIABLE, Verifier, doc_examples, haskell_string,
                                        problems_of)
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.sources import reader_for

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
CFG = ExecutionConfig(workers=2, timeout_per_test_s=3)  # answers that loop cost 3 s
CLAMP_DOC = """-- | Clamp a value into the closed range @(lo, hi)@.
--
-- >>> clamp (0, 10) 15
-- {high}
-- >>> clamp (0, 10) (-3)
-- 0
-- >>> map (clamp (1, 2)) [0, 5]
-- [1,2]
clamp :: (Int, Int) -> Int -> Int"""
CLAMP = "clamp :: (Int, Int) -> Int -> Int\nclamp (lo, hi) = max lo . min hi\n"


def fenced(code: str) -> str:
    return f"```haskell\n{code.rstrip()}\n```"


def mined(doc: str, response: str = CLAMP) -> Record:
    """A definition as budgetai.stages.mining writes it."""
    prompt = f"Write the Haskell function `clamp` of module Data.Range, as documented:\n\n{fenced(doc)}"
    return Record(id="lib:Data/Range.hs#clamp", source="lib", kind="instruction", prompt=prompt,
                  response=fenced(response), language="haskell", url="Data/Range.hs", license="MIT",
                  group="lib:containers", meta={"mined": "definition", "declaration": "clamp"})


def sum_problem(response: str) -> Record:
    return Record(id="cf:1", source="cf", kind="problem_solution", language="haskell", url="", license="MIT",
                  prompt="Read two integers and print their sum.", response=fenced(response), group="cf:1A",
                  meta={"sample_tests": [{"input": "1 2\n", "output": "3\n"}, {"input": "-5 5\n", "output": "0\n"}]})


@pytest.fixture(scope="module")
def verifier():
    return Verifier(CFG)


def test_doc_examples_are_read_from_the_prompts_doc_comment():
    doc = doc_examples(mined(CLAMP_DOC.format(high=10)))
    assert doc.name == "clamp" and doc.setup == ()
    assert doc.examples == (("clamp (0, 10) 15", "10"), ("clamp (0, 10) (-3)", "0"),
                            ("map (clamp (1, 2)) [0, 5]", "[1,2]"))
    block = ("{-| Split.\n\n>>> import Data.Char (toUpper)\n>>> let s = \"a b\"\n>>> splitOn ' ' s\n"
             "[\"a\",\"b\"]\n>>> mapM_ print [1, 2]\n1\n2\n-}\nsplitOn :: Char -> String -> [String]")
    record = Record(id="x", source="s", kind="instruction", prompt=fenced(block), response="", language="haskell",
                    url="", license="MIT", group="g")
    doc = doc_examples(record)
    assert doc.setup == ("import Data.Char (toUpper)", 'let s = "a b"')
    assert doc.examples == (("splitOn ' ' s", '["a","b"]'),)  # the two-line result is not checked
    ghci = Record(**{**record.__dict__, "prompt": fenced("-- >>> :set -XOverloadedStrings\nf :: Int")})
    assert doc_examples(ghci) is None
    assert haskell_string('say "hi"\\\n\u00e9') == '"say \\"hi\\"\\\\\\10\\&\\233\\&"'


def test_which_rules_apply_to_which_records():
    assert [rule for rule, _, _ in problems_of(mined(CLAMP_DOC.format(high=10)))] == ["doc_examples", "signature"]
    assert [rule for rule, _, _ in problems_of(sum_problem("main = pure ()"))] == ["tests"]
    qa = Record(id="se:1", source="se", kind="qa", prompt="How do I fold a list?", response="Use foldr.",
                language="haskell", url="", license="CC-BY-SA-4.0", group="se:1")
    assert problems_of(qa) == []
    with pytest.raises(ValueError, match="'fuzzing'"):
        Verifier(CFG, rules=("tests", "fuzzing"))


@needs_sandbox
@pytest.mark.ghc
def test_the_whole_forgery_suite_is_resisted(verifier):
    verifier.check_forgeries()  # raises ForgeryAccepted naming every case it got wrong


@needs_sandbox
@pytest.mark.ghc
def test_a_mined_definition_is_judged_by_its_doc_examples(verifier):
    answers = [
        "Here:\n" + fenced("clamp :: (Int, Int) -> Int -> Int\nclamp (lo, hi) x\n  | x < lo = lo\n"
                           "  | x > hi = hi\n  | otherwise = x"),
        fenced("clamp :: (Int, Int) -> Int -> Int\nclamp (lo, _) x = max lo x"),  # types right, 15 -> 15
        fenced("clamp :: Integer -> Integer\nclamp = id"),
        fenced("{-# OPTIONS_GHC -main-is cheat #-}\nclamp :: (Int, Int) -> Int -> Int\nclamp _ x = x\n"
               "cheat :: IO ()\ncheat = pure ()"),
        fenced("import System.Exit (exitSuccess)\nimport System.IO.Unsafe (unsafePerformIO)\n"
               "clamp :: (Int, Int) -> Int -> Int\nclamp _ x = unsafePerformIO exitSuccess `seq` x"),
        fenced("clamp :: (Int, Int) -> Int -> Int\nclamp r x = clamp r x"),
        "I cannot write this function.",
        "",
    ]
    verdicts = verifier.verify(mined(CLAMP_DOC.format(high=10)), answers)
    assert [(v.kept, v.rule, v.status) for v in verdicts] == [
        (True, "doc_examples", "passed"), (False, "doc_examples", "runtime_error"),
        (False, "doc_examples", "compile_error"), (False, "doc_examples", "forbidden_pragma"),
        (False, "doc_examples", "exited_early"), (False, "doc_examples", "timeout"),
        (False, "doc_examples", "compile_error"), (False, "doc_examples", "no_code")]
    assert (verdicts[0].checks_passed, verdicts[0].checks_total) == (3, 3)
    assert "Couldn't match" in verdicts[2].detail
    # the type-correct wrong answer is what a bare type-check would keep
    by_signature = Verifier(CFG, rules=("signature",))
    by_signature._trusted = verifier._trusted
    assert [(v.kept, v.rule) for v in by_signature.verify(mined(CLAMP_DOC.format(high=10)), answers[1:2])] == \
        [(True, "signature")]


@needs_sandbox
@pytest.mark.ghc
def test_a_prompt_whose_own_reference_fails_a_rule_is_not_judged_by_it(verifier):
    """A doc example that is wrong (15 clamps to 10, not 11): the reference fails it, so the
    answers are not blamed for it; no other default rule applies."""
    verdicts = verifier.verify(mined(CLAMP_DOC.format(high=11)), [fenced(CLAMP)])
    assert [(v.kept, v.rule, v.status) for v in verdicts] == [(False, None, UNVERIFIABLE)]


@needs_sandbox
@pytest.mark.ghc
def test_stdio_sample_tests_judge_a_program_and_host_files_stay_out_of_reach(verifier, work):
    expected = work / "expected.txt"  # what a program that can read the host would copy
    expected.write_text("3\n")
    answers = ["main = interact (show . sum . map read . words)",
               "main = putStrLn \"3\"",
               f"main = readFile {haskell_string(str(expected))} >>= putStr",
               "main = main"]
    verdicts = verifier.verify(sum_problem("main = interact (show . sum . map read . words)"),
                               [fenced(a) for a in answers])
    assert [(v.kept, v.rule, v.status, v.checks_passed, v.checks_total) for v in verdicts] == [
        (True, "tests", "passed", 2, 2), (False, "tests", "wrong_answer", 1, 2),
        (False, "tests", "runtime_error", 0, 2), (False, "tests", "timeout", 0, 2)]


@needs_sandbox
@pytest.mark.ghc
def test_an_exercism_record_is_judged_by_its_hspec_tests(verifier, shared_dir, work):
    stats, quarantine = StageStats("ingest"), []
    [record] = reader_for("exercism")(
        "track", {"root": str(shared_dir / "realdata/exercism/exercises/practice"), "license": "MIT",
                  "exercises": ["reverse-string"], "verify_cache_dir": str(work / "cache")}, stats, quarantine)
    header = "module ReverseString (reverseString) where\n"
    answers = [fenced(header + "reverseString :: String -> String\nreverseString = foldl (flip (:)) []"),
               fenced(header + "reverseString :: String -> String\nreverseString = id"),
               fenced(header + "import System.IO.Unsafe (unsafePerformIO)\nreverseString :: String -> String\n"
                      "reverseString s = unsafePerformIO (readFile \"/work/main/README.md\") `seq` reverse s"),
               fenced(header + "reverseString :: String -> String\nreverseString s = reverseString s")]
    verdicts = verifier.verify(record, answers)
    assert [(v.kept, v.rule, v.status) for v in verdicts] == [
        (True, "tests", "passed"), (False, "tests", "failed"), (False, "tests", "failed"),
        (False, "tests", "timeout")]
    assert (verdicts[0].checks_passed, verdicts[0].checks_total) == (6, 6)
    assert verdicts[1].checks_passed < verdicts[1].checks_total == 6


@needs_sandbox
@pytest.mark.ghc
def test_a_verifier_fooled_by_the_forgery_suite_refuses_to_verify(work):
    """A suite whose one case is an honest answer labelled a forgery: a scorer that passes it is
    'fooled', and the verifier keeps nothing rather than trusting itself."""
    shutil.copy(FORGERY_DIR / PROBLEMS_FILE, work / PROBLEMS_FILE)
    control = json.loads((FORGERY_DIR / FORGERIES_FILE).read_text().splitlines()[1])
    assert control["expect"] == "pass"
    (work / FORGERIES_FILE).write_text(json.dumps({**control, "sample_index": 0, "expect": "fail"}) + "\n")
    with pytest.raises(ForgeryAccepted, match="control_full_definition"):
        Verifier(CFG, forgery_dir=work).verify(mined(CLAMP_DOC.format(high=10)), [fenced(CLAMP)])
