"""One bad row costs that row, named by file and row, never the whole source (issue 26, items 6
and 10): hf_dataset rows that are arrays, hold a lone surrogate, are latin-1 or over the row-size
cap; Stack rows with integer columns or a string licenses column; repeated record ids, caught at
ingest for every reader."""

import tracemalloc

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetai.core.records import read_table
from budgetai.core.stats import StageStats
from budgetai.sources import hf_dataset, the_stack
from budgetai.stages.ingest import gather, ingest

MODULE = "module A where\nanswer :: Int\nanswer = 42\n"
COLUMNS = {"prompt_template": "{q}", "response_template": "{a}"}


def run(reader, cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(reader.read("src", {"license": "CC-BY-4.0", **cfg}, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


def jsonl(tmp_path, *lines: bytes, name="rows.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_hf_row_that_is_a_json_array_is_quarantined(tmp_path):
    path = jsonl(tmp_path, b'{"q": "a", "a": "b"}', b'["q", "a"]', b'{"q": "c", "a": "d"}')
    records, stats, quarantine = run(hf_dataset, {"path": str(path), **COLUMNS})
    assert [r.response for r in records] == ["b", "d"]
    assert stats.quarantined == {"not_an_object": 1} and quarantine[0]["location"] == "rows.jsonl row 1"


def test_hf_row_with_a_lone_surrogate_is_quarantined_and_the_rest_written(tmp_path):
    path = jsonl(tmp_path, b'{"q": "a", "a": "b"}', b'{"q": "x\\ud800", "a": "y"}')
    records, stats, quarantine = run(hf_dataset, {"path": str(path), **COLUMNS})
    assert stats.quarantined == {"invalid_unicode": 1} and "prompt" in quarantine[0]["reason"]
    from budgetai.core.records import write_records
    assert write_records(records, tmp_path / "out.parquet") == 1


def test_latin1_jsonl_row_is_quarantined_naming_file_and_row(tmp_path):
    path = jsonl(tmp_path, b'{"q": "a", "a": "b"}', '{"q": "café", "a": "b"}'.encode("latin-1"),
                 name="latin1.jsonl")
    records, stats, quarantine = run(hf_dataset, {"path": str(path), **COLUMNS})
    assert len(records) == 1 and stats.quarantined == {"invalid_utf8": 1}
    assert quarantine[0]["location"] == "latin1.jsonl row 1" and "not UTF-8" in quarantine[0]["reason"]


def test_latin1_csv_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("q,a\ncafé,b\n".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.csv: not UTF-8"):
        run(hf_dataset, {"path": str(path), **COLUMNS})


def test_hf_row_over_the_size_cap_is_quarantined_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(hf_dataset, "MAX_ROW_BYTES", 1 << 20)
    huge = b'{"q": "' + b"x" * (40 << 20) + b'", "a": "b"}'
    path = jsonl(tmp_path, b'{"q": "a", "a": "b"}', huge, b'{"q": "c", "a": "d"}')
    tracemalloc.start()
    records, stats, quarantine = run(hf_dataset, {"path": str(path), **COLUMNS})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [r.response for r in records] == ["b", "d"] and stats.quarantined == {"row_too_large": 1}
    assert quarantine[0]["location"] == "rows.jsonl row 1"
    assert peak < 8 << 20  # the 40 MiB line was never held (before: the file read whole, twice)


def stack_shard(tmp_path, **overrides):
    columns = {"content": [MODULE] * 3, "max_stars_repo_name": ["o/r"] * 3,
               "max_stars_repo_path": ["A.hs", "B.hs", "C.hs"],
               "max_stars_repo_licenses": [["MIT"]] * 3, "hexsha": ["a1", "a2", "a3"], **overrides}
    path = tmp_path / "shard.parquet"
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize("field, value", [("path", 7), ("repo", 7), ("licenses", [7]), ("licenses", 7)],
                         ids=["path", "repo", "licenses_list", "licenses_int"])
def test_stack_row_with_an_integer_column_is_quarantined(field, value):
    """Rows as the hub streams them (JSON-backed exports mix types; Parquet shards cannot)."""
    rows = [{"content": MODULE, "repo": "o/r", "path": f"{name}.hs", "licenses": ["MIT"],
             "hexsha": name} for name in ("A", "B", "C")]
    rows[1][field] = value
    stats, quarantine, records = StageStats("ingest"), [], []
    for n, row in enumerate(rows):
        stats.rows_in += 1
        record = the_stack.code_record("src", f"hub row {n}", row, {}, None, stats, quarantine)
        records += [record] if record else []
    assert [r.meta["hexsha"] for r in records] == ["A", "C"] and stats.quarantined == {"invalid_row": 1}
    assert quarantine[0]["location"] == "hub row 1" and field in quarantine[0]["raw"]


def test_stack_licenses_column_as_a_string_keeps_its_rows(tmp_path):
    shard = stack_shard(tmp_path, max_stars_repo_licenses=["MIT", "MIT, Apache-2.0", "BSD-3-Clause"])
    records, stats, _ = run(the_stack, {"files": [str(shard)], "licenses_allowed": ["MIT", "Apache-2.0"]})
    assert [r.license for r in records] == ["MIT", "MIT, Apache-2.0"] and stats.dropped == {"license": 1}


def ingested(tmp_path, name, cfg):
    out = tmp_path / name
    stats = ingest("src", cfg, out / "raw.parquet", out / "stats.json", out / "q.parquet")
    return stats, read_table(out / "raw.parquet").to_pylist(), pq.read_table(out / "q.parquet").to_pylist()


def test_hf_ids_repeated_or_equal_as_text_are_caught_at_ingest(tmp_path):
    path = jsonl(tmp_path, b'{"id": 1, "q": "a", "a": "b"}', b'{"id": "1", "q": "c", "a": "d"}',
                 b'{"id": 2, "q": "e", "a": "f"}', b'{"id": 2, "q": "g", "a": "h"}')
    stats, rows, quarantine = ingested(tmp_path, "hf", {"kind": "hf_dataset", "path": str(path),
                                                        "license": "MIT", "id_column": "id", **COLUMNS})
    assert [r["response"] for r in rows] == ["b", "f"] and stats.quarantined == {"duplicate_id": 2}
    assert [q["location"] for q in quarantine] == ["src:1", "src:2"] and stats.balanced()


def test_stack_repeated_hexsha_is_caught_at_ingest_and_across_shards(tmp_path):
    shard = stack_shard(tmp_path, hexsha=["a1", "a1", "a3"])
    stats, rows, _ = ingested(tmp_path, "one", {"kind": "the_stack", "files": [str(shard)]})
    assert [r["id"] for r in rows] == ["src:a1", "src:a3"] and stats.quarantined == {"duplicate_id": 1}
    out = tmp_path / "one"
    both = gather([out / "raw.parquet"] * 2, [out / "stats.json"] * 2, [out / "q.parquet"] * 2,
                  tmp_path / "all.parquet", tmp_path / "all.json", tmp_path / "allq.parquet")
    assert both.rows_out == 2 and both.quarantined["duplicate_id"] == 2 + 2 and both.balanced()
