"""Ablations in the DAG: a variant adds exactly its mixture, examples, training and evaluation jobs
(dry runs, one per ablation kind), no data job runs twice, and a two-variant ablation over the
finished smoke run trains, evaluates and reaches the report's table."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from budgetai.core.config.load import load_config
from tests.workflow.run_workflow import REPO, dry_run_jobs, scratch_workdir, snakemake

pytestmark = [pytest.mark.slow]

PARENT = "haskell-smollm2"
SMOKE = load_config([str(REPO / "config" / "smoke.yaml")], base=REPO / "config" / "config.yaml")
SUITES = list(SMOKE["evaluation"]["suites"])
PER_VARIANT = {"mixture": 1, "examples": 1, "train": 1, "evaluate_experiment": len(SUITES)}
DATA_JOBS = ("ingest", "gather_source", "clean", "signatures", "dedup", "decontaminate", "split")


def overlay(workdir: Path, name: str, ablations: dict) -> str:
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"experiments": {PARENT: {"ablations": ablations}}}))
    return str(path)


@pytest.fixture(scope="module")
def dry_workdir(tmp_path_factory) -> Path:
    return scratch_workdir(tmp_path_factory.mktemp("ablation-dry"))


@pytest.fixture(scope="module")
def plain_jobs(dry_workdir) -> Counter:
    return Counter(rule for rule, _ in dry_run_jobs(dry_workdir, "--configfile", "config/smoke.yaml"))


@pytest.mark.parametrize("kind, ablations, variants", [
    ("leave_one_out", {"leave_one_out": ["codeforces_haskell", "haskell_book"]},
     ["minus-codeforces_haskell", "minus-haskell_book"]),
    ("only", {"only": {"curated": ["haskell_book", "codeforces_haskell"]}}, ["only-curated"]),
    ("without_steps", {"without_steps": ["chunking", "mined_instructions"]},
     ["without-chunking", "without-mined_instructions"]),
])
def test_each_ablation_kind_adds_exactly_its_variants_jobs(dry_workdir, plain_jobs, kind, ablations, variants):
    jobs = dry_run_jobs(dry_workdir, "--configfile", "config/smoke.yaml", overlay(dry_workdir, kind, ablations))
    extra = Counter(rule for rule, _ in jobs) - plain_jobs
    assert extra == Counter({rule: n * len(variants) for rule, n in PER_VARIANT.items()})
    for rule in PER_VARIANT:
        planned = Counter(w["experiment"] for r, w in jobs if r == rule)
        assert planned == {PARENT: PER_VARIANT[rule], **{f"{PARENT}~{v}": PER_VARIANT[rule] for v in variants}}
    for rule in DATA_JOBS:  # the data jobs are the parent's, once each
        assert Counter(r for r, _ in jobs)[rule] == plain_jobs[rule] > 0, rule


def test_a_step_that_needs_its_own_dataset_stops_the_plan(dry_workdir):
    proc = snakemake(dry_workdir, "-n", "--configfile", "config/smoke.yaml",
                     overlay(dry_workdir, "near_dedup", {"without_steps": ["near_dedup"]}), check=False)
    assert proc.returncode != 0
    assert ("experiments.haskell-smollm2.ablations.without_steps[0]: switching off near_dedup"
            in proc.stdout + proc.stderr)


# --- two variants end to end, over the finished smoke run ----------------------------------


def copy_finished_run(source: Path, destination: Path) -> Path:
    """The smoke run's workdir, its results hard-linked (Snakemake removes an output before it
    rewrites it, so the shared run is never changed) and its metadata copied."""
    shutil.copytree(source, destination, symlinks=True, ignore=shutil.ignore_patterns("results"))
    shutil.copytree(source / "results", destination / "results", symlinks=True, copy_function=os.link)
    return destination


@pytest.mark.ghc
def test_a_two_variant_ablation_runs_end_to_end_and_reaches_the_report(smoke_workdir, tmp_path):
    workdir = copy_finished_run(smoke_workdir, tmp_path / "ablation")
    ablation = overlay(workdir, "two", {"leave_one_out": ["codeforces_haskell"], "without_steps": ["chunking"]})
    variants = [f"{PARENT}~minus-codeforces_haskell", f"{PARENT}~without-chunking"]
    jobs = dry_run_jobs(workdir, "--configfile", "config/smoke.yaml", ablation)
    ran = Counter(rule for rule, _ in jobs)
    # only the variants' jobs, the report, and the data card (which links every experiment's examples card)
    assert ran == Counter({rule: n * 2 for rule, n in PER_VARIANT.items()}) + Counter({"report": 1, "datacard": 1})
    assert {w["experiment"] for _, w in jobs if "experiment" in w} == set(variants)

    snakemake(workdir, "--cores", "2", "--configfile", "config/smoke.yaml", ablation, timeout=900)
    results = workdir / "results"
    minus = json.loads((results / "experiments" / variants[0] / "data" / "mixture_stats.json").read_text())
    assert "codeforces_haskell" not in minus["extra"]["sources"] and minus["extra"]["train"]
    parent_train = pq.read_table(results / "experiments" / PARENT / "data" / "train.parquet")
    assert "codeforces_haskell" in parent_train.column("source").to_pylist()
    summary = json.loads((results / "experiments" / variants[1] / "data" / "examples_summary.json").read_text())
    assert summary["config"]["chunk_long_records"] is False
    html = (results / "report" / "index.html").read_text()
    assert '<section id="ablations">' in html
    for suite in SUITES:
        assert f"<h3>{PARENT}: {suite}</h3>" in html
    for variant in variants:
        assert f'<td class="l">{variant}</td>' in html
    assert "data:image/png;base64," in html.split('<section id="ablations">')[1]
