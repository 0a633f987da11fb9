"""`budgetai lineage ROW_ID`: where one row came from and what every stage did to it.

    budgetai lineage stackoverflow_haskell:12345 [--results results] [--json]

Reads only what the pipeline wrote: the source's raw/clean Parquet (and its shards), the dedup
clusters, decontamination.json, the three splits and every experiment's mixture. Stages that do
not record per-row reasons (clean, split) are asked again through their own modules with the
config the artifact's manifest recorded (budgetai.core.manifest), falling back to config/config.yaml.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from budgetai.stages import split
from budgetai.stages.clean import stage as clean_stage
from budgetai.stages.clean.text import normalise_text
from budgetai.core import results_layout as layout
from budgetai.core.config import views
from budgetai.core.config.load import DEFAULT_CONFIG, load_config, resolve_config
from budgetai.stages.dedup import read_clusters
from budgetai.core.manifest import read_manifest
from budgetai.core.records import read_table
from budgetai.core.stats import read_stats
from budgetai.commands.terminal_text import terminal_safe

STAGES = ("ingest", "clean", "dedup", "decontaminate", "split", "mixture")


@dataclass
class Step:
    stage: str
    status: str  # "kept", "changed", "dropped", "missing" (inconsistent outputs), "not built", "unused"
    detail: str = ""


@dataclass
class Lineage:
    row_id: str
    origin: dict = field(default_factory=dict)  # source, url, license, kind, group, shard
    steps: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def find_row(path: Path, row_id: str) -> dict | None:
    """The row with this id in a record Parquet file (None when absent or the file is missing)."""
    if not path.exists():
        return None
    rows = pq.read_table(path, filters=[("id", "==", row_id)]).to_pylist()
    return rows[0] if rows else None


REPEAT_SUFFIX = re.compile(r"#rep\d+$")  # mixture.py's ids for repeated copies: "<id>#rep<k>"


def count_copies(path: Path, row_id: str) -> int:
    """Rows that are this row or a mixture's repeated copy of it ("<id>#rep<k>")."""
    ids = pq.read_table(path, columns=["id"]).column("id")
    candidates = ids.filter(pc.starts_with(ids, row_id)).to_pylist()
    return sum(1 for i in candidates if i == row_id or REPEAT_SUFFIX.fullmatch(i[len(row_id):]))


def source_of(row_id: str, results: Path) -> str:
    """The source directory holding a row: the id's "<source>:" prefix, else a search of raw files."""
    prefix = row_id.split(":", 1)[0]
    if Path(layout.raw(prefix, results)).exists():
        return prefix
    for raw in sorted(Path(layout.source_dir("*", results)).parent.glob("*/raw.parquet")):
        if find_row(raw, row_id) is not None:
            return raw.parent.name
    raise KeyError(f"row {row_id!r}: no results/sources/*/raw.parquet under {results} contains it")


def trace(row_id: str, results: str | Path = "results", config: dict | None = None) -> Lineage:
    """Follow a row through every stage; stops describing stages after the one that dropped it."""
    results = Path(results)
    row_id = REPEAT_SUFFIX.sub("", row_id)  # a mixture copy traces back to its original
    source = source_of(row_id, results)
    source_dir = Path(layout.source_dir(source, results))
    raw = find_row(Path(layout.raw(source, results)), row_id)
    lineage = Lineage(row_id)
    if raw is None:
        lineage.steps.append(ingest_drop_step(source_dir, row_id))
        return lineage
    shard, shard_input = find_shard(source_dir, row_id)
    lineage.origin = {key: raw[key] for key in ("source", "url", "license", "kind", "group", "language")}
    lineage.origin.update(shard=shard, shard_input=shard_input)
    lineage.steps.append(Step("ingest", "kept", f"in {source_dir / 'raw.parquet'}" + (f" (shard {shard})" if shard else "")))
    for stage in (clean_step, dedup_step, decontaminate_step, split_step):
        step = stage(raw, results, config)
        lineage.steps.append(step)
        if step.status in ("dropped", "missing", "not built"):
            return lineage
    lineage.steps.append(mixture_step(row_id, results))
    return lineage


