"""The one record type that flows through every data stage, as a pyarrow schema.

Every stage reads and writes Parquet files with exactly these columns. `meta` is a JSON string
holding the source's own fields (score, tags, stars, tests...), so the schema never changes when
a source is added.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.core.io import atomic_write

KINDS = ("qa", "problem_solution", "code", "text", "instruction")

RECORD_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),  # "<source>:<native id>", stable across runs
        pa.field("source", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("prompt", pa.string(), nullable=False),
        pa.field("response", pa.string(), nullable=False),
        pa.field("language", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("license", pa.string(), nullable=False),
        pa.field("group", pa.string(), nullable=False),  # rows sharing a group share a split
        pa.field("meta", pa.string(), nullable=False),  # JSON object
    ]
)
COLUMNS = RECORD_SCHEMA.names


@dataclass
class Record:
    id: str
    source: str
    kind: str
    prompt: str
    response: str
    language: str
    url: str
    license: str
    group: str
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"record {self.id!r}: kind {self.kind!r} is not one of {KINDS}")
        if not self.license:
            raise ValueError(f"record {self.id!r}: license is empty (every record must name one)")

    def to_row(self) -> dict:
        row = asdict(self)
        row["meta"] = json.dumps(self.meta, sort_keys=True, ensure_ascii=False)
        return row

    @classmethod
    def from_row(cls, row: dict) -> "Record":
        values = {name: row[name] for name in COLUMNS}
        values["meta"] = json.loads(values["meta"] or "{}")
        return cls(**values)


class RecordFileError(ValueError):
    """A Parquet file that is not a readable record dataset."""


def write_records(records: Iterable[Record | dict], path: str | os.PathLike) -> int:
    """Write records atomically (temp file + rename) so a killed job never leaves a
    complete-looking partial output. Returns the row count."""
    rows = [r.to_row() if isinstance(r, Record) else r for r in records]
    table = pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)
    return write_table(table, path)


def write_table(table: pa.Table, path: str | os.PathLike) -> int:
    table = table.select(COLUMNS).cast(RECORD_SCHEMA)
    with atomic_write(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return table.num_rows


def read_table(path: str | os.PathLike) -> pa.Table:
    """Read a record dataset, failing with the file name when it is missing or malformed."""
    path = Path(path)
    if not path.exists():
        raise RecordFileError(f"{path}: record file does not exist")
    try:
        table = pq.read_table(path)
    except Exception as err:  # pyarrow raises several types for corrupt files
        raise RecordFileError(f"{path}: not a readable Parquet file ({err})") from err
    missing = [c for c in COLUMNS if c not in table.column_names]
    if missing:
        raise RecordFileError(f"{path}: missing record columns {missing}")
    return table.select(COLUMNS).cast(RECORD_SCHEMA)


def read_records(path: str | os.PathLike) -> list[Record]:
    return [Record.from_row(row) for row in read_table(path).to_pylist()]


def empty_table() -> pa.Table:
    return RECORD_SCHEMA.empty_table()
