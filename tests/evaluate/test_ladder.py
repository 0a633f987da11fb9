"""The evaluation ladder (parses -> type-checks -> passes, Wilson intervals) on fixed
generations scored by real GHC in the sandbox, and its columns in the report."""

import pytest

from budgetai.evaluate.scoring import rungs_of_result, score_completions
from budgetai.haskell.execution import ExecutionConfig
from budgetai.evaluate.ladder import ladder as ladder_of, wilson_interval
from budgetai.evaluate.scoring import Rungs
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite
from budgetai.report.html import headline_metrics

CFG = ExecutionConfig(workers=2, timeout_per_test_s=3)


def test_wilson_interval_known_values():
    # 0 of 20: not the normal approximation's zero-width [0, 0]
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)
    low, high = wilson_interval(10, 20)
    assert (low, high) == (pytest.approx(0.2993, abs=1e-4), pytest.approx(0.7007, abs=1e-4))
    assert wilson_interval(0, 0) is None


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
def test_ladder_of_fixed_generations(repo_dir):
    problems = {p.id: p for p in load_suite(repo_dir / "resources/problems/problems.jsonl", "stdio")}
    solution = (repo_dir / "resources/problems/solutions/p01-sum-of-pairs.hs").read_text()
    completions = {"p01-sum-of-pairs": [
        f"```haskell\n{solution}```",  # passes
        # Python in a haskell fence, what the models write today: `in` stops GHC's parser
        "```haskell\nimport sys\nfor line in sys.stdin:\n    print(sum(map(int, line.split())))\n```",
        "```haskell\nmain :: IO ()\nmain = putStrLn (1 + True)\n```",  # parses, does not type-check
        "```haskell\nmain :: IO ()\nmain = putStrLn \"0\"\n```",  # type-checks, wrong answer
    ]}
    results = score_completions([problems["p01-sum-of-pairs"]], completions, CFG)
    ladder = ladder_of(map(rungs_of_result, results))
    assert [ladder[r]["count"] for r in ("parses", "typechecks", "passes")] == [3, 2, 1]
    assert ladder["passes"]["n"] == 4 and ladder["passes"]["rate"] == 0.25
    assert ladder["parses"]["ci95"] == list(wilson_interval(3, 4))


def test_ladder_in_the_report_columns():
    result = {"metrics": {"pass_at_k": {"pass@1": 0.25}, "pass_at_k_ci95": {"pass@1": [0.0, 0.75]}},
              "ladder": {"parses": {"count": 3, "n": 4, "rate": 0.75, "ci95": [0.3, 0.95]},
                         "typechecks": {"count": 2, "n": 4, "rate": 0.5, "ci95": [0.15, 0.85]},
                         "passes": {"count": 1, "n": 4, "rate": 0.25, "ci95": [0.05, 0.7]}}}
    flat = headline_metrics(result)
    assert flat["1 parses"] == (0.75, [0.3, 0.95]) and flat["3 passes"] == (0.25, [0.05, 0.7])
    heldout = {"metrics": {"heldout_loss": 2.3}, "ladder": ladder_of([Rungs(True, False, None), Rungs(False, False, None)])}
    assert "3 passes" not in headline_metrics(heldout) and headline_metrics(heldout)["1 parses"][0] == 0.5


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
def test_heldout_suite_json_carries_the_ladder(work, monkeypatch):
    """The held-out path on fixed generations (no model): tree-sitter parses, GHC type-checks."""
    from budgetai.evaluate import runner
    from budgetai.evaluate.generation import GenerationConfig
    from budgetai.core.records import Record, write_records

    rows = [Record(f"t:{i}", "t", "qa", f"question {i}", "```haskell\nx = 1\n```", "haskell", "", "MIT", f"g{i}")
            for i in range(3)]
    write_records(rows, work / "test.parquet")
    fixed = ["```haskell\nx :: Int\nx = 1\n```", "```haskell\nx :: Int\nx = \"one\"\n```",
             "```haskell\nfor x in xs:\n    print(x)\n```"]
    scored = runner.TokenizedExamples(examples=[{}] * 3, response_tokens=30, trained_response_tokens=30)
    monkeypatch.setattr(runner, "heldout_loss", lambda *args, **kwargs: (2.0, scored))
    monkeypatch.setattr(runner, "is_encoder_decoder", lambda model_dir: False)
    monkeypatch.setattr(runner, "generate", lambda model, tokenizer, conversations, cfg: [[t] for t in fixed])
    result, _ = runner._heldout(None, None, work / "test.parquet", {"max_rows": 3, "max_generations": 3},
                                {}, GenerationConfig(), work)
    ladder = result["ladder"]
    assert (ladder["parses"]["count"], ladder["typechecks"]["count"], ladder["passes"]) == (2, 1, None)
    assert result["metrics"]["typecheck_rate"] == pytest.approx(1 / 3)
