"""The haskell-7b plan as a cluster would run it: every job that needs the network is a local rule
(the login node runs it), a gated download without a token stops the dry run naming HF_TOKEN, and
evaluation jobs request their own, smaller resources than training."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.workflow.run_workflow import REPO, scratch_workdir, snakemake

FAMILY = ["--configfile", "config/experiments/haskell-7b.yaml", "--replace-workflow-config"]
CONFIG = yaml.safe_load((REPO / "config/experiments/haskell-7b.yaml").read_text())
# Loads the workflow through Snakemake's API and asks it which rules would run on the driver
# under a cluster executor (local_exec False, as snakemake-executor-plugin-slurm sets it).
LOCAL_RULES = """
import json, sys
from pathlib import Path
from snakemake.api import SnakemakeApi
from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings
from snakemake.workflow import Workflow

Workflow.local_exec = property(lambda self: False)
with SnakemakeApi(OutputSettings()) as api:
    workflow_api = api.workflow(
        resource_settings=ResourceSettings(cores=1),
        config_settings=ConfigSettings(configfiles=[Path(p) for p in sys.argv[1:]], replace_workflow_config=True),
        snakefile=Path("Snakefile"), workdir=Path("."))
    workflow_api.dag(dag_settings=DAGSettings())
    workflow = workflow_api._workflow
    print(json.dumps({rule.name: workflow.is_local(rule) for rule in workflow.rules}))
"""
JOB = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):$")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return scratch_workdir(tmp_path_factory.mktemp("cluster-plan"))


@pytest.fixture
def hub_env(tmp_path) -> dict:
    """No token file of the user's (HF_HOME is empty) and a token in the environment."""
    return {"HF_HOME": str(tmp_path / "hf-home"), "HF_TOKEN": "hf_test0123"}


def planned_jobs(output: str) -> list[dict]:
    """Every job of a dry run's output: its rule, wildcards and resources."""
    jobs = []
    for line in output.splitlines():
        line = line.strip()
        if header := JOB.match(line):
            jobs.append({"rule": header.group(1), "wildcards": {}, "resources": {}})
        elif jobs and line.startswith(("wildcards:", "resources:")):
            field, _, values = line.partition(": ")
            pairs = [p.split("=", 1) for p in values.split(", ") if "=" in p]
            jobs[-1][field] = {k: v for k, v in pairs}
    return [job for job in jobs if job["rule"] != "all"]


def local_rules(workdir: Path, env: dict) -> dict[str, bool]:
    proc = subprocess.run([sys.executable, "-c", LOCAL_RULES, "config/experiments/haskell-7b.yaml"], cwd=workdir,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # a dry run of the 7B family: seconds
def test_every_job_that_needs_the_network_runs_on_the_login_node(workdir, hub_env):
    jobs = planned_jobs(snakemake(workdir, "-n", "--cores", "2", *FAMILY, env=hub_env).stdout)
    local = local_rules(workdir, hub_env)
    scrapes = {"codeforces_haskell", "haskell_book"}  # base_url / start_url, no mirror_dir
    network_jobs = [j for j in jobs if j["rule"].startswith("download")
                    or j["wildcards"].get("source") in scrapes and j["rule"].startswith("ingest")
                    or j["wildcards"].get("model") == "mistral-7b" and j["rule"] in ("prepare_model", "download_model")]
    assert {j["wildcards"].get("source") for j in network_jobs} >= scrapes
    assert any(j["wildcards"].get("model") == "mistral-7b" for j in network_jobs)  # the 7B snapshot_download
    assert {j["rule"]: local[j["rule"]] for j in network_jobs} == {j["rule"]: True for j in network_jobs}
    # and the heavy jobs still go to the cluster
    for rule in ("ingest", "clean", "train", "evaluate_experiment", "evaluate_base", "prepare_model"):
        assert local[rule] is False, rule
    offline = [j for j in jobs if j["rule"].startswith("ingest") and j["wildcards"]["source"] == "stackoverflow_haskell"]
    assert offline and all(j["rule"] == "ingest" for j in offline)


@pytest.mark.slow  # a dry run of the 7B family: seconds
def test_a_gated_download_without_a_token_stops_the_dry_run(workdir, hub_env):
    proc = snakemake(workdir, "-n", "--cores", "2", *FAMILY, env={**hub_env, "HF_TOKEN": ""}, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "HF_TOKEN is not set" in output and "sources/the_stack_haskell (bigcode/the-stack-dedup)" in output
    assert not (workdir / "results").exists()


@pytest.mark.slow  # a dry run of the 7B family: seconds
def test_evaluation_jobs_request_one_gpu_and_less_than_training(workdir, hub_env):
    jobs = planned_jobs(snakemake(workdir, "-n", "--cores", "2", *FAMILY, env=hub_env).stdout)
    train = [j["resources"] for j in jobs if j["rule"] == "train"]
    evaluations = [j["resources"] for j in jobs if j["rule"].startswith("evaluate")]
    # experiments may be generated (ablations): count the planned train jobs, plus the base model
    assert train and len(evaluations) == len(CONFIG["evaluation"]["suites"]) * (len(train) + 1)
    assert all(t["gpu"] == "1" and t["mem_mb"] == "64000" for t in train)
    for resources in evaluations:
        assert resources["gpu"] == "1"
        assert int(resources["mem_mb"]) < 64000 and int(resources["runtime"]) < 720, resources


def test_the_experiments_doc_describes_the_configs():
    """docs/experiments.md once told users to set three `CLUSTER` paths the file no longer had."""
    doc = (REPO / "docs/experiments.md").read_text()
    assert "CLUSTER" not in doc
    for path in sorted((REPO / "config/experiments").glob("*.yaml")):
        config = yaml.safe_load(path.read_text())
        row = next((line for line in doc.splitlines() if line.startswith("|") and f"`{path.stem}`" in line), None)
        assert row is not None, f"docs/experiments.md has no row for {path.stem}"
        assert f"--configfile config/experiments/{path.name}" in row
        gated = [name for name, cfg in config["sources"].items()
                 if cfg.get("gated") or (cfg.get("download") or {}).get("gated")]
        assert not gated or "HF_TOKEN" in row, (path.stem, gated)
