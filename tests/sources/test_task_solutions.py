"""Task collections: each solution paired with its task's description, grouped by task."""

import shutil
from collections import Counter
from pathlib import Path

import pytest

from budgetai.sources import reader_for
from budgetai.sources.task_solutions import mediawiki_to_text
from budgetai.core.stats import StageStats

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tasks"


def run(cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(reader_for("task_solutions")("tasks", {"license": "MIT", **cfg}, stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    assert len({r.id for r in records}) == len(records)
    return records, stats, quarantine


def test_directories_layout_groups_by_task_and_quarantines_a_task_without_description(tmp_path):
    root = tmp_path / "a" / "tasks"
    shutil.copytree(FIXTURE, root)
    records, stats, quarantine = run({"root": str(root), "layout": "directories",
                                      "url_template": "https://tasks.example/{task}#{file}"})
    assert [(r.id, r.group, r.url) for r in records] == [
        ("tasks:fizzbuzz/fizzbuzz-1.hs", "tasks:fizzbuzz", "https://tasks.example/fizzbuzz#fizzbuzz-1.hs"),
        ("tasks:fizzbuzz/fizzbuzz-2.hs", "tasks:fizzbuzz", "https://tasks.example/fizzbuzz#fizzbuzz-2.hs")]
    assert records[0].kind == "problem_solution" and records[0].prompt.startswith("fizzbuzz\n\nPrint the numbers")
    assert records[0].prompt.endswith("Solve this task in Haskell.") and records[0].license == "MIT"
    assert stats.quarantined == {"task_without_description": 1} and quarantine[0]["location"] == "hello/hello.hs"
    moved = tmp_path / "b" / "tasks"
    shutil.copytree(root, moved)
    again, _, _ = run({"root": str(moved), "layout": "directories"})
    assert [(r.id, r.group) for r in again] == [(r.id, r.group) for r in records]
    assert not any(str(tmp_path) in r.url for r in again)


def test_mediawiki_markup_becomes_text():
    text = "{{task}}Toggle&nbsp;the '''door''' (see [[wp:Door|doors]], [[Rosetta Code:passes]]) 2<sup>nd</sup>.\n;Task:\nGo"
    assert mediawiki_to_text(text) == "Toggle the door (see doors, passes) 2nd.\nTask:\nGo"


def test_configuration_errors_name_the_key(tmp_path):
    with pytest.raises(FileNotFoundError, match="root"):
        run({"root": str(tmp_path / "nowhere")})
    with pytest.raises(ValueError, match="layout"):
        run({"root": str(tmp_path), "layout": "wiki"})


def test_rosetta_code_tasks(shared_dir):
    """40 tasks, 188 Haskell solutions in the RosettaCodeData layout. Before this kind there was no
    way to pair a task with its solutions (through hf_dataset, one task's solutions spread over
    train and val with one prompt)."""
    root = shared_dir / "realdata/rosettacode"
    records, stats, _ = run({"root": str(root), "license": "GFDL-1.2"})
    assert stats.rows_in == 188 and len(records) == 185
    assert stats.dropped == Counter({"alphanum_fraction": 2, "avg_line_length": 1})
    assert len({r.group for r in records}) == 40 and stats.extra["tasks_without_solutions"] == []
    doors = [r for r in records if r.group == "tasks:100-doors"]
    assert len(doors) == 3 and {r.url for r in doors} == {"http://rosettacode.org/wiki/100_doors"}
    assert not any(marker in r.prompt for r in records for marker in ("&nbsp;", "'''", "{{task", "[[wp:", "<!--"))
    checked, stats, _ = run({"root": str(root), "license": "GFDL-1.2", "syntax_check": True})
    assert len(checked) == 162 and stats.dropped["syntax_error"] == 23
