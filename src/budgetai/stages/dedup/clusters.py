"""Dedup's lineage: one entry per cluster of duplicates (cluster_id, kept_id, removed_ids, reason
"exact" or "near", similarity of each removed row to the kept one), as JSON or Parquet; the data
card and `budgetai lineage` read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.core.io import atomic_write, write_json


def write_clusters(clusters: list[dict], path) -> None:
    """Lineage as JSON (if the path ends in .json) or Parquet, atomically."""
    path = Path(path)
    if path.suffix == ".json":
        write_json(clusters, path)
        return
    schema = pa.schema([("cluster_id", pa.string()), ("kept_id", pa.string()),
                        ("removed_ids", pa.list_(pa.string())), ("reason", pa.string()),
                        ("similarity", pa.list_(pa.float64()))])
    with atomic_write(path) as tmp:
        pq.write_table(pa.Table.from_pylist(clusters, schema=schema), tmp)


def read_clusters(path) -> list[dict]:
    path = Path(path)
    if path.suffix == ".json":
        return json.loads(path.read_text())
    return pq.read_table(path).to_pylist()
