"""Outputs built under another config than the current one, found before the workflow plans.

Snakemake reruns a job whose params changed by comparing them with its own record of the last
run (`.snakemake/metadata/`). A `results/` copied without `.snakemake/` (another machine, a
backup, a colleague's run on the 300-row sample) has no such record, and Snakemake reuses every
output whose files are newer than its inputs, whatever config built it. Every output's
provenance manifest (budgetai.core.manifest) records the config slice its job was given; this
module compares that with the current config for outputs Snakemake has no record of.

    stale = find_stale([Expectation("source so (ingest)", [shard, stats, quarantine], current_cfg)])
    if stale: raise StaleOutputError(stale_message(stale))        # the default
    set_aside(stale, "results", "results/stale/<time>")           # with --config rebuild_stale=True

Setting aside moves the stale outputs and everything their manifests say was built from them:
Snakemake does not rebuild an output that exists because an intermediate input went missing.
"""

from __future__ import annotations

import json
import os
import shutil
from base64 import urlsafe_b64encode
from dataclasses import dataclass, field
from pathlib import Path

from budgetai.core.manifest import DIR_MANIFEST, FILE_SUFFIX, manifest_path, read_manifest

METADATA_DIR = ".snakemake/metadata"
# Where set-aside outputs go, under the results directory.
STALE_DIR = "stale"
# How many differing keys a message shows per output before summing up the rest.
SHOWN_DIFFERENCES = 5
SHOWN_VALUE_CHARS = 60


class StaleOutputError(RuntimeError):
    """Outputs built under another config would be reused; the message says which and what to do."""


@dataclass
class Expectation:
    """What an output's job would be given now: `config` is the job's `cfg` param."""

    label: str  # e.g. "source stackoverflow_haskell (ingest)"
    outputs: list[str]  # the job's outputs; the first one carries the manifest that is read
    config: dict


@dataclass
class Stale:
    label: str
    outputs: list[str]
    differences: list[str] = field(default_factory=list)


def normalized(value):
    """A config slice as a manifest records it (JSON types, str for anything else)."""
    return json.loads(json.dumps(value, default=str))


def config_differences(recorded, current, prefix: str = "") -> list[str]:
    """`key.path: recorded -> current` for every leaf that differs (added and removed keys too)."""
    if isinstance(recorded, dict) and isinstance(current, dict):
        differences = []
        for key in sorted(set(recorded) | set(current), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in current:
                differences.append(f"{path}: {_short(recorded[key])} -> (removed)")
            elif key not in recorded:
                differences.append(f"{path}: (unset) -> {_short(current[key])}")
            else:
                differences.extend(config_differences(recorded[key], current[key], path))
        return differences
    return [] if recorded == current else [f"{prefix or '(whole config)'}: {_short(recorded)} -> {_short(current)}"]


def _short(value) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS - 3] + "..."


def has_run_record(output: str, metadata_dir: str | os.PathLike = METADATA_DIR) -> bool:
    """Whether Snakemake's file persistence holds a record of the job that wrote `output` (then
    Snakemake itself notices changed params and reruns it). The record's name is the output path
    in URL-safe base64, split into directory levels of at most NAME_MAX - 1 characters with "@"
    before each but the last, as snakemake.persistence.file names it."""
    metadata_dir = Path(metadata_dir)
    if not metadata_dir.is_dir():
        return False
    max_len = os.pathconf(metadata_dir, "PC_NAME_MAX") or 255
    encoded = urlsafe_b64encode(str(output).encode()).decode()
    parts = [encoded[i:i + max_len - 1] for i in range(0, len(encoded), max_len - 1)]
    parts = ["@" + part for part in parts[:-1]] + parts[-1:]
    return metadata_dir.joinpath(*parts).is_file()


def find_stale(expectations: list[Expectation], metadata_dir: str | os.PathLike = METADATA_DIR) -> list[Stale]:
    """Existing outputs whose manifest records another config than expected and that Snakemake
    has no record of. Outputs without a manifest (built before manifests existed) are left alone."""
    stale = []
    for expected in expectations:
        first = expected.outputs[0]
        if not Path(first).exists() or has_run_record(first, metadata_dir):
            continue
        manifest = read_manifest(first)
        if manifest is None:
            continue
        recorded = (manifest.get("config") or {}).get("cfg")
        differences = config_differences(recorded, normalized(expected.config))
        if differences:
            stale.append(Stale(expected.label, expected.outputs, differences))
    return stale


def stale_message(stale: list[Stale]) -> str:
    lines = [f"{len(stale)} output(s) in results/ were built under another config than this run's, and "
             "Snakemake has no record of them (results/ copied without .snakemake/?), so it would reuse them:"]
    for item in stale:
        shown = item.differences[:SHOWN_DIFFERENCES]
        more = len(item.differences) - len(shown)
        lines.append(f"  {item.label}: {item.outputs[0]}")
        lines.extend(f"      {difference}" for difference in shown)
        if more > 0:
            lines.append(f"      ... and {more} more")
    lines.append("Rebuild them: rerun with `--config rebuild_stale=True` (moves them, and every output built from "
                 "them, to results/stale/<time>/; Snakemake then builds them again). To keep them, run with the "
                 "config they were built with.")
    return "\n".join(lines)


def built_from(paths: list[str], results_dir: str | os.PathLike) -> list[str]:
    """Every artifact under results_dir whose manifest lists one of `paths`, or an artifact built
    from those, as an input (transitively), in the order found."""
    consumers: dict[str, list[str]] = {}
    results_dir = Path(results_dir)
    manifests = sorted(results_dir.rglob(f"*{FILE_SUFFIX}")) + sorted(results_dir.rglob(DIR_MANIFEST))
    for manifest_file in manifests:
        if manifest_file.is_relative_to(results_dir / STALE_DIR):
            continue  # outputs set aside earlier
        try:
            manifest = json.loads(manifest_file.read_text())
        except (OSError, json.JSONDecodeError):
            continue  # not ours to judge here; read_manifest names broken ones where they are read
        for fingerprints in (manifest.get("inputs") or {}).values():
            for fingerprint in fingerprints:
                consumers.setdefault(fingerprint["path"], []).append(manifest["artifact"])
    found, queue = [], list(paths)
    while queue:
        for artifact in consumers.get(queue.pop(0), []):
            if artifact not in found and artifact not in paths:
                found.append(artifact)
                queue.append(artifact)
    return found


def set_aside(stale: list[Stale], results_dir: str | os.PathLike, destination: str | os.PathLike) -> list[Path]:
    """Move the stale outputs and everything built from them (with a file's manifest beside it; a
    directory's is inside) under `destination`, keeping their relative paths, so Snakemake sees
    them missing and rebuilds them. Returns the moved paths."""
    outputs = [output for item in stale for output in item.outputs]
    moved = []
    for output in map(Path, outputs + built_from(outputs, results_dir)):
        beside = manifest_path(output) if output.is_file() else None
        for path in (output, beside):
            if path is not None and path.exists():
                target = Path(destination) / path.relative_to(path.anchor)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), target)
                moved.append(path)
    return moved
