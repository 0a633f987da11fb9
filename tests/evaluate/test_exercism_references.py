"""`budgetai evaluate --format exercism --references`: the suite's own reference solutions
scored without a model, through the path a model's answers take (which exercises this machine
can run, and why not the rest)."""

import json

import pytest

from budgetai.commands.main import main
from budgetai.haskell.sandbox import sandbox_backend

ROW_KEYS = {"problem_id", "sample_index", "completion", "compiled", "compile_error_class", "passed",
            "examples_passed", "examples_total"}


# A fixed sample of the shared half (the whole of it, 51 exercises, runs in ~45 s: see
# bench/exercism_cost.py): plain functions, a support module (satellite), extra libraries
# (word-count: containers, split; sgf-parsing: containers, text, parsec) and the one reference
# refused here (list-ops: an HLint `ANN` pragma, which answers may not use).
SAMPLE = {"leap": 9, "list-ops": 0, "satellite": 6, "sgf-parsing": 23, "word-count": 13}


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.ghc
@pytest.mark.slow
def test_shared_references_are_scored_and_the_ones_that_cannot_pass_are_named(shared_dir, tmp_path):
    suite = tmp_path / "exercism"
    suite.mkdir()
    for name in SAMPLE:
        (suite / name).symlink_to(shared_dir / "realdata/exercism/exercises/practice" / name)
    out = tmp_path / "out"
    assert main(["evaluate", "--suite", str(suite), "--format", "exercism", "--references",
                 "--out", str(out)]) == 0
    result = json.loads((out / "exercism.json").read_text())
    rows = [json.loads(line) for line in (out / "exercism.generations.jsonl").open()]
    assert result["target"] == "references" and result["problems_without_completions"] == []
    assert all(ROW_KEYS <= row.keys() for row in rows)
    assert {r["problem_id"]: r["examples_passed"] for r in rows} == SAMPLE
    assert {r["problem_id"]: r["compile_error_class"] for r in rows if not r["passed"]} == \
        {"list-ops": "forbidden_pragma"}
    [refused] = result["references_not_passing"]
    assert (refused["problem_id"], refused["status"], refused["examples"]) == ("list-ops", "forbidden_pragma", "0/0")
    assert "ANN foldr" in refused["detail"]
    assert result["ladder"]["passes"]["count"] == 4 and result["ladder"]["typechecks"]["count"] == 4
    exercism = result["exercism"]
    assert (exercism["examples_passed"], exercism["examples_run"]) == (51, 51)
    assert exercism["graded_share"] == pytest.approx(4 / 5) and exercism["not_built"] == []
    references = [json.loads(line) for line in (out / "exercism.references.jsonl").open()]
    assert sorted(r["problem_id"] for r in references) == sorted(SAMPLE)


def test_references_need_the_exercism_format(repo_dir, tmp_path, capsys):
    assert main(["evaluate", "--suite", str(repo_dir / "resources/forgeries/functions.jsonl"),
                 "--format", "multipl-e", "--references", "--out", str(tmp_path)]) == 2
    assert "--references needs format exercism, not 'multipl-e'" in capsys.readouterr().err
