"""Writes that leave either the old file or the complete new one, never a partial one: a job
killed mid-write (preempted, out of memory) must not leave output that Snakemake or a reader
takes for finished.

    with atomic_write("results/x.parquet") as tmp:
        pq.write_table(table, tmp)
    write_json({"rows": 3}, "results/x.json")
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path` (same file system, so the rename is atomic; same suffix,
    for writers that pick the format from it) that replaces `path` when the block succeeds and
    is removed when it raises. Creates the parent directory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named by process, not by tempfile.mkstemp: that creates the file 0600, and the rename
    # would carry that mode over to outputs that other users of a cluster must read.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(text: str, path: str | os.PathLike) -> None:
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(obj, path: str | os.PathLike) -> None:
    """Indented, key order kept, non-ASCII as is (people read these files)."""
    write_text(json.dumps(obj, indent=2, sort_keys=False, ensure_ascii=False) + "\n", path)


def write_jsonl(rows: Iterable[dict], path: str | os.PathLike) -> None:
    write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), path)
