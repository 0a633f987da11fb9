"""`budgetai evaluate --format exercism --references`: the suite's own reference solutions
scored without a model, through the path a model's answers take (the whole shared half of the
Exercism Haskell track: which exercises this machine can run, and why not the rest)."""

import json

import pytest

from budgetai.commands.main import main
from budgetai.haskell.sandbox import sandbox_backend

ROW_KEYS = {"problem_id", "sample_index", "completion", "compiled", "compile_error_class", "passed",
            "examples_passed", "examples_total"}


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.ghc
@pytest.mark.slow
def test_every_shared_reference_is_scored_and_the_ones_that_cannot_pass_are_named(shared_dir, tmp_path):
    suite = shared_dir / "realdata/exercism/exercises/practice"
    assert main(["evaluate", "--suite", str(suite), "--format", "exercism", "--references",
                 "--out", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "practice.json").read_text())
    rows = [json.loads(line) for line in (tmp_path / "practice.generations.jsonl").open()]
    assert result["target"] == "references" and result["problems_without_completions"] == []
    assert len(rows) == 51 and all(ROW_KEYS <= row.keys() for row in rows)
    failed = {r["problem_id"]: r["compile_error_class"] for r in rows if not r["passed"]}
    assert failed == {"list-ops": "forbidden_pragma"}  # its HLint ANN pragma; 50 of 51 pass here
    assert result["ladder"]["passes"]["count"] == 50 and result["ladder"]["typechecks"]["count"] == 50
    exercism = result["exercism"]
    assert (exercism["examples_passed"], exercism["examples_run"]) == (722, 722)
    assert exercism["graded_share"] == pytest.approx(50 / 51)
    assert exercism["not_built"] == []
    references = [json.loads(line) for line in (tmp_path / "practice.references.jsonl").open()]
    assert [r["problem_id"] for r in references] == [r["problem_id"] for r in rows]


def test_references_need_the_exercism_format(repo_dir, tmp_path, capsys):
    assert main(["evaluate", "--suite", str(repo_dir / "resources/forgeries/functions.jsonl"),
                 "--format", "multipl-e", "--references", "--out", str(tmp_path)]) == 2
    assert "--references needs format exercism, not 'multipl-e'" in capsys.readouterr().err
