"""What the data can do to the people and jobs reading it (issue 26, item 10): `budgetai
lineage` prints row text with its escape sequences defused; a corrupt run.json means "start
over" with a warning naming it, not a JSONDecodeError on every rerun of training."""

import json
import logging

import pytest

from budgetai.commands.lineage import Lineage, Step, format_lineage
from budgetai.commands.terminal_text import terminal_safe
from budgetai.train.run_identity import RUN_FILE, prepare_checkpoint_dir


def test_lineage_prints_escape_sequences_from_the_data_as_text():
    lineage = Lineage("src:1", {"source": "src", "url": "https://x.example/\x1b[2J\x1b[H",
                                "group": "g\x1b]0;owned\x07"},
                      [Step("ingest", "kept", "title\r\u202eevil\x9b31m\nsecond line\tend")])
    shown = format_lineage(lineage)
    assert not any(ch in shown for ch in "\x1b\x07\r\u202e\x9b")
    assert "https://x.example/\\x1b[2J\\x1b[H" in shown and "\\u202eevil\\x9b31m" in shown
    assert "second line\tend" in shown  # newlines and tabs are the report's own layout


@pytest.mark.parametrize("ch", ["\x00", "\x1b", "\x7f", "\x85", "\u2066", "\u200f"])
def test_every_control_and_bidi_character_is_escaped(ch):
    assert terminal_safe(f"a{ch}b") == f"a\\{'x' if ord(ch) < 256 else 'u'}{ord(ch):0{2 if ord(ch) < 256 else 4}x}b"
    assert terminal_safe("é ü 中文 λ") == "é ü 中文 λ"


@pytest.mark.parametrize("content", ["", "[]", "null", "{not json", b"\xff\xfe".decode("latin-1")],
                         ids=["empty", "array", "null", "broken", "binary"])
def test_corrupt_run_json_means_start_over_with_a_warning_naming_it(tmp_path, caplog, content):
    checkpoints = tmp_path / "checkpoints"
    (checkpoints / "checkpoint-4").mkdir(parents=True)
    (checkpoints / RUN_FILE).write_text(content, encoding="latin-1")
    identity = {"config": {"learning_rate": 1e-3}, "model_config": "a", "train": "b", "val": "c"}
    with caplog.at_level(logging.WARNING):
        assert prepare_checkpoint_dir(checkpoints, identity) is True
    assert not (checkpoints / "checkpoint-4").exists()
    assert json.loads((checkpoints / RUN_FILE).read_text()) == identity
    assert str(checkpoints / RUN_FILE) in caplog.text and "starting over" in caplog.text
