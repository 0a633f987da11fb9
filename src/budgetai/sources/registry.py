"""Which module reads each source `kind` (the protocol every reader follows: budgetai.sources)."""

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
    "exercism": "budgetai.sources.exercism",
}


# The shard id of a source ingested as one job.
SINGLE_SHARD = "all"


def reader_module(kind: str):
    """The module reading sources of `kind`, imported on first use (a run imports only the
    readers, and their dependencies, that its sources need)."""
    if kind not in READER_MODULES:
        raise ValueError(f"unknown source kind {kind!r}; known kinds: {sorted(READER_MODULES)}")
    return importlib.import_module(READER_MODULES[kind])


def reader_for(kind: str):
    return reader_module(kind).read


def shard_files(cfg: dict) -> dict[str, str]:
    """shard id -> file: the reader's own `shard_files(cfg)` where it declares one (a source too
    big for one job), else one shard, {SINGLE_SHARD: ""}."""
    declared = getattr(reader_module(cfg["kind"]), "shard_files", None)
    return declared(cfg) if declared else {SINGLE_SHARD: ""}


def reads_files(kind: str) -> bool:
    """Whether sources of `kind` read a list of `files` (one ingest job each) rather than one `path`."""
    return hasattr(reader_module(kind), "shard_files")
