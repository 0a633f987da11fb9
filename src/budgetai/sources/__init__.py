"""Source readers, one module per source kind.

Each module exposes
    read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]
where `source` is the source's name in the config (the record id prefix), `cfg` its config block.
The reader counts every natural unit it reads in stats.rows_in and accounts for each one: yielded
as a record, `stats.drop(reason)`, or appended to `quarantine` (with `stats.quarantine(reason)`).
"""

from __future__ import annotations

import importlib

READER_MODULES = {
    "stackexchange": "budgetai.sources.stackexchange",
    "the_stack": "budgetai.sources.the_stack",
    "local_code": "budgetai.sources.local_code",
    "codeforces": "budgetai.sources.codeforces",
    "textbook": "budgetai.sources.textbook",
    "haddock": "budgetai.sources.haddock",
    "hf_dataset": "budgetai.sources.hf_dataset",
    "task_solutions": "budgetai.sources.task_solutions",
}


def reader_for(kind: str):
    if kind not in READER_MODULES:
        raise ValueError(f"unknown source kind {kind!r}; known kinds: {sorted(READER_MODULES)}")
    return importlib.import_module(READER_MODULES[kind]).read
