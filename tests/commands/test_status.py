"""`budgetai status` from Snakemake's own summary, on scratch copies of the workflow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from budgetai.commands.status import (SummaryError, group_artifacts, name_changed_inputs, parse_summary, run_summary,
                                      stage_of)
from tests.workflow.run_workflow import scratch_workdir, snakemake

BUDGETAI = str(Path(sys.executable).with_name("budgetai"))
# The sample sources whose files ship in resources/; a source whose inputs are absent would stop
# Snakemake from building the DAG at all (that error has its own test below).
ONLY_SHIPPED = {"sources": {"the_stack_haskell": {"enabled": False}}}

SUMMARY = """Building DAG of jobs...
output_file\tdate\trule\tlog-file(s)\tstatus\tplan
results/sources/so/raw.parquet\tMon Nov 23 11:58:58 2026\tgather_source\tlogs/g.log\tok\tno update
results/sources/so/clean.parquet\tMon Nov 23 11:59:58 2026\tclean\tlogs/c.log\tparams changed\tupdate pending
results/sources/so/minhash.parquet\t-\tsignatures\t-\tmissing\tupdate pending
results/dataset/dedup.parquet\tMon Nov 23 12:00:00 2026\tdedup\t-\tok\tupdate pending
results/experiments/e1/eval/heldout.generations.jsonl\t-\tevaluate_experiment\t-\tmissing\tupdate pending
"""


def test_parse_and_group_a_summary():
    artifacts = parse_summary(SUMMARY)
    assert [a.state for a in artifacts] == ["built", "stale", "missing", "stale", "missing"]
    groups = {(g.stage, g.item): g for g in group_artifacts(artifacts)}
    source = groups[("sources", "so")]
    assert source.state == "partial" and source.counts == {"built": 1, "stale": 1, "missing": 1}
    assert source.last_built == "Mon Nov 23 11:59:58 2026" and source.why_stale == "params changed"
    assert groups[("dataset", "dedup")].why_stale == "upstream outputs will change"
    assert groups[("evaluation", "e1/heldout")].state == "missing"
    assert list(groups)[0][0] == "sources" and list(groups)[-1][0] == "evaluation"


def test_stage_of_follows_the_results_layout():
    assert stage_of("results/models/smollm2-135m") == ("models", "smollm2-135m")
    assert stage_of("results/experiments/e/data/train.parquet") == ("mixture", "e")
    assert stage_of("results/experiments/e/adapter") == ("training", "e")
    assert stage_of("results/base/m/eval/problems.generations.jsonl") == ("evaluation", "base m/problems")
    assert stage_of("results/dataset/train.parquet", "split") == ("dataset", "split")
    assert stage_of("results/report/index.html") == ("report", "")


def test_malformed_summary_names_the_line():
    with pytest.raises(ValueError, match="no 'output_file' header"):
        parse_summary("Building DAG of jobs...\n")
    with pytest.raises(ValueError, match="summary line 2: 3 columns"):
        parse_summary("output_file\tdate\trule\tlog-file(s)\tstatus\tplan\na\tb\tc\n")


def write_overlay(workdir: Path, name: str, overlay: dict) -> str:
    (workdir / name).write_text(yaml.safe_dump(overlay))
    return name


def status_json(workdir: Path, *configfiles: str) -> dict:
    proc = subprocess.run([BUDGETAI, "status", "--json", "--configfile", *configfiles], cwd=workdir,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return {(g["stage"], g["item"]): g for g in json.loads(proc.stdout)}


@pytest.mark.slow
def test_fresh_checkout_is_all_missing_and_built_outputs_go_stale_on_param_change(tmp_path):
    workdir = scratch_workdir(tmp_path / "wd")
    overlay = write_overlay(workdir, "shipped.yaml", ONLY_SHIPPED)
    fresh = status_json(workdir, "config/smoke.yaml", overlay)
    assert {g["state"] for g in fresh.values()} == {"missing"}
    stages = {stage for stage, _ in fresh}
    assert stages == {"sources", "dataset", "models", "mixture", "training", "evaluation", "report"}
    assert ("sources", "the_stack_haskell") not in fresh and ("sources", "haskell_book") in fresh
    assert ("training", "haskell-smollm2") in fresh and ("evaluation", "base smollm2-135m/heldout") in fresh

    snakemake(workdir, "results/sources/haskell_book/clean.parquet", "results/sources/haskell_book/minhash.parquet",
              "--cores", "2", "--configfile", "config/smoke.yaml", overlay)
    built = status_json(workdir, "config/smoke.yaml", overlay)[("sources", "haskell_book")]
    assert built["state"] == "built" and built["counts"]["missing"] == 0 and built["last_built"] != "-"

    changed = write_overlay(workdir, "changed.yaml", {**ONLY_SHIPPED, "clean": {"min_response_chars": 25}})
    stale = status_json(workdir, "config/smoke.yaml", changed)[("sources", "haskell_book")]
    assert stale["state"] == "stale" and "params changed" in stale["why_stale"]

    text = subprocess.run([BUDGETAI, "status", "--configfile", "config/smoke.yaml", changed], cwd=workdir,
                          capture_output=True, text=True, timeout=300).stdout
    assert text.splitlines()[0].split()[:3] == ["stage", "item", "state"]
    assert "To bring everything up to date: snakemake --cores all --configfile config/smoke.yaml changed.yaml" in text


@pytest.mark.slow
def test_a_broken_dag_is_reported_with_snakemakes_reason(tmp_path):
    workdir = scratch_workdir(tmp_path / "wd")
    overlay = write_overlay(workdir, "broken.yaml", {"sources": {"the_stack_haskell": {"enabled": True,
                                                                                       "files": ["nowhere/*.parquet"]}}})
    with pytest.raises(SummaryError, match="nowhere/\\*.parquet"):
        run_summary(workdir, ["config/smoke.yaml", overlay])
    proc = subprocess.run([BUDGETAI, "status", "--configfile", "config/smoke.yaml", overlay], cwd=workdir,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "match no file" in proc.stderr


def test_directory_without_snakefile_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="has no Snakefile"):
        run_summary(tmp_path)


DRY_RUN = """rule source_inputs:
    input: /doc/containers/src/Data-Map.html, /doc/containers/src/Data-Set.html
    output: results/sources/ghc/inputs.json
    jobid: 3
    reason: Updated input files: /doc/containers/src/Data-Map.html; Code has changed since last execution
    wildcards: source=ghc