def ingest_drop_step(source_dir: Path, row_id: str) -> Step:
    """Why the ingest has no row: the reader's drop reason (ingest_stats.json's dropped_units) or
    its quarantine entry, else only that the row is missing."""
    stats_path = Path(layout.ingest_stats(source_dir.name, source_dir.parent.parent))
    extra = read_stats(stats_path).get("extra", {}) if stats_path.exists() else {}
    reader = f"the {extra['kind']} reader" if extra.get("kind") else "the reader"
    for unit in extra.get("dropped_units", []):
        if unit["id"] == row_id:
            return Step("ingest", "dropped", f"dropped by {reader}: {unit['reason']} (counted in {stats_path})")
    native = row_id.split(":", 1)[-1]
    quarantine_path = Path(layout.ingest_quarantine(source_dir.name, source_dir.parent.parent))
    if quarantine_path.exists():
        for entry in pq.read_table(quarantine_path).to_pylist():
            if entry["location"] == native or entry["location"].endswith("/" + native):
                return Step("ingest", "dropped", f"quarantined by {reader}: {entry['reason']} ({quarantine_path})")
    return Step("ingest", "missing", f"{source_dir / 'raw.parquet'} has no row {row_id!r}, and "
                f"{stats_path.name} names no drop of it (sources that do not record dropped units)")


def find_shard(source_dir: Path, row_id: str) -> tuple[str | None, str | None]:
    """(shard name, the input file its manifest names) of the ingest shard holding the row."""
    for path in sorted((source_dir / "shards").glob("*.parquet")):
        if path.name.endswith(".quarantine.parquet") or find_row(path, row_id) is None:
            continue
        manifest = read_manifest(path) or {}
        inputs = [f["path"] for files in manifest.get("inputs", {}).values() for f in files]
        if len(inputs) > 3:  # a whole source directory: name where, not every file
            return path.stem, f"{len(inputs)} files under {os.path.commonpath(inputs)}"
        return path.stem, ", ".join(inputs) or None
    return None, None


def stage_cfg(artifact: Path, config: dict | None, fallback) -> dict:
    """The `cfg` param the artifact was built with (from its manifest), else what the current
    config says (fallback(config)), else the stage's defaults ({})."""
    manifest = read_manifest(artifact) if artifact.exists() else None
    if manifest and isinstance(manifest.get("config", {}).get("cfg"), dict):
        return manifest["config"]["cfg"]
    return fallback(config) if config else {}


def clean_step(raw: dict, results: Path, config: dict | None) -> Step:
    path = Path(layout.clean(raw["source"], results))
    if not path.exists():
        return Step("clean", "not built", f"{path} does not exist")
    cfg = clean_stage.resolve_cfg(stage_cfg(path, config, lambda c: views.clean_view(c, raw["source"])))
    cleaned = find_row(path, raw["id"])
    if cleaned is None:
        return Step("clean", "dropped", clean_drop_explanation(raw, results, cfg))
    changes = describe_clean_changes(raw, cleaned, cfg)
    return Step("clean", "changed" if changes else "kept", changes)


def describe_clean_changes(raw: dict, cleaned: dict, cfg: dict) -> str:
    """Which rewrites changed the row (as the clean module reports them) and a short diff."""
    if all(raw[f] == cleaned[f] for f in ("prompt", "response")):
        return ""
    counters = {"rewrites": Counter(), "pii": Counter()}
    redone = clean_stage.rewrite_row(raw, cfg, counters)
    what = []
    if cfg["normalise"] and any(normalise_text(raw[f], cfg["expand_tabs"]) != raw[f] for f in ("prompt", "response")):
        what.append("whitespace/unicode normalised")
    what += [name.replace("_", " ") for name in ("language_tag_stripped", "comments_stripped") if counters["rewrites"][name]]
    if counters["pii"]:
        what.append("PII scrubbed (" + ", ".join(f"{k} x{n}" for k, n in sorted(counters["pii"].items())) + ")")
    if any(redone[f] != cleaned[f] for f in ("prompt", "response")):
        what.append("differs from what the current clean code and config produce (stale output?)")
    return "; ".join(what) + "\n" + text_diff(raw, cleaned)


