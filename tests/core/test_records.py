import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetai.core.records import COLUMNS, Record, RecordFileError, read_records, read_table, write_records


def make(i: int, **overrides) -> Record:
    values = dict(id=f"s:{i}", source="s", kind="qa", prompt=f"q{i}", response=f"a{i}", language="haskell",
                  url=f"https://example.org/{i}", license="MIT", group=f"g{i}", meta={"score": i})
    values.update(overrides)
    return Record(**values)


def test_round_trip_keeps_every_field(tmp_path):
    records = [make(1), make(2, meta={"tags": ["a", "b"], "ünï": "cödé"})]
    assert write_records(records, tmp_path / "r.parquet") == 2
    assert read_records(tmp_path / "r.parquet") == records
    assert pq.read_schema(tmp_path / "r.parquet").names == COLUMNS


def test_meta_is_stored_as_json_text(tmp_path):
    write_records([make(1, meta={"b": 2, "a": 1})], tmp_path / "r.parquet")
    raw = pq.read_table(tmp_path / "r.parquet").column("meta")[0].as_py()
    assert json.loads(raw) == {"a": 1, "b": 2}


def test_write_is_atomic_no_temp_left(tmp_path):
    write_records([make(1)], tmp_path / "r.parquet")
    assert [p.name for p in tmp_path.iterdir()] == ["r.parquet"]


@pytest.mark.parametrize("field,value,message", [("kind", "poem", "kind 'poem'"), ("license", "", "license is empty")])
def test_invalid_records_are_refused_with_the_field_named(field, value, message):
    with pytest.raises(ValueError, match=message):
        make(1, **{field: value})


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(RecordFileError, match="nope.parquet: record file does not exist"):
        read_table(tmp_path / "nope.parquet")


def test_corrupt_file_names_the_path(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(RecordFileError, match="bad.parquet: not a readable Parquet file"):
        read_table(bad)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "partial.parquet"
    pq.write_table(pa.table({"id": ["x"], "prompt": ["p"]}), path)
    with pytest.raises(RecordFileError, match="missing record columns.*'source'"):
        read_table(path)
