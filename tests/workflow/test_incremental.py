"""After a finished run, a config or code change schedules exactly the jobs it should (dry runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.workflow.run_workflow import dry_run_jobs

pytestmark = [pytest.mark.slow]

DATASET_UNION = {"dedup", "decontaminate", "split", "datacard"}
EXPERIMENT = {"mixture", "examples", "train", "evaluate_experiment", "report"}


def overlay(workdir: Path, name: str, content: dict) -> str:
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(content))
    return str(path)


def rules_of(jobs) -> set[str]:
    return {rule for rule, _ in jobs}


def test_after_a_run_nothing_is_scheduled(smoke_workdir):
    assert dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml") == []


def test_adding_a_source_runs_only_its_jobs_and_the_union(smoke_workdir):
    extra = overlay(smoke_workdir, "add_source", {"sources": {"reference_solutions": {
        "kind": "local_code", "root": "resources/problems/solutions", "license": "CC-BY-4.0"}}})
    jobs = dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml", extra)
    per_source = [(rule, w["source"]) for rule, w in jobs if "source" in w]
    assert {rule for rule, _ in per_source} == {"ingest", "gather_source", "clean", "signatures"}
    assert {source for _, source in per_source} == {"reference_solutions"}
    assert DATASET_UNION <= rules_of(jobs)
    assert "prepare_model" not in rules_of(jobs)
    # the problem suite does not depend on the dataset: the base model's score on it stays
    base_suites = {w["suite"] for rule, w in jobs if rule == "evaluate_base"}
    assert base_suites == {"heldout"}


def test_changing_lora_reruns_only_training_evaluation_and_report(smoke_workdir):
    lora = overlay(smoke_workdir, "lora", {"experiments": {"haskell-smollm2": {"training": {"lora": {"r": 4}}}}})
    jobs = dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml", lora)
    assert rules_of(jobs) == {"train", "evaluate_experiment", "report"}
    assert sorted(w["suite"] for rule, w in jobs if rule == "evaluate_experiment") == ["exercises", "functions", "heldout", "problems"]


def test_changing_max_length_rebuilds_the_examples_and_what_follows_only(smoke_workdir):
    longer = overlay(smoke_workdir, "max_length", {"experiments": {"haskell-smollm2": {"training": {"max_length": 256}}}})
    jobs = dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml", longer)
    assert rules_of(jobs) == {"examples", "train", "evaluate_experiment", "report"}


def test_changing_a_source_filter_reruns_that_source_clean_and_downstream(smoke_workdir):
    stricter = overlay(smoke_workdir, "filter", {"sources": {"codeforces_haskell": {
        "kind": "codeforces", "mirror_dir": "resources/sample/codeforces", "clean": {"min_response_chars": 40}}}})
    jobs = dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml", stricter)
    per_source = {(rule, w["source"]) for rule, w in jobs if "source" in w}
    assert per_source == {("clean", "codeforces_haskell"), ("signatures", "codeforces_haskell")}
    assert DATASET_UNION | EXPERIMENT <= rules_of(jobs)
    assert not {"ingest", "gather_source", "prepare_model"} & rules_of(jobs)


def test_editing_rule_code_reruns_that_rule_and_nothing_upstream(smoke_workdir):
    script = smoke_workdir / "workflow" / "scripts" / "split.py"
    original = script.read_text()
    script.write_text(original + "\n# an edit\n")
    try:
        jobs = dry_run_jobs(smoke_workdir, "--configfile", "config/smoke.yaml")
    finally:
        script.write_text(original)
    assert "split" in rules_of(jobs)
    assert not {"ingest", "gather_source", "clean", "signatures", "dedup", "decontaminate"} & rules_of(jobs)
