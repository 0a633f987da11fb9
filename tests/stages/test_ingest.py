import json

import pyarrow.parquet as pq
import pytest

from budgetai.stages.ingest import gather, ingest
from budgetai.stages.ingest_plan import input_files, is_absent, shard_files
from budgetai.core.records import read_records

REPO_BOOK = {"kind": "textbook", "start_url": "https://budgetai.example/haskell-book/index.html",
             "mirror_dir": "resources/sample/textbook", "license": "CC BY-SA 4.0"}


@pytest.fixture
def in_repo(monkeypatch, repo_dir):
    monkeypatch.chdir(repo_dir)


def test_ingest_writes_records_stats_and_quarantine(tmp_path, in_repo):
    stats = ingest("book", REPO_BOOK, tmp_path / "raw.parquet", tmp_path / "stats.json", tmp_path / "q.parquet")
    records = read_records(tmp_path / "raw.parquet")
    assert len(records) == stats.rows_out > 20
    assert all(r.id.startswith("book:") and r.license == "CC BY-SA 4.0" for r in records)
    saved = json.loads((tmp_path / "stats.json").read_text())
    assert saved["rows_in"] == saved["rows_out"] + saved["rows_dropped"] + saved["rows_quarantined"]
    assert saved["extra"]["licenses"] == ["CC BY-SA 4.0"]
    assert pq.read_table(tmp_path / "q.parquet").num_rows == saved["rows_quarantined"]


def test_missing_input_file_is_named(tmp_path, in_repo):
    cfg = {"kind": "stackexchange", "path": "resources/sample/stackexchange/Nope.xml"}
    with pytest.raises(FileNotFoundError, match="Nope.xml does not exist"):
        ingest("so", cfg, tmp_path / "raw.parquet", tmp_path / "s.json", tmp_path / "q.parquet")


def test_optional_absent_source_yields_nothing(tmp_path):
    cfg = {"kind": "haddock", "doc_dirs": [str(tmp_path / "no-ghc-doc")], "license": "BSD-3-Clause", "optional": True}
    assert is_absent(cfg) and input_files(cfg) == []
    stats = ingest("ghc", cfg, tmp_path / "raw.parquet", tmp_path / "s.json", tmp_path / "q.parquet")
    assert stats.rows_in == stats.rows_out == 0 and stats.extra["absent"]


@pytest.mark.parametrize("cfg", [
    {"kind": "stackexchange", "path": "{tmp}/Posts.xml", "tags": ["haskell"]},
    {"kind": "the_stack", "files": ["{tmp}/data/haskell/*.parquet"]},
    {"kind": "textbook", "paths": ["{tmp}/guide/*.html"]},
])
def test_optional_dump_missing_here_is_absent_and_one_empty_shard(tmp_path, cfg):
    cfg = {k: ([p.format(tmp=tmp_path) for p in v] if isinstance(v, list) and k != "tags"
               else v.format(tmp=tmp_path) if isinstance(v, str) else v) for k, v in cfg.items()}
    cfg = {**cfg, "license": "CC BY-SA 4.0", "optional": True}
    assert is_absent(cfg) and shard_files(cfg) == {"all": ""} and input_files(cfg) == []
    stats = ingest("dump", cfg, tmp_path / "r.parquet", tmp_path / "s.json", tmp_path / "q.parquet")
    assert stats.rows_out == 0 and "absent" in stats.extra
    # the same source without `optional` is an error that names what is missing
    required = {k: v for k, v in cfg.items() if k != "optional"}
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        shard_files(required) if cfg["kind"] == "the_stack" else ingest(
            "dump", required, tmp_path / "r.parquet", tmp_path / "s.json", tmp_path / "q.parquet")


def test_optional_source_from_a_hub_is_never_absent():
    assert not is_absent({"kind": "hf_dataset", "hub_id": "GAIR/lima", "optional": True})


def test_non_optional_source_is_not_absent(tmp_path):
    assert not is_absent({"kind": "haddock", "doc_dirs": [str(tmp_path / "x")], "license": "BSD-3-Clause"})


def test_shards_one_per_file_for_the_stack(tmp_path):
    for name in ("train-00000-of-00002.parquet", "train-00001-of-00002.parquet"):
        (tmp_path / name).write_bytes(b"")
    shards = shard_files({"kind": "the_stack", "files": [str(tmp_path / "*.parquet")]})
    assert list(shards) == ["train-00000-of-00002", "train-00001-of-00002"]
    assert shard_files(REPO_BOOK) == {"all": ""}


def test_glob_matching_nothing_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="match no file"):
        shard_files({"kind": "the_stack", "files": [str(tmp_path / "*.parquet")]})


def test_gather_concatenates_and_sums(tmp_path, in_repo):
    parts = []
    for i in range(2):
        d = tmp_path / f"s{i}"
        ingest("book", REPO_BOOK, d / "raw.parquet", d / "stats.json", d / "q.parquet")
        parts.append(d)
    stats = gather([p / "raw.parquet" for p in parts], [p / "stats.json" for p in parts], [p / "q.parquet" for p in parts],
                   tmp_path / "all.parquet", tmp_path / "all.json", tmp_path / "allq.parquet")
    one = json.loads((parts[0] / "stats.json").read_text())
    # the second shard repeats the first's ids: counted in, kept once, the repeats quarantined
    assert stats.rows_in == 2 * one["rows_in"] and stats.rows_out == one["rows_out"]
    assert stats.quarantined["duplicate_id"] == one["rows_out"] and stats.balanced()
    assert pq.read_metadata(tmp_path / "all.parquet").num_rows == stats.rows_out
    assert len(pq.read_table(tmp_path / "allq.parquet")) == one["rows_quarantined"] * 2 + one["rows_out"]
