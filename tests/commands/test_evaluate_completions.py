"""`budgetai evaluate --completions FILE`: completions produced elsewhere are scored without a
model, into the same eval JSON and generations file; bad files are named."""

import json

import pytest

from budgetai.commands.main import main
from budgetai.evaluate.completions_file import CompletionsFileError, read_completions
from budgetai.haskell.sandbox import sandbox_backend

SUITE = "resources/forgeries/functions.jsonl"
FORGERIES = "resources/forgeries/forgeries.generations.jsonl"


def evaluate(repo_dir, out, completions, *extra):
    return main(["evaluate", "--suite", str(repo_dir / SUITE), "--format", "multipl-e",
                 "--completions", str(completions), "--out", str(out), *extra])


@pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
@pytest.mark.ghc
@pytest.mark.slow
def test_completions_file_is_scored_without_a_model(repo_dir, tmp_path):
    assert evaluate(repo_dir, tmp_path, repo_dir / FORGERIES, "--ks", "1,2") == 0
    result = json.loads((tmp_path / "functions.json").read_text())
    assert result["model_dir"] is None and result["completions_file"].endswith(FORGERIES)
    assert result["metrics"]["problems"] == 2 and result["metrics"]["samples"] == 14
    rows = [json.loads(line) for line in (tmp_path / "functions.generations.jsonl").open()]
    expected = [json.loads(line) for line in (repo_dir / FORGERIES).open()]
    assert [(r["problem_id"], r["sample_index"]) for r in rows] == \
        [(e["problem_id"], e["sample_index"]) for e in expected]
    assert [r["passed"] for r in rows] == [e["expect"] == "pass" for e in expected]
    assert [r["completion"] for r in rows] == [e["completion"] for e in expected]
    assert result["ladder"] and "pass@1" in result["metrics"]["pass_at_k"]


def test_completions_for_a_problem_not_in_the_suite_are_named(repo_dir, tmp_path, capsys):
    ghost = tmp_path / "ghost.jsonl"
    ghost.write_text(json.dumps({"problem_id": "ghost", "sample_index": 0, "completion": "x"}) + "\n")
    assert evaluate(repo_dir, tmp_path / "out", ghost) == 2
    err = capsys.readouterr().err
    assert "ghost.jsonl" in err and "'ghost'" in err


def test_completions_take_no_adapter_and_model_or_completions_is_required(repo_dir, tmp_path, capsys):
    assert evaluate(repo_dir, tmp_path, repo_dir / FORGERIES, "--adapter", "a") == 2
    assert "--completions" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["evaluate", "--suite", SUITE, "--out", str(tmp_path)])


@pytest.mark.parametrize("line, message", [
    (b'["problem_id", 0]', "a list, not a JSON object"),
    (b'{"problem_id": "p", "completion": "x"}', "no 'sample_index' field"),
    (b'{"problem_id": 1, "sample_index": 0, "completion": "x"}', "problem_id is 1, not a str"),
    (b'{"problem_id": "p", "sample_index": true, "completion": "x"}', "sample_index is True"),
    (b'{"problem_id": "p", "sample_index": 1, "completion": "x"}', "must be 0..0"),
    (b'{"problem_id": "p", "sample_index": 0, "completion": "\xe9"}', "not UTF-8"),
    (b'{"problem_id": "p", "sample_index": 0, "completion": "x"}\n'
     b'{"problem_id": "p", "sample_index": 0, "completion": "y"}', "sample_index 0 appears twice"),
])
def test_bad_completions_file_names_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "gen.jsonl"
    path.write_bytes(line + b"\n")
    with pytest.raises(CompletionsFileError, match="gen.jsonl") as err:
        read_completions(path)
    assert message in str(err.value)


def test_completions_come_back_in_sample_order(tmp_path):
    path = tmp_path / "gen.jsonl"
    path.write_text("".join(json.dumps({"problem_id": "p", "sample_index": i, "completion": c}) + "\n"
                            for i, c in ((1, "b"), (0, "a"))))
    assert read_completions(path) == {"p": ["a", "b"]}
