"""A source that yields no record fails its gather, naming what the reader saw, unless it is
`optional` (issue 25 item 8: a task_solutions layout matching 0 of 112 tasks passed with rc 0)."""

from __future__ import annotations

import pytest

from budgetai.core.stats import StageStats
from budgetai.stages.ingest import EmptySourceError, gather, ingest


def empty_shard(tmp_path, cfg):
    ingest("tasks", cfg, tmp_path / "s.parquet", tmp_path / "s.json", tmp_path / "s.q.parquet")
    return [tmp_path / "s.parquet"], [tmp_path / "s.json"], [tmp_path / "s.q.parquet"]


@pytest.fixture
def layout_matching_nothing(tmp_path):
    root = tmp_path / "tasks"
    (root / "Task" / "Hello" / "Python").mkdir(parents=True)
    (root / "Task" / "Hello" / "00-TASK.txt").write_text("Print hello.")
    (root / "Task" / "Hello" / "Python" / "hello.py").write_text("print('hello')\n")
    return {"kind": "task_solutions", "root": str(root), "languages": ["Haskell"], "license": "MIT"}


def test_an_empty_source_fails_naming_what_it_read(tmp_path, layout_matching_nothing):
    shards = empty_shard(tmp_path, layout_matching_nothing)
    with pytest.raises(EmptySourceError, match="source tasks: 0 records .*optional: true"):
        gather(*shards, tmp_path / "raw.parquet", tmp_path / "stats.json", tmp_path / "q.parquet",
               source="tasks", optional=False)
    assert not (tmp_path / "raw.parquet").exists()


def test_an_optional_empty_source_passes(tmp_path, layout_matching_nothing):
    shards = empty_shard(tmp_path, layout_matching_nothing)
    stats = gather(*shards, tmp_path / "raw.parquet", tmp_path / "stats.json", tmp_path / "q.parquet",
                   source="tasks", optional=True)
    assert isinstance(stats, StageStats) and stats.rows_out == 0
