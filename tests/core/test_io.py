"""budgetai.core.io: a failed write leaves the old file and no temporary beside it."""

from __future__ import annotations

import json

import pytest

from budgetai.core.io import atomic_write, write_json, write_jsonl


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out.json"
    write_json({"rows": 1}, path)
    with pytest.raises(RuntimeError):
        with atomic_write(path) as tmp:
            tmp.write_text("partial")
            raise RuntimeError("killed mid-write")
    assert json.loads(path.read_text()) == {"rows": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_temporary_keeps_the_suffix_and_jsonl_is_one_row_a_line(tmp_path):
    with atomic_write(tmp_path / "plot.png") as tmp:
        assert tmp.suffix == ".png" and tmp.parent == tmp_path  # savefig picks the format from it
        tmp.write_bytes(b"png")
    write_jsonl([{"a": "é"}, {"b": 2}], tmp_path / "sub" / "rows.jsonl")
    assert (tmp_path / "sub" / "rows.jsonl").read_text(encoding="utf-8") == '{"a": "é"}\n{"b": 2}\n'


def test_written_files_get_the_usual_mode_not_a_private_temporary_one(tmp_path):
    write_json({}, tmp_path / "a.json")
    (tmp_path / "b.json").write_text("{}")
    assert (tmp_path / "a.json").stat().st_mode == (tmp_path / "b.json").stat().st_mode