def text_diff(before: dict, after: dict, max_lines: int = 12) -> str:
    lines = []
    for name in ("prompt", "response"):
        diff = difflib.unified_diff(before[name].splitlines(), after[name].splitlines(),
                                    f"raw {name}", f"clean {name}", n=0, lineterm="")
        lines += [line if len(line) <= 160 else line[:157] + "..." for line in diff]
    shown = lines[:max_lines] + ([f"... ({len(lines) - max_lines} more diff lines)"] if len(lines) > max_lines else [])
    return "\n".join(shown)


def clean_drop_explanation(raw: dict, results: Path, cfg: dict) -> str:
    """The clean stage keeps no per-row reasons, so replay the clean module on the raw rows up to
    this one (the in-source duplicate check depends on earlier rows) and ask it why."""
    rows = read_table(Path(layout.raw(raw["source"], results))).to_pylist()
    index = next(i for i, r in enumerate(rows) if r["id"] == raw["id"])
    # Earlier rows only matter through the duplicate check: skip the slow checks for them.
    cheap = {**cfg, "code_quality": False, "require_language": None, "compile_check": False}
    counters = {"rewrites": Counter(), "pii": Counter()}
    seen: set = set()
    for row in rows[:index]:
        if clean_stage.invalid_reason(row) is None:
            clean_stage.drop_reason(clean_stage.rewrite_row(row, cfg, counters), cheap, seen)
    if problem := clean_stage.invalid_reason(raw):
        return f"quarantined by clean: {problem}"
    reason = clean_stage.drop_reason(clean_stage.rewrite_row(raw, cfg, counters), cfg, seen)
    if reason is None:
        return "dropped by clean (the current clean code and config would keep it: the output is stale?)"
    return f"dropped by clean: {reason}"


def dedup_step(raw: dict, results: Path, config: dict | None) -> Step:
    if not Path(layout.dataset("dedup.parquet", results)).exists():
        return Step("dedup", "not built", f"{layout.dataset('dedup.parquet', results)} does not exist")
    row_id = raw["id"]
    clusters_path = Path(layout.dataset("dedup_clusters.parquet", results))
    clusters = read_clusters(clusters_path) if clusters_path.exists() else []
    for cluster in clusters:
        if row_id in cluster["removed_ids"]:
            similarity = cluster["similarity"][cluster["removed_ids"].index(row_id)]
            return Step("dedup", "dropped", f"removed: {cluster['reason']} duplicate of {cluster['kept_id']} "
                                            f"in cluster {cluster['cluster_id']} (similarity {similarity:.3f})")
    if find_row(Path(layout.dataset("dedup.parquet", results)), row_id) is None:
        return Step("dedup", "missing", "not in dedup.parquet and no cluster names it (stale outputs?)")
    for cluster in clusters:
        if cluster["kept_id"] == row_id:
            removed = cluster["removed_ids"]
            return Step("dedup", "kept", f"kept as the representative of {cluster['reason']} cluster "
                                         f"{cluster['cluster_id']}; removed {len(removed)}: {', '.join(removed[:5])}")
    return Step("dedup", "kept", "no duplicate found")


def decontaminate_step(raw: dict, results: Path, config: dict | None) -> Step:
    if not Path(layout.dataset("decontaminated.parquet", results)).exists():
        return Step("decontaminate", "not built", f"{layout.dataset('decontaminated.parquet', results)} does not exist")
    report_path = Path(layout.dataset("decontamination.json", results))
    removed = json.loads(report_path.read_text()).get("removed", []) if report_path.exists() else []
    for entry in removed:
        if entry.get("id") == raw["id"]:
            return Step("decontaminate", "dropped",
                        f"removed: {entry.get('how')} overlap with suite {entry.get('suite')!r} item "
                        f"{entry.get('item_id')!r} ({entry.get('ngram_matches')} n-gram matches); "
                        f"match: {entry.get('snippet', '')[:200]!r}")
    if find_row(Path(layout.dataset("decontaminated.parquet", results)), raw["id"]) is None:
        return Step("decontaminate", "missing", "not in decontaminated.parquet and not in decontamination.json")
    return Step("decontaminate", "kept", "no overlap with any evaluation suite")


