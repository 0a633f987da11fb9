"""Source readers, one module per source kind.

Each module exposes
    read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]
where `source` is the source's name in the config (the record id prefix), `cfg` its config block.
The reader counts every natural unit it reads in stats.rows_in and accounts for each one: yielded
as a record (ingest counts rows out as the records it writes), dropped with
`stats.drop(reason, unit=<record id>)`, or set aside with `budgetai.core.stats.quarantine_unit`.
A reader whose source is too big for one job also defines
    shard_files(cfg: dict) -> dict[str, str]   # shard id -> the file that job reads
and the others are ingested as one shard (budgetai.sources.registry.shard_files).
"""

from budgetai.sources.registry import READER_MODULES, SINGLE_SHARD, reader_for, reader_module, shard_files

__all__ = ["READER_MODULES", "SINGLE_SHARD", "reader_for", "reader_module", "shard_files"]
