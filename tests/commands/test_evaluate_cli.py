"""`budgetai evaluate` names a wrong suite before it loads any model, and asks for the format
instead of guessing stdio (issue 25 item 8: a MultiPL-E file failed after 11 s of model loading)."""

from __future__ import annotations

import pytest

from budgetai.commands.main import main


def test_format_is_required(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--suite", "x.jsonl", "--model", "m", "--out", "o"])
    assert "--format" in capsys.readouterr().err


def test_a_suite_of_another_format_is_named_before_the_model_loads(tmp_path, capsys):
    suite = tmp_path / "humaneval-hs.jsonl"
    suite.write_text('{"name": "HumanEval_0", "language": "hs", "prompt": "f :: Int", "tests": "", "stop_tokens": []}\n')
    assert main(["evaluate", "--suite", str(suite), "--format", "stdio", "--model", str(tmp_path / "no-model"),
                 "--out", str(tmp_path / "out")]) == 2
    assert "humaneval-hs.jsonl:1: missing field 'id' (format stdio)" in capsys.readouterr().err


def test_the_help_says_what_the_commands_are_for(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "install the SLURM profile." in capsys.readouterr().out
