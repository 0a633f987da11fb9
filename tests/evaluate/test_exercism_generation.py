"""An exercism suite evaluated end to end with a (tiny, random) model: the prompt asks for the
whole module, the answers are scored through the format, and the eval JSON and generation rows
carry the graded share and the examples counts. Every answer of a random model fails."""

import json

import pytest

from budgetai.evaluate.exercism import exercise_messages
from budgetai.evaluate.runner import evaluate_suite
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.suites.load import load_suite


def test_the_prompt_asks_for_the_whole_module_with_its_stub(repo_dir):
    [problem] = [p for p in load_suite(repo_dir / "resources/exercises", "exercism") if p.id == "ring-buffer"]
    system, user = exercise_messages(problem)
    assert system["role"] == "system" and user["role"] == "user"
    assert "complete module `RingBuffer`" in user["content"]
    assert "# Ring buffer" in user["content"] and "newBuffer :: Int -> Maybe (Buffer a)" in user["content"]
    assert "Libraries available besides base: QuickCheck" not in user["content"]  # a test library


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.ghc
@pytest.mark.slow
def test_a_model_is_evaluated_on_an_exercism_suite(tiny_llama_dir, repo_dir, tmp_path):
    suite = {"name": "exercises", "format": "exercism", "path": str(repo_dir / "resources/exercises"),
             "max_problems": 2}
    cfg = {"generation": {"samples": 1, "temperature": 0.0, "max_new_tokens": 8},
           "execution": {"workers": 2, "timeout_per_test_s": 5}}
    result = evaluate_suite(tiny_llama_dir, None, suite, cfg, tmp_path / "exercises.json",
                            tmp_path / "exercises.generations.jsonl", label="base")
    rows = [json.loads(line) for line in (tmp_path / "exercises.generations.jsonl").open()]
    assert [r["problem_id"] for r in rows] == ["csv-line", "digit-persistence"]
    assert all(not r["passed"] and r["examples_passed"] == 0 for r in rows)
    assert result["exercism"]["graded_share"] == 0.0 and result["ladder"]["passes"]["count"] == 0
    assert json.loads((tmp_path / "exercises.json").read_text())["format"] == "exercism"
