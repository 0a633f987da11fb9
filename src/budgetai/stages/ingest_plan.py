"""What each ingest job reads, as the workflow plans it: a source's shards (one job each) and the
local files a job depends on, so Snakemake reruns an ingest exactly when its inputs change.
"""

from __future__ import annotations

import glob
from pathlib import Path

from budgetai.sources.local_code import has_utf8_name
from budgetai.sources.registry import SINGLE_SHARD
from budgetai.sources.registry import shard_files as registry_shard_files


def shard_files(cfg: dict) -> dict[str, str]:
    """shard id -> file, one ingest job each (see budgetai.sources.registry.shard_files); an
    absent source is one empty shard."""
    return {SINGLE_SHARD: ""} if is_absent(cfg) else registry_shard_files(cfg)


def local_roots(cfg: dict) -> list[str]:
    """Directories a source reads recursively."""
    return [cfg[key] for key in ("mirror_dir", "root") if cfg.get(key)] + list(cfg.get("doc_dirs") or [])


def local_path(cfg: dict) -> str | None:
    """The source's single `path`, unless it is a URL."""
    path = cfg.get("path")
    return path if path and not str(path).startswith(("http://", "https://")) else None


def file_patterns(cfg: dict) -> list[str]:
    """Paths and globs of the source's `paths` and `files`."""
    return [pattern for key in ("paths", "files") for pattern in cfg.get(key) or []]


def is_absent(cfg: dict) -> bool:
    """An `optional` source none of whose local inputs exist on this machine (e.g. Debian's
    ghc-doc where apt does not exist, or a dump only the cluster has): it yields no records
    instead of failing the run. A source read from a hub or URL is never absent."""
    if not cfg.get("optional"):
        return False
    path = local_path(cfg)
    found = [Path(path).exists()] if path else []
    found.extend(bool(glob.glob(pattern, recursive=True)) for pattern in file_patterns(cfg))
    found.extend(Path(root).is_dir() for root in local_roots(cfg))
    return bool(found) and not any(found)


def input_files(cfg: dict, shard_file: str = "") -> list[str]:
    """Local files a source reads, so Snakemake reruns its ingest when they change. Names that
    are not valid UTF-8 are left out: Snakemake cannot encode them (it would stop before any
    job runs); the local_code reader quarantines such files as undecodable_name."""
    if shard_file:
        return [shard_file]
    if is_absent(cfg):
        return []
    path = local_path(cfg)
    paths = [path] if path else []
    for pattern in file_patterns(cfg):
        paths.extend(sorted(glob.glob(pattern, recursive=True)) or [pattern])
    for root in local_roots(cfg):
        paths.extend(str(p) for p in sorted(Path(root).rglob("*")) if p.is_file())
    return [path for path in paths if has_utf8_name(path)]
