import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetai.sources.the_stack import instruction_for, leading_comment, read
from budgetai.core.stats import StageStats

SAMPLE = "resources/sample/the-stack"


def run(cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(read("stack", cfg, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


@pytest.fixture
def sample(repo_dir, monkeypatch):
    monkeypatch.chdir(repo_dir)  # relative cfg paths resolve against the repo root
    return json.loads((repo_dir / SAMPLE / "manifest.json").read_text())


def test_sample_shards_drop_exactly_the_planted_rows(sample):
    records, stats, quarantine = run({"files": [f"{SAMPLE}/data/haskell/*.parquet"]})
    expected_drops = sorted(e["expected_drop"] for e in sample.values() if e["expected_drop"])
    assert sorted(stats.dropped.elements()) == expected_drops
    kept = {sha for sha, e in sample.items() if not e["expected_drop"]}
    assert {r.meta["hexsha"] for r in records} == kept
    assert len(records) >= 80 and quarantine == []


def test_record_fields(sample):
    records, _, _ = run({"files": [f"{SAMPLE}/data/haskell/train-00000-of-00002.parquet"]})
    queue = next(r for r in records if r.meta["path"] == "src/Data/Queue.hs")
    assert queue.id == f"stack:{queue.meta['hexsha']}"
    assert queue.prompt.startswith("Write the Haskell module `Data.Queue` (`src/Data/Queue.hs` in the amelie-k/pure-queues")
    assert "Okasaki's banker's queue" in queue.prompt
    assert queue.response.startswith("-- | A purely functional FIFO queue")
    assert queue.url == f"https://github.com/amelie-k/pure-queues/blob/{queue.meta['commit']}/src/Data/Queue.hs"
    assert queue.license == "MIT" and queue.group == "stack:amelie-k/pure-queues"
    assert queue.meta["stars"] == 41 and queue.kind == "code"


def test_license_filter_and_max_rows(sample):
    records, stats, _ = run({"files": [f"{SAMPLE}/data/haskell/*.parquet"], "licenses_allowed": ["MIT"]})
    assert {r.license for r in records} == {"MIT"} and stats.dropped["license"] > 10
    records, stats, _ = run({"files": [f"{SAMPLE}/data/haskell/*.parquet"], "max_rows": 5})
    assert stats.rows_in == 5


def test_unreadable_row_group_is_quarantined_and_reading_goes_on(tmp_path):
    good = {"content": ["module A where\nanswer :: Int\nanswer = 42\n"] * 3,
            "max_stars_repo_name": ["o/r"] * 3, "max_stars_repo_path": ["A.hs"] * 3,
            "max_stars_repo_licenses": [["MIT"]] * 3, "hexsha": ["a1", "a2", "a3"]}
    path = tmp_path / "shard.parquet"
    pq.write_table(pa.table(good), path, row_group_size=1, compression="none")
    data = bytearray(path.read_bytes())
    meta = pq.ParquetFile(path).metadata.row_group(1).column(0)
    start = meta.data_page_offset
    data[start:start + 40] = b"\xff" * 40  # smash the second row group's first page header
    path.write_bytes(bytes(data))
    records, stats, quarantine = run({"files": [str(path)]})
    assert [r.meta["hexsha"] for r in records] == ["a1", "a3"]
    assert stats.quarantined["unreadable_row_group"] == 1
    assert quarantine[0]["location"] == f"{path}:row_group 1"


def test_row_without_content_is_quarantined(tmp_path):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"content": [None], "max_stars_repo_name": ["o/r"],
                             "max_stars_repo_path": ["A.hs"], "max_stars_repo_licenses": [["MIT"]],
                             "hexsha": ["x"]}), path)
    _, stats, quarantine = run({"files": [str(path)]})
    assert stats.quarantined["invalid_row"] == 1 and "row_group 0:row 0" in quarantine[0]["location"]


def test_missing_or_corrupt_files_raise_with_the_name(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope/\\*.parquet"):
        run({"files": ["nope/*.parquet"]})
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(OSError, match="bad.parquet"):
        run({"files": [str(bad)]})


def test_prompt_helpers():
    src = '{-# LANGUAGE GADTs #-}\n-- | Typed expressions.\n-- Evaluated without checks.\nmodule Expr where\n'
    assert leading_comment(src) == "Typed expressions.\nEvaluated without checks."
    assert leading_comment("{-| Block doc.\n-}\nmodule X where\n") == "Block doc."
    assert leading_comment("module X where\n-- later\n") == ""
    assert instruction_for("module Main where\nmain = pure ()\n", "app/Main.hs", "o/r") == \
        "Write the Haskell program `Main.hs` (`app/Main.hs` in the o/r repository)."
