"""`budgetai status`: which sources, datasets, models, experiments and evaluations are built,
stale or missing, grouped by stage. Asks Snakemake itself (`snakemake --summary`), so "stale"
means exactly what Snakemake would rerun (changed params, code, inputs or newer upstream files).
Where inputs changed, a dry run's reasons name them (`why stale` lists the files).

    budgetai status [--configfile config/smoke.yaml] [--directory REPO] [--files] [--json]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from tabulate import tabulate

STAGE_ORDER = ("sources", "dataset", "models", "mixture", "training", "evaluation", "report", "other")
STATES = ("built", "stale", "partial", "missing")
UPDATED_INPUT = "updated input files"
# How many changed inputs `why stale` names before summing up the rest.
NAMED_INPUTS = 3


class SummaryError(RuntimeError):
    """Snakemake could not produce a summary (bad config, missing inputs, broken rule)."""


@dataclass
class Artifact:
    path: str
    rule: str
    date: str  # Snakemake's ctime string, "-" when the file does not exist
    status: str  # Snakemake's: ok, missing, params changed, updated input files, ...
    plan: str  # "update pending" or "no update"
    changed_inputs: list[str] = field(default_factory=list)  # when status is "updated input files"

    @property
    def why_stale(self) -> str:
        if self.status != UPDATED_INPUT or not self.changed_inputs:
            return self.status
        named = ", ".join(self.changed_inputs[:NAMED_INPUTS])
        more = len(self.changed_inputs) - NAMED_INPUTS
        return f"{UPDATED_INPUT}: {named}" + (f" and {more} more" if more > 0 else "")

    @property
    def state(self) -> str:
        if self.status == "missing":
            return "missing"
        return "stale" if self.plan == "update pending" else "built"


def snakemake_executable() -> str:
    beside = Path(sys.executable).with_name("snakemake")  # the venv's, matching this package
    found = str(beside) if beside.exists() else shutil.which("snakemake")
    if not found:
        raise FileNotFoundError("snakemake is not installed (pip install snakemake)")
    return found


def run_summary(directory: str | Path = ".", configfiles: list[str] | None = None, timeout: int = 600) -> str:
    """The stdout of `snakemake --summary` run in the workflow directory."""
    directory = Path(directory)
    if not (directory / "Snakefile").exists() and not (directory / "workflow" / "Snakefile").exists():
        raise FileNotFoundError(f"{directory.resolve()} has no Snakefile; run from the repo root or pass --directory")
    cmd = [snakemake_executable(), "--summary", *(["--configfile", *configfiles] if configfiles else [])]
    proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        detail = "\n".join(line for line in proc.stderr.splitlines() if not line.startswith("Using workflow specific"))
        raise SummaryError(f"`{' '.join(cmd[1:])}` failed in {directory.resolve()} (exit {proc.returncode}):\n{detail[-3000:]}")
    return proc.stdout


def run_dry_run(directory: str | Path = ".", configfiles: list[str] | None = None, timeout: int = 600) -> str:
    """The output of `snakemake --dry-run`: every job to run, with its outputs and reasons."""
    cmd = [snakemake_executable(), "--dry-run", *(["--configfile", *configfiles] if configfiles else [])]
    proc = subprocess.run(cmd, cwd=Path(directory), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise SummaryError(f"`{' '.join(cmd[1:])}` failed in {Path(directory).resolve()} (exit {proc.returncode}):\n"
                           f"{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def parse_updated_inputs(dry_run: str) -> dict[str, list[str]]:
    """{output: [inputs whose change reruns its job]} from a dry run's `output:` and `reason:
    ... Updated input files: a, b; ...` lines (inputs that are themselves rebuilt first are
    "Input files updated by another job", not listed here)."""
    updated: dict[str, list[str]] = {}
    outputs: list[str] = []
    for line in dry_run.splitlines():
        line = line.strip()
        if line.startswith("output:"):
            outputs = [o.strip() for o in line.removeprefix("output:").split(",") if o.strip()]
        elif line.startswith("reason:"):
            for part in line.removeprefix("reason:").split(";"):
                part = part.strip()
                if part.startswith("Updated input files:"):
                    files = [f.strip() for f in part.removeprefix("Updated input files:").split(",") if f.strip()]
                    updated.update({output: files for output in outputs})
            outputs = []
    return updated


def name_changed_inputs(artifacts: list[Artifact], dry_run: str) -> list[Artifact]:
    """Each artifact stale for "updated input files", with the inputs that changed."""
    updated = parse_updated_inputs(dry_run)
    for artifact in artifacts:
        if artifact.status == UPDATED_INPUT:
            artifact.changed_inputs = updated.get(artifact.path, [])
    return artifacts


def parse_summary(text: str) -> list[Artifact]:
    """Artifacts from `snakemake --summary` or `--detailed-summary` output (tab-separated, with a
    header line; columns are found by name so either form works)."""
    lines = [line for line in text.splitlines() if "\t" in line]
    if not lines or not lines[0].startswith("output_file\t"):
        raise ValueError(f"not a snakemake summary (no 'output_file' header): {text[:200]!r}")
    header = lines[0].split("\t")
    where = {name: header.index(name) for name in ("output_file", "date", "rule", "status", "plan")}
    artifacts = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ValueError(f"snakemake summary line {number}: {len(cells)} columns, header has {len(header)}: {line!r}")
        artifacts.append(Artifact(*(cells[where[name]] for name in ("output_file", "rule", "date", "status", "plan"))))
    return artifacts


def stage_of(path: str, rule: str = "") -> tuple[str, str]:
    """(stage, item) an output belongs to, from the results layout (dataset items are the rules
    that write there: dedup, decontaminate, split, datacard)."""
    parts = Path(path).parts
    if len(parts) < 2 or parts[0] != "results":
        return "other", ""
    area, rest = parts[1], parts[2:]
    if area == "sources" and rest:
        return "sources", rest[0]
    if area == "dataset":
        return "dataset", rule
    if area == "models" and rest:
        return "models", rest[0]
    if area == "experiments" and len(rest) >= 2:
        stage = {"data": "mixture", "adapter": "training", "eval": "evaluation"}.get(rest[1], "other")
        suite = f"/{rest[2].split('.')[0]}" if stage == "evaluation" and len(rest) > 2 else ""
        return stage, rest[0] + suite
    if area == "base" and len(rest) >= 3 and rest[1] == "eval":
        return "evaluation", f"base {rest[0]}/{rest[2].split('.')[0]}"
    if area == "report":
        return "report", ""
    return "other", ""


@dataclass
class Group:
    stage: str
    item: str
    state: str
    counts: dict
    last_built: str
    why_stale: str

    @classmethod
    def of(cls, stage: str, item: str, artifacts: list[Artifact]) -> "Group":
        counts = Counter(a.state for a in artifacts)
        if counts["missing"] == len(artifacts):
            state = "missing"
        elif counts["missing"]:
            state = "partial"
        else:
            state = "stale" if counts["stale"] else "built"
        reasons = sorted({a.why_stale for a in artifacts if a.state == "stale" and a.status != "ok"})
        if counts["stale"] and not reasons:
            reasons = ["upstream outputs will change"]  # its inputs are rebuilt first
        dates = [a.date for a in artifacts if a.date != "-"]
        return cls(stage, item, state, {s: counts[s] for s in ("built", "stale", "missing")},
                   max(dates, key=_ctime_key, default="-"), ", ".join(reasons))


def _ctime_key(date: str):
    return datetime.strptime(date, "%a %b %d %H:%M:%S %Y")


def group_artifacts(artifacts: list[Artifact]) -> list[Group]:
    """One Group per (stage, item), stages in pipeline order."""
    groups: dict[tuple[str, str], list[Artifact]] = {}
    for artifact in artifacts:
        groups.setdefault(stage_of(artifact.path, artifact.rule), []).append(artifact)
    ordered = sorted(groups, key=lambda key: (STAGE_ORDER.index(key[0]), key[1]))
    return [Group.of(stage, item, groups[(stage, item)]) for stage, item in ordered]


def format_status(groups: list[Group], configfiles: list[str] | None = None) -> str:
    rows = [[g.stage, g.item or "-", g.state, g.counts["built"], g.counts["stale"], g.counts["missing"],
             g.last_built, g.why_stale] for g in groups]
    table = tabulate(rows, headers=["stage", "item", "state", "built", "stale", "missing", "last built", "why stale"])
    totals = Counter(g.state for g in groups)
    summary = ", ".join(f"{totals[s]} {s}" for s in STATES if totals[s]) or "nothing in the DAG"
    if totals["built"] < len(groups):
        overlay = f" --configfile {' '.join(configfiles)}" if configfiles else ""
        summary += f". To bring everything up to date: snakemake --cores all{overlay}"
    # Snakemake reads only the configs it is given: a run made with an overlay (extra sources)
    # looks stale or missing against the default config, so say which config this describes.
    assumed = (f"Config: config/config.yaml + {' '.join(configfiles)}" if configfiles else
               "Config: config/config.yaml only; pass --configfile with the run's overlays (extra "
               "sources, experiments) to see that run")
    return f"{table}\n\n{summary}\n{assumed}"


def format_files(artifacts: list[Artifact]) -> str:
    rows = [[a.path, a.rule, a.state, a.why_stale, a.date] for a in artifacts]
    return tabulate(rows, headers=["output", "rule", "state", "snakemake status", "modified"])


def add_cli(commands) -> None:
    p = commands.add_parser("status", help="what is built, stale or missing, by stage (from snakemake --summary)")
    p.add_argument("--configfile", nargs="+", help="config overlays, as given to snakemake")
    p.add_argument("--directory", default=".", help="the workflow directory (holding the Snakefile)")
    p.add_argument("--files", action="store_true", help="list every output file instead of groups")
    p.add_argument("--json", action="store_true", help="print groups (or files) as JSON")

    def run(args):
        try:
            artifacts = parse_summary(run_summary(args.directory, args.configfile))
            if any(a.status == UPDATED_INPUT for a in artifacts):
                artifacts = name_changed_inputs(artifacts, run_dry_run(args.directory, args.configfile))
        except SummaryError as err:
            print(f"budgetai status: error: {err}", file=sys.stderr)
            return 1
        if args.json:
            items = artifacts if args.files else group_artifacts(artifacts)
            print(json.dumps([{**asdict(i), "state": i.state} for i in items], indent=2))
        else:
            print(format_files(artifacts) if args.files else format_status(group_artifacts(artifacts), args.configfile))
        return 0

    p.set_defaults(run=run)