rule ingest:
    input: results/sources/ghc/inputs.json
    output: results/sources/ghc/shards/all.parquet, results/sources/ghc/shards/all.stats.json
    reason: Input files updated by another job: results/sources/ghc/inputs.json
"""


def test_changed_inputs_are_named_from_the_dry_runs_reasons():
    summary = ("output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
               "results/sources/ghc/inputs.json\tMon Nov 23 11:58:58 2026\tsource_inputs\t-\tupdated input files\tupdate pending\n"
               "results/sources/ghc/shards/all.parquet\tMon Nov 23 11:58:58 2026\tingest\t-\tok\tupdate pending\n")
    artifacts = name_changed_inputs(parse_summary(summary), DRY_RUN)
    assert artifacts[0].changed_inputs == ["/doc/containers/src/Data-Map.html"]
    assert artifacts[0].why_stale == "updated input files: /doc/containers/src/Data-Map.html"
    assert artifacts[1].changed_inputs == []  # rebuilt because its input is rebuilt first
    group = group_artifacts(artifacts)[0]
    assert "updated input files: /doc/containers/src/Data-Map.html" in group.why_stale


def test_many_changed_inputs_are_summed_up():
    artifact = parse_summary("output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
                             "o\t-\tr\t-\tupdated input files\tupdate pending\n")[0]
    artifact.changed_inputs = ["a", "b", "c", "d", "e"]
    assert artifact.why_stale == "updated input files: a, b, c and 2 more"
