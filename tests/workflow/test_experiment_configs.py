"""The seeds' experiment families (config/experiments/*.yaml): every one plans as a dry run, and
every one's CPU stand-in runs end to end through the real workflow in a scratch copy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from budgetai.core.config.ablations import apply_ablations
from tests.workflow.run_workflow import REPO, dry_run_jobs, scratch_workdir, snakemake

FAMILIES = sorted(p.stem for p in (REPO / "config" / "experiments").glob("*.yaml"))
# CPU seconds of the benchmarked jobs (ingest, clean, train, evaluate) per family. Wall time is
# printed, not asserted: on a shared machine it measures the other jobs as much as ours.
STANDIN_CPU_BUDGET_S = 240
# On a 2-core machine shared with other jobs, two OpenMP threads per torch process spin against
# each other: one SmolLM2 LoRA step took 35-64 s with 2 threads and 6.5 s with 1 (measured here).
ONE_TORCH_THREAD = {"OMP_NUM_THREADS": "1"}


def family_args(name: str, *extra: str) -> list[str]:
    return ["--configfile", f"config/experiments/{name}.yaml", *extra, "--replace-workflow-config"]


def cluster_paths_overlay(workdir: Path, shared_dir: Path) -> str:
    """haskell-7b reads three files that exist only on the cluster (the StackOverflow dump, The
    Stack's shards, MultiPL-E); a site overlay points them at local files in the same formats,
    as a cluster user's own overlay would."""
    overlay = {
        "sources": {
            "stackoverflow_haskell": {"path": str(shared_dir / "realdata/stackexchange/stackoverflow-first-rows-posts.xml")},
            "the_stack_haskell": {"files": ["resources/sample/the-stack/data/haskell/*.parquet"]},
        },
        "evaluation": {"suites": {"humaneval_hs": {"path": str(shared_dir / "realdata/multipl-e/humaneval-hs-reworded.jsonl")}}},
    }
    path = workdir / "site.yaml"
    path.write_text(yaml.safe_dump(overlay))
    return path.name


@pytest.fixture(scope="module")
def dry_workdir(tmp_path_factory) -> Path:
    return scratch_workdir(tmp_path_factory.mktemp("experiments-dry"))


@pytest.mark.parametrize("name", FAMILIES)
def test_full_gpu_config_plans_every_experiment(dry_workdir, shared_dir, name, monkeypatch):
    """A dry run builds the whole DAG without fetching hub models (prepare_model is planned,
    not run) and with GPU resources on the train jobs."""
    monkeypatch.setenv("HF_TOKEN", "hf_test0123")  # LIMA is gated: no token stops the plan
    overlay = [cluster_paths_overlay(dry_workdir, shared_dir)] if name == "haskell-7b" else []
    config = apply_ablations(yaml.safe_load((REPO / "config" / "experiments" / f"{name}.yaml").read_text()))
    jobs = dry_run_jobs(dry_workdir, "--cores", "2", *family_args(name, *overlay))
    rules = [rule for rule, _ in jobs]
    assert sorted(w["experiment"] for r, w in jobs if r == "train") == sorted(config["experiments"])
    prepared = {w["model"] for r, w in jobs if r in ("prepare_model", "download_model")}
    assert prepared == {e["model"] for e in config["experiments"].values()}
    assert rules.count("evaluate_experiment") == len(config["experiments"]) * len(config["evaluation"]["suites"])
    assert not (dry_workdir / "results").exists()


def test_without_local_data_the_dry_run_plans_the_downloads(dry_workdir, monkeypatch):
    """haskell-7b names where its three cluster inputs come from: a dry run on a machine without
    them plans their downloads (local rules) instead of failing on missing files."""
    monkeypatch.setenv("HF_TOKEN", "hf_test0123")  # The Stack is gated: no token stops the plan
    jobs = dry_run_jobs(dry_workdir, "--cores", "2", *family_args("haskell-7b"))
    downloads = sorted((rule, w["download"]) for rule, w in jobs if rule in ("download_url", "download_hub"))
    assert downloads == [("download_hub", "sources/the_stack_haskell"),
                         ("download_url", "sources/stackoverflow_haskell"),
                         ("download_url", "suites/humaneval_hs")]
    assert not (dry_workdir / "resources" / "downloads").exists()


@pytest.mark.parametrize("name", FAMILIES)
def test_standin_plans_only_small_models(dry_workdir, name):
    jobs = dry_run_jobs(dry_workdir, "--cores", "2", "--config", "cpu_standin=true", *family_args(name))
    prepared = {w["model"] for r, w in jobs if r in ("prepare_model", "download_model")}
    assert prepared <= {"smollm2-135m", "t5-tiny"}, prepared


def train_resources(output: str) -> list[str]:
    """The `resources:` line of every train job in a dry run's output."""
    blocks = output.split("rule train:")[1:]
    return [next(line for line in b.splitlines() if line.strip().startswith("resources:")) for b in blocks]


def test_train_resources_follow_the_experiment(dry_workdir):
    """The config's per-experiment GPU request reaches the train jobs (the slurm executor turns
    it into --gpus / --mem / --time), through the workflow profile, which must not override
    it; the stand-in drops it."""
    gpu = snakemake(dry_workdir, "-n", "--cores", "2", *family_args("samsum-flan-t5"))
    for line in train_resources(gpu.stdout):
        assert "gpu=1" in line and "mem_mb=16000" in line and "runtime=360" in line, line
    cpu = snakemake(dry_workdir, "-n", "--cores", "2", "--config", "cpu_standin=True",
                    *family_args("samsum-flan-t5"))
    lines = train_resources(cpu.stdout)
    assert lines and all("gpu=0" in line for line in lines), lines


# --- the stand-ins, end to end ---------------------------------------------------------------


@pytest.fixture(scope="module")
def standin_runs(tmp_path_factory) -> dict[str, tuple[Path, float]]:
    runs = {}
    for name in FAMILIES:
        workdir = scratch_workdir(tmp_path_factory.mktemp(f"standin-{name}"))
        started = time.time()
        snakemake(workdir, "--cores", "2", *family_args(name, "config/standin.yaml"), timeout=900,
                  env=ONE_TORCH_THREAD)
        runs[name] = (workdir / "results", time.time() - started)
    print({name: round(seconds) for name, (_, seconds) in runs.items()})
    return runs


def experiments_of(name: str) -> list[str]:
    return list(yaml.safe_load((REPO / "config" / "experiments" / f"{name}.yaml").read_text())["experiments"])


def eval_metrics(results: Path, experiment: str, suite: str) -> dict:
    return json.loads((results / "experiments" / experiment / "eval" / f"{suite}.json").read_text())["metrics"]


@pytest.mark.slow
@pytest.mark.ghc
@pytest.mark.parametrize("name", FAMILIES)
def test_standin_trains_an_adapter_that_loads(standin_runs, name):
    from peft import PeftModel

    from budgetai.model.load import load_model

    results, _ = standin_runs[name]
    cpu = benchmarked_cpu_seconds(results.parent / "benchmarks")
    assert 0 < cpu < STANDIN_CPU_BUDGET_S, f"{name} stand-in used {cpu:.0f} CPU s"
    for experiment in experiments_of(name):
        adapter = results / "experiments" / experiment / "adapter"
        summary = json.loads((adapter / "training_summary.json").read_text())
        assert 1 <= summary["global_step"] <= 4 and summary["train_rows"] > 0
        model_dir = next(p for p in (results / "models").iterdir() if p.is_dir())
        model = PeftModel.from_pretrained(load_model(model_dir), adapter)
        assert any("lora_" in n for n, _ in model.named_parameters())


@pytest.mark.slow
@pytest.mark.ghc
@pytest.mark.parametrize("name", ["samsum-flan-t5", "python-codes-codet5"])
def test_t5_standins_report_text_metrics_on_the_heldout_split(standin_runs, name):
    results, _ = standin_runs[name]
    metrics = eval_metrics(results, name, "heldout")
    assert 0 <= metrics["rouge_l"] <= 1 and 0 <= metrics["bleu"] <= 100
    assert metrics["n"] >= 2 and metrics["loss_rows"] >= 5  # a test split of >= 5 rows
    test_ids = set(pq_column(results / "dataset" / "test.parquet", "id"))
    train_ids = set(pq_column(results / "experiments" / name / "data" / "train.parquet", "id"))
    assert test_ids and not test_ids & train_ids  # evaluated on rows it never trained on


@pytest.mark.slow
@pytest.mark.ghc
def test_codet5_standin_runs_humaneval_in_the_sandbox(standin_runs):
    results, _ = standin_runs["python-codes-codet5"]
    metrics = eval_metrics(results, "python-codes-codet5", "humaneval")
    assert metrics["problems"] == 3
    assert 0 <= metrics["pass_at_k"]["pass@1"] <= 1
    generations = (results / "experiments" / "python-codes-codet5" / "eval" / "humaneval.generations.jsonl")
    assert len(generations.read_text().splitlines()) == 3


@pytest.mark.slow
@pytest.mark.ghc
def test_haskell_standin_runs_both_experiments_on_every_suite(standin_runs):
    results, _ = standin_runs["haskell-7b"]
    for experiment in ("haskell-7b-all~only-curated", "haskell-7b-all"):
        assert 0 <= eval_metrics(results, experiment, "problems")["pass_at_k"]["pass@1"] <= 1
        assert eval_metrics(results, experiment, "humaneval_hs")["problems"] == 2
        assert eval_metrics(results, experiment, "heldout")["heldout_loss"] > 0
    curated = json.loads((results / "experiments/haskell-7b-all~only-curated/data/mixture_stats.json").read_text())
    everything = json.loads((results / "experiments/haskell-7b-all/data/mixture_stats.json").read_text())
    # the curated mixture trains on a strict subset of the sources the full mixture trains on
    assert set(curated["extra"]["train"]) < set(everything["extra"]["train"])
    assert curated["rows_out"] < everything["rows_out"]


@pytest.mark.slow
@pytest.mark.ghc
@pytest.mark.parametrize("name", FAMILIES)
def test_standin_report_names_the_experiments(standin_runs, name):
    results, _ = standin_runs[name]
    html = (results / "report" / "index.html").read_text()
    for experiment in experiments_of(name):
        assert experiment in html


def pq_column(path: Path, column: str) -> list:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[column]).column(column).to_pylist()


def benchmarked_cpu_seconds(benchmarks: Path) -> float:
    """Sum of the `cpu_time` column of every Snakemake benchmark file under `benchmarks`."""
    total = 0.0
    for path in benchmarks.rglob("*.tsv"):
        header, row = path.read_text().splitlines()[:2]
        total += float(dict(zip(header.split("\t"), row.split("\t")))["cpu_time"])
    return total
