"""Self-improvement rounds in the DAG (dry runs): config/cpu-self-improve.yaml adds exactly one
round's jobs to the default run, a second round adds its own, the data jobs run once, and the
default config plans none of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.workflow.run_workflow import dry_run_jobs, scratch_workdir

pytestmark = [pytest.mark.slow]

EXPERIMENT = "haskell-smollm2"
SUITES = 3  # config/config.yaml: heldout, problems, functions
PER_ROUND = {"self_improve_sample": 1, "self_improve_verify": 1, "self_improve_decontaminate": 1,
             "self_improve_mixture": 1, "self_improve_examples": 1, "self_improve_train": 1,
             "self_improve_evaluate": SUITES}
DATA_JOBS = ("ingest", "gather_source", "clean", "signatures", "dedup", "decontaminate", "split", "mixture",
             "examples", "train")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return scratch_workdir(tmp_path_factory.mktemp("self-improve-dry"))


@pytest.fixture(scope="module")
def plain_jobs(workdir) -> Counter:
    return Counter(rule for rule, _ in dry_run_jobs(workdir))


def test_the_default_run_plans_no_round(plain_jobs):
    assert not [rule for rule in plain_jobs if rule.startswith("self_improve")]


def test_one_round_adds_exactly_its_jobs(workdir, plain_jobs):
    jobs = dry_run_jobs(workdir, "--configfile", "config/cpu-self-improve.yaml")
    extra = Counter(rule for rule, _ in jobs) - plain_jobs
    assert extra == Counter({**PER_ROUND, "self_improve_summary": 1})
    for rule in DATA_JOBS:  # round 0 and the data are the default run's, once each
        assert Counter(r for r, _ in jobs)[rule] == plain_jobs[rule] > 0, rule
    rounds = {(w["experiment"], w["round"]) for r, w in jobs if r in PER_ROUND}
    assert rounds == {(EXPERIMENT, "1")}
    assert sorted(w["suite"] for r, w in jobs if r == "self_improve_evaluate") == ["functions", "heldout", "problems"]


def test_a_second_round_adds_its_own_jobs(workdir, plain_jobs):
    overlay = workdir / "two-rounds.yaml"
    overlay.write_text(yaml.safe_dump({"experiments": {EXPERIMENT: {"self_improve": {"rounds": 2}}}}))
    jobs = dry_run_jobs(workdir, "--configfile", "config/cpu-self-improve.yaml", str(overlay))
    extra = Counter(rule for rule, _ in jobs) - plain_jobs
    assert extra == Counter({**{rule: 2 * n for rule, n in PER_ROUND.items()}, "self_improve_summary": 1})
    assert Counter(w["round"] for r, w in jobs if r == "self_improve_train") == {"1": 1, "2": 1}
