"""Self-improvement rounds in the DAG: config/cpu-self-improve.yaml adds exactly one round's jobs
to the default run, a second round adds its own, the data jobs run once, and the default config
plans none of them (dry runs); one round of a tiny random model runs end to end."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from budgetai.core.records import Record, read_records, write_records
from budgetai.report.rounds import rounds_section
from tests.workflow.run_workflow import dry_run_jobs, scratch_workdir, snakemake

pytestmark = [pytest.mark.slow]

EXPERIMENT = "haskell-smollm2"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_SUITES = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["evaluation"]["suites"]
SUITES = len(DEFAULT_SUITES)  # every suite of the default run evaluates each round
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
    assert sorted(w["suite"] for r, w in jobs if r == "self_improve_evaluate") == sorted(DEFAULT_SUITES)


def test_a_second_round_adds_its_own_jobs(workdir, plain_jobs):
    overlay = workdir / "two-rounds.yaml"
    overlay.write_text(yaml.safe_dump({"experiments": {EXPERIMENT: {"self_improve": {"rounds": 2}}}}))
    jobs = dry_run_jobs(workdir, "--configfile", "config/cpu-self-improve.yaml", str(overlay))
    extra = Counter(rule for rule, _ in jobs) - plain_jobs
    assert extra == Counter({**{rule: 2 * n for rule, n in PER_ROUND.items()}, "self_improve_summary": 1})
    assert Counter(w["round"] for r, w in jobs if r == "self_improve_train") == {"1": 1, "2": 1}


# --- a tiny-model round end to end -----------------------------------------------------------

ROUND_RULES = [*PER_ROUND, "self_improve_summary", "evaluate_experiment"]
SUM = "```haskell\nmain = interact (show . sum . map read . words)\n```"


def tiny_round_zero(results: Path, model_dir: Path) -> None:
    """What the default run leaves for round 0, made small: the model (a random tiny Llama with
    SmolLM2's tokenizer), a LoRA adapter on it, and the experiment's splits."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    shutil.copytree(model_dir, results / "models" / "smollm2-135m")
    lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    get_peft_model(AutoModelForCausalLM.from_pretrained(model_dir), lora).save_pretrained(
        results / "experiments" / EXPERIMENT / "adapter")
    tests = {"sample_tests": [{"input": "1 2\n", "output": "3\n"}]}
    rows = [Record(id=f"cf:{n}", source="cf", kind="problem_solution", prompt=f"Problem {n}: print the sum of two integers.",
                   response=SUM, language="haskell", url="", license="CC-BY-4.0", group=f"cf:{n}", meta=tests)
            for n in (1, 2, 3)]
    rows.append(Record(id="se:1", source="se", kind="qa", prompt="Why monads?", response="They sequence effects.",
                       language="haskell", url="", license="CC-BY-SA-4.0", group="se:1"))
    data = results / "experiments" / EXPERIMENT / "data"
    write_records(rows, data / "train.parquet")
    write_records(rows[:1], data / "val.parquet")
    write_records(rows[:1], results / "dataset" / "test.parquet")


@pytest.mark.ghc
def test_a_tiny_model_round_runs_end_to_end(tiny_llama_dir, tmp_path):
    """Round 0's outputs made by hand, then every job of round 1: samples -> verdicts -> the
    decontaminated self_r1 source -> round 1's mixture, examples, training from the base model
    and evaluation -> the summary with both rounds' ladders."""
    workdir = scratch_workdir(tmp_path / "round")
    tiny_round_zero(workdir / "results", tiny_llama_dir)
    overlay = workdir / "tiny.yaml"
    overlay.write_text(yaml.safe_dump({
        "experiments": {EXPERIMENT: {
            "self_improve": {"samples": 2, "max_prompts": 2, "max_new_tokens": 16},
            "training": {"max_steps": 2, "max_tokens": None, "eval_steps": 1, "save_steps": 1, "max_length": 64,
                         "quantization": "none", "batch_size": 2}}},
        # every default suite, one problem each
        "evaluation": {"generation": {"max_new_tokens": 16},
                       "suites": {name: {**suite, "max_rows": 1, "max_generations": 1} if suite["format"] == "heldout"
                                  else {**suite, "max_problems": 1} for name, suite in DEFAULT_SUITES.items()}}}))
    summary_path = f"results/self_improve/{EXPERIMENT}/summary.json"
    snakemake(workdir, "--cores", "2", "--configfile", "config/cpu-self-improve.yaml", str(overlay),
              "--allowed-rules", *ROUND_RULES, "--", summary_path, timeout=1200)
    round_dir = workdir / "results" / "self_improve" / EXPERIMENT / "r1"
    samples = [json.loads(line) for line in (round_dir / "samples.jsonl").open()]
    assert len(samples) == 4 and {s["prompt_id"] for s in samples} <= {"cf:1", "cf:2", "cf:3"}
    stats = json.loads((round_dir / "verify_stats.json").read_text())
    assert (stats["prompts"], stats["answers"]) == (2, 4)
    assert sum(rule["judged"] for rule in stats["by_rule"].values()) == 4
    kept = read_records(round_dir / "kept.parquet")
    assert all(r.source == "self_r1" and r.meta["self_improve"]["round"] == 1 for r in kept)
    mixture = json.loads((round_dir / "data" / "mixture_stats.json").read_text())
    assert mixture == {"train_rows": 4, "kept_rows": len(kept), "val_rows": 1}
    assert (round_dir / "adapter" / "adapter_config.json").is_file()
    summary = json.loads((workdir / summary_path).read_text())
    assert [r["round"] for r in summary["rounds"]] == [0, 1]
    for entry in summary["rounds"]:
        assert sorted(entry["ladder"]) == sorted(DEFAULT_SUITES)
    assert summary["rounds"][1]["answers"] == 4
    # the report's section reads the same files: the round's counts, each suite against round 0
    html = rounds_section(workdir / "results", {"experiments": {EXPERIMENT: {"self_improve": {"rounds": 1}}},
                                                 "evaluation": {"suites": DEFAULT_SUITES}})
    assert f"<td>1</td><td>2</td><td>4</td><td>{stats['verified']}</td><td>{len(kept)}</td>" in html
    for suite in DEFAULT_SUITES:
        assert f"{EXPERIMENT}: {suite}, round r against round 0" in html
    assert "(missing)" not in html