def split_step(raw: dict, results: Path, config: dict | None) -> Step:
    for name in split.SPLITS:
        if find_row(Path(layout.dataset(f"{name}.parquet", results)), raw["id"]) is not None:
            return Step("split", "kept", f"{name} (group {raw['group'] or raw['id']!r})")
    if not Path(layout.dataset("train.parquet", results)).exists():
        return Step("split", "not built", f"{layout.dataset('train.parquet', results)} does not exist")
    cfg = split.resolve_cfg(stage_cfg(Path(layout.dataset("train.parquet", results)), config, views.split_view))
    stats_path = Path(layout.stage_stats("split", results))
    extra = read_stats(stats_path).get("extra", {}) if stats_path.exists() else {}
    would_be = extra.get("dropped_from", {}).get(raw["id"], "train or val")
    test_row = extra.get("overlapping_test_rows", {}).get(raw["id"], "?")
    return Step("split", "dropped", f"assigned to {would_be} by its group, then dropped: it shares "
                                    f"{cfg['overlap_ngram']}-grams with test-split row {test_row!r} (overlaps_test_split)")


def mixture_step(row_id: str, results: Path) -> Step:
    found = []
    for data_dir in sorted(Path(layout.experiment_dir("*", results)).parent.glob("*/data")):
        for name in ("train", "val"):
            path = data_dir / f"{name}.parquet"
            copies = count_copies(path, row_id) if path.exists() else 0
            if copies:
                found.append(f"{data_dir.parent.name} ({name}" + (f", {copies} copies)" if copies > 1 else ")"))
    if not found:
        return Step("mixture", "unused", "in no experiment's mixture")
    return Step("mixture", "kept", "in " + ", ".join(found))


def format_lineage(lineage: Lineage) -> str:
    """The human-readable report `budgetai lineage` prints."""
    lines = [f"row {lineage.row_id}"]
    for key in ("source", "url", "license", "kind", "language", "group", "shard", "shard_input"):
        if lineage.origin.get(key):
            lines.append(f"  {key:<12} {lineage.origin[key]}")
    lines.append("stages")
    for step in lineage.steps:
        first, *rest = (step.detail or "").splitlines() or [""]
        lines.append(f"  {step.stage:<14} {step.status:<10} {first}".rstrip())
        lines += [f"  {'':<25} {line}" for line in rest]
    done = {s.stage for s in lineage.steps}
    lines += [f"  {stage:<14} -" for stage in STAGES if stage not in done]
    return terminal_safe("\n".join(lines))  # row text may hold escape sequences


def add_cli(commands) -> None:
    p = commands.add_parser("lineage", help="where a row came from and what each stage did to it")
    p.add_argument("row_id", help='a record id, e.g. "stackoverflow_haskell:12345"')
    p.add_argument("--results", default="results", help="the pipeline's results directory")
    p.add_argument("--configfile", nargs="*", default=None,
                   help="config overlays, used where an artifact has no manifest (default: config/config.yaml if present)")
    p.add_argument("--json", action="store_true", help="print the lineage as JSON")

    def run(args):
        config = resolve_config(load_config(args.configfile)) if DEFAULT_CONFIG.exists() else None
        lineage = trace(args.row_id, args.results, config)
        print(json.dumps(lineage.to_dict(), indent=2) if args.json else format_lineage(lineage), file=sys.stdout)
        return 1 if lineage.steps[0].status == "missing" else 0  # no such row: a script must see it

    p.set_defaults(run=run)
