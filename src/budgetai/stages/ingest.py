"""The ingest stage: one source (or one shard of it) -> raw record Parquet + stats + quarantine.
What a job reads (its shards, its input files) is planned in budgetai.stages.ingest_plan.

Sources with many input files (The Stack's Parquet shards) are split into shards so a cluster
ingests them in parallel; `gather` concatenates the shards and sums their stats.

Record ids are unique per source, whatever the reader: a repeated id (an hf_dataset id_column
with repeated values, or 1 and "1"; a Stack file listed twice under one hexsha) keeps its first
record and quarantines the others as `duplicate_id`, here for one shard and in `gather` across
shards, so a later stage never joins two rows on one id (issue 26).
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.stages import mining
from budgetai.core.licenses import apply_policy
from budgetai.core.records import empty_table, read_table, write_records, write_table
from budgetai.sources.registry import reader_for
from budgetai.stages.ingest_plan import input_files, is_absent, local_roots
from budgetai.core.stats import MAX_DROPPED_UNITS, StageStats, quarantine_unit, read_stats, write_quarantine

log = logging.getLogger(__name__)


def ingest(source: str, cfg: dict, out_path, stats_path, quarantine_path, shard_file: str = "") -> StageStats:
    if shard_file:
        cfg = {**cfg, "files": [shard_file]}
    for path in input_files(cfg):
        if not Path(path).exists():
            raise FileNotFoundError(f"source {source}: input file {path} does not exist")
    stats = StageStats(stage="ingest")
    quarantine: list[dict] = []
    records = []
    if is_absent(cfg):
        log.warning("source %s: optional and absent on this machine (%s); no records", source, local_roots(cfg))
        stats.extra["absent"] = local_roots(cfg)
    else:
        read = reader_for(cfg["kind"])
        records.extend(read(source, cfg, stats, quarantine))
        records = _first_of_each_id(records, source, stats, quarantine)
        if mining.enabled(cfg):
            # here, not a stage of its own: the mined rows are this source's rows from then on
            # (clean, dedup and split treat them like any other), with lineage to their module
            records.extend(mining.mine_records(records, stats))
    policy = apply_policy(source, Counter(r.license for r in records), cfg.get("licenses"))
    stats.rows_out = write_records(records, out_path)
    write_quarantine(quarantine, quarantine_path)
    stats.extra.setdefault("source", source)
    stats.extra.setdefault("kind", cfg["kind"])
    stats.extra.setdefault("licenses", sorted({r.license for r in records}))
    stats.extra["license_families"] = policy["license_families"]
    if policy.get("terms_warning"):  # shown on the data card and report, beside any source terms
        terms = [stats.extra.get("terms_warning"), policy["terms_warning"]]
        stats.extra["terms_warning"] = " ".join(t for t in terms if t)
    stats.write(stats_path)
    log.info("source %s: %s", source, stats.to_dict())
    return stats


def _first_of_each_id(records: list, source: str, stats: StageStats, quarantine: list[dict]) -> list:
    """records without those whose id an earlier record has (quarantined as duplicate_id)."""
    seen, kept = set(), []
    for record in records:
        if record.id in seen:
            quarantine_unit(stats, quarantine, source, record.id, "duplicate_id",
                            f"record id {record.id!r} repeats an earlier record's; the first was kept",
                            raw=f"url={record.url}")
        else:
            seen.add(record.id)
            kept.append(record)
    return kept


class EmptySourceError(ValueError):
    """A source that is not `optional` yielded no record: a wrong path or layout, not data."""


def gather(shard_paths, shard_stats_paths, shard_quarantine_paths, out_path, stats_path, quarantine_path,
           source: str = "", optional: bool = True) -> StageStats:
    """Concatenate a source's shards and sum their stats. A source that yields no record fails
    (naming what its reader saw) unless it is `optional`."""
    tables = [read_table(p) for p in shard_paths]
    table = pa.concat_tables(tables) if tables else empty_table()
    stats = StageStats(stage="ingest")
    for path in shard_stats_paths:
        shard = read_stats(path)
        stats.rows_in += shard["rows_in"]
        stats.dropped.update(shard["dropped_by_reason"])
        stats.quarantined.update(shard["quarantined_by_reason"])
        for key, value in shard.get("extra", {}).items():
            if key == "licenses":
                stats.extra["licenses"] = sorted(set(stats.extra.get("licenses", [])) | set(value))
            elif key == "license_families":
                families = Counter(stats.extra.get(key, {})) + Counter(value)
                stats.extra[key] = dict(sorted(families.items()))
            elif key == "dropped_units":
                stats.extra[key] = (stats.extra.get(key, []) + value)[:MAX_DROPPED_UNITS]
            else:
                stats.extra.setdefault(key, value)
    stats.extra["shards"] = len(tables)
    table, duplicates = _first_rows_of_each_id(table)
    if duplicates:
        stats.quarantine("duplicate_id", len(duplicates))
    if table.num_rows == 0 and not optional:
        raise EmptySourceError(
            f"source {source}: 0 records (units read: {stats.rows_in}; dropped: {dict(stats.dropped) or 'none'}; "
            f"quarantined: {dict(stats.quarantined) or 'none'}); check its paths and layout, or set "
            f"`optional: true` on the source if it may be empty on some machines")
    stats.rows_out = write_table(table, out_path)
    quarantined = [pq.read_table(p) for p in shard_quarantine_paths]
    rows = pa.concat_tables(quarantined, promote_options="default").to_pylist() if quarantined else []
    rows += [{"source": record_id.split(":", 1)[0], "location": record_id, "raw": "",
              "reason": f"record id {record_id!r} repeats a record of another shard; the first was kept"}
             for record_id in duplicates]
    write_quarantine(rows, quarantine_path)
    stats.write(stats_path)
    return stats


def _first_rows_of_each_id(table: pa.Table) -> tuple[pa.Table, list[str]]:
    """(table without rows whose id an earlier row has, the ids of the rows taken out)."""
    ids = table.column("id").to_pylist() if table.num_rows else []
    seen, keep, duplicates = set(), [], []
    for index, record_id in enumerate(ids):
        if record_id in seen:
            duplicates.append(record_id)
        else:
            seen.add(record_id)
            keep.append(index)
    return (table.take(keep) if duplicates else table), duplicates
