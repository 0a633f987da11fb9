"""Final evaluation and checkpoint selection judge an answer by one rule: the same answers, fed
to both paths (generation replaced by fixed answers, GHC real), climb the same rungs."""

from __future__ import annotations

import json

import pytest

from budgetai.core.records import Record, write_records
from budgetai.core.config.training import with_defaults
from budgetai.evaluate import runner
from budgetai.evaluate.generation import GenerationConfig
from budgetai.examples.tokenize import TokenizedExamples
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite
from budgetai.train import checkpoint_scoring
from budgetai.train.checkpoint_scoring import ScoringProblem, score_model

pytestmark = [pytest.mark.ghc, pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")]
EXECUTION = {"workers": 2, "timeout_per_test_s": 5}
PROBLEM_ID = "p01-sum-of-pairs"
WITHOUT_TESTS = {
    "empty": "",
    "python_in_a_haskell_fence": "```haskell\nfor x in xs:\n    print(x)\n```",
    "type_error": "```haskell\nx :: Int\nx = True\n```",
    "type_correct": "```haskell\ninc :: Int -> Int\ninc x = x + 1\n```",
}


def with_tests(repo_dir) -> dict[str, str]:
    solution = (repo_dir / f"resources/problems/solutions/{PROBLEM_ID}.hs").read_text()
    return {
        "empty": "",
        "prose_only": "I am not sure how to solve this.",
        "python_in_a_haskell_fence": "```haskell\nimport sys\nfor line in sys.stdin:\n    print(line)\n```",
        "type_error": "```haskell\nmain :: IO ()\nmain = putStrLn (1 + True)\n```",
        "wrong_answer": "```haskell\nmain :: IO ()\nmain = putStrLn \"0\"\n```",
        "passing": f"```haskell\n{solution}```",
    }


def answering(answer: str):
    return lambda model, tokenizer, conversations, cfg: [[answer] for _ in conversations]


def rungs_of(ladder: dict) -> tuple:
    return tuple(None if ladder[r] is None else ladder[r]["count"] for r in ("parses", "typechecks", "passes"))


def checkpoint_rungs(counts: dict, tested: bool) -> tuple:
    return counts["parses"], counts["typechecks"], counts["passes"] if tested else None


@pytest.fixture(scope="module")
def stdio_suite(repo_dir, tmp_path_factory):
    problems = {json.loads(line)["id"]: line for line in
                (repo_dir / "resources/problems/problems.jsonl").read_text().splitlines() if line.strip()}
    path = tmp_path_factory.mktemp("suite") / "one.jsonl"
    path.write_text(problems[PROBLEM_ID] + "\n")
    return path


@pytest.mark.parametrize("name", ["empty", "prose_only", "python_in_a_haskell_fence", "type_error",
                                  "wrong_answer", "passing"])
def test_an_answer_with_tests_climbs_the_same_rungs_in_both_paths(name, repo_dir, stdio_suite, monkeypatch):
    answer = with_tests(repo_dir)[name]
    monkeypatch.setattr(runner, "generate", answering(answer))
    monkeypatch.setattr(checkpoint_scoring, "generate", answering(answer))
    final, _ = runner._executable(None, None, {"path": str(stdio_suite), "format": "stdio"},
                                  {"execution": EXECUTION}, GenerationConfig())
    problem = load_suite(stdio_suite, "stdio")[0]
    cfg = with_defaults({"checkpoint_scoring": {"execution": EXECUTION}})
    selection = score_model(None, None, [ScoringProblem(problem.id, [], problem)], cfg)
    assert rungs_of(final["ladder"]) == checkpoint_rungs(selection, tested=True)
    if name in ("empty", "prose_only"):
        assert rungs_of(final["ladder"]) == (0, 0, 0)  # no code: no rung, whatever GHC says of it


@pytest.mark.parametrize("name", list(WITHOUT_TESTS))
def test_an_answer_without_tests_climbs_the_same_rungs_in_both_paths(name, tmp_path, monkeypatch):
    answer = WITHOUT_TESTS[name]
    write_records([Record("t:0", "t", "qa", "Write inc.", "```haskell\ninc = (+ 1)\n```", "haskell", "", "MIT", "g")],
                  tmp_path / "test.parquet")
    scored = TokenizedExamples(examples=[{}], response_tokens=10, trained_response_tokens=10)
    monkeypatch.setattr(runner, "heldout_loss", lambda *args, **kwargs: (2.0, scored))
    monkeypatch.setattr(runner, "is_encoder_decoder", lambda model_dir: False)
    monkeypatch.setattr(runner, "generate", answering(answer))
    monkeypatch.setattr(checkpoint_scoring, "generate", answering(answer))
    final, _ = runner._heldout(None, None, tmp_path / "test.parquet", {"max_rows": 1, "max_generations": 1},
                               {"execution": EXECUTION}, GenerationConfig(), tmp_path)
    cfg = with_defaults({"checkpoint_scoring": {"execution": EXECUTION}})
    selection = score_model(None, None, [ScoringProblem("t:0", [])], cfg)
    assert rungs_of(final["ladder"]) == checkpoint_rungs(selection, tested=False)
    if name == "empty":
        assert rungs_of(final["ladder"]) == (0, 0, None)
