"""A self-improvement round's data logic: which training prompts a round tries, which verified
answers become `self_r<r>` records (deduplicated, capped, with lineage), the round's counts, and
a round verified end to end on fixed answers (no model)."""

import json
from types import SimpleNamespace

import pytest

from budgetai.core.records import Record, read_records, write_records
from budgetai.evaluate.verifier import Verdict
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.train.self_improve import (RoundPlan, SelfImproveSettings, kept_answers, round_mixture,
                                         round_prompts, round_stats, sample_round, verify_round)

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
SUM = "main = interact (show . sum . map read . words)"


def fenced(code: str) -> str:
    return f"```haskell\n{code}\n```"


def record(id_, kind="problem_solution", prompt="Read two integers and print their sum.", response=SUM,
           source="cf", **meta) -> Record:
    return Record(id=id_, source=source, kind=kind, prompt=prompt, response=fenced(response), language="haskell",
                  url=f"https://example.org/{id_}", license="CC-BY-4.0", group=f"g:{id_}", meta=meta)


TESTS = {"sample_tests": [{"input": "1 2\n", "output": "3\n"}, {"input": "4 5\n", "output": "9\n"}]}
DOUBLE = record("lib:M#double", kind="instruction", source="lib", response="double :: Int -> Int\ndouble = (* 2)",
                prompt=("Write the Haskell function `double` of module M, as documented:\n\n"
                        + fenced("-- | Twice.\n--\n-- >>> double 21\n-- 42\ndouble :: Int -> Int")),
                mined="definition", declaration="double")


def test_settings_name_unknown_keys_and_bad_values():
    assert SelfImproveSettings.from_dict({"rules": ["tests"]}).rules == ("tests",)
    with pytest.raises(ValueError, match=r"experiments.e.self_improve: unknown keys \['sample'\]"):
        SelfImproveSettings.from_dict({"sample": 4}, "experiments.e.self_improve")
    with pytest.raises(ValueError, match="fuzz"):
        SelfImproveSettings.from_dict({"rules": ["fuzz"]})
    with pytest.raises(ValueError, match="rounds"):
        SelfImproveSettings.from_dict({"rounds": 0})


def test_a_round_tries_training_prompts_a_rule_applies_to():
    records = [record("cf:1", **TESTS), DOUBLE, record("se:1", kind="qa", prompt="Why monads?"),
               record("self_r1:cf:1#0", source="self_r1", **TESTS), record("cf:2", **TESTS),
               record("code:1", kind="code", **TESTS)]
    chosen = round_prompts(records, SelfImproveSettings())
    assert sorted(r.id for r in chosen) == ["cf:1", "cf:2", "lib:M#double"]
    assert [r.id for r in round_prompts(records, SelfImproveSettings(rules=("tests",)))] == \
        [r.id for r in chosen if r.id != "lib:M#double"]
    assert round_prompts(records, SelfImproveSettings(max_prompts=2)) == chosen[:2]
    assert round_prompts(records[::-1], SelfImproveSettings()) == chosen  # an order of its own, not the file's


def test_kept_answers_are_distinct_capped_and_carry_their_lineage():
    prompt = record("cf:1", **TESTS)
    answers = [fenced(SUM), fenced("main = print 3"), fenced("main  =  interact (show . sum . map read . words)"),
               fenced("main = interact $ show . sum . map read . words"), fenced(SUM + " -- other")]
    verdicts = [Verdict(True, "tests", "passed", 2, 2), Verdict(False, "tests", "wrong_answer", 1, 2),
                Verdict(True, "tests", "passed", 2, 2), Verdict(True, "tests", "passed", 2, 2),
                Verdict(True, "tests", "passed", 2, 2)]
    kept = kept_answers(prompt, answers, verdicts, SelfImproveSettings(max_kept_per_prompt=2), 1, "smollm2-135m")
    assert [r.id for r in kept] == ["self_r1:cf:1#0", "self_r1:cf:1#3"]  # #2 repeats #0 but for spaces
    first = kept[0]
    assert (first.source, first.kind, first.prompt, first.group, first.license) == \
        ("self_r1", "problem_solution", prompt.prompt, prompt.group, prompt.license)
    assert first.response == fenced(SUM) and first.meta["sample_tests"] == TESTS["sample_tests"]
    assert first.meta["self_improve"] == {"model": "smollm2-135m", "round": 1, "prompt_id": "cf:1", "sample_index": 0,
                                          "verdict": {"kept": True, "rule": "tests", "status": "passed",
                                                      "checks_passed": 2, "checks_total": 2}}


def test_round_stats_give_the_share_verified_by_each_rule():
    rows = [{"rule": "tests", "kept": True, "status": "passed"}, {"rule": "tests", "kept": False, "status": "timeout"},
            {"rule": "doc_examples", "kept": False, "status": "compile_error"},
            {"rule": None, "kept": False, "status": "unverifiable"}]
    stats = round_stats(1, 3, rows, kept=[DOUBLE])
    assert (stats["prompts"], stats["answers"], stats["verified"], stats["kept_records"]) == (3, 4, 1, 1)
    assert stats["by_rule"] == {"doc_examples": {"judged": 1, "verified": 0, "share": 0.0},
                                "none": {"judged": 1, "verified": 0, "share": 0.0},
                                "tests": {"judged": 2, "verified": 1, "share": 0.5}}


def test_a_round_trains_on_the_split_plus_the_kept_answers_of_every_round_so_far(tmp_path):
    write_records([record("cf:1", **TESTS), DOUBLE], tmp_path / "train.parquet")
    write_records([record("cf:9", **TESTS)], tmp_path / "val.parquet")
    kept = [tmp_path / "r1.parquet", tmp_path / "r2.parquet"]
    write_records([record("self_r1:cf:1#0", source="self_r1")], kept[0])
    write_records([record("self_r2:cf:1#1", source="self_r2")], kept[1])
    stats = round_mixture(tmp_path / "train.parquet", tmp_path / "val.parquet", kept, tmp_path / "t.parquet",
                          tmp_path / "v.parquet", tmp_path / "stats.json")
    assert stats == {"train_rows": 2, "kept_rows": 2, "val_rows": 1}
    assert [r.source for r in read_records(tmp_path / "t.parquet")] == ["cf", "lib", "self_r1", "self_r2"]


def test_the_plan_samples_each_round_with_the_previous_rounds_model():
    plan = RoundPlan({"experiments": {"e": {"model": "m", "self_improve": {"rounds": 2}}, "f": {"model": "m"}},
                      "evaluation": {"suites": {"problems": {}}}})
    assert plan.experiments() == ["e"] and plan.targets() == ["results/self_improve/e/summary.json"]
    assert plan.sampling_adapter(SimpleNamespace(experiment="e", round="1")) == "results/experiments/e/adapter"
    assert plan.sampling_adapter(SimpleNamespace(experiment="e", round="2")) == "results/self_improve/e/r1/adapter"
    assert plan.kept_up_to(SimpleNamespace(experiment="e", round="2")) == [
        "results/self_improve/e/r1/kept.parquet", "results/self_improve/e/r2/kept.parquet"]
    assert plan.round_evaluations("e") == {0: {"problems": "results/experiments/e/eval/problems.json"},
                                           1: {"problems": "results/self_improve/e/r1/eval/problems.json"},
                                           2: {"problems": "results/self_improve/e/r2/eval/problems.json"}}


@needs_sandbox
@pytest.mark.ghc
def test_a_round_verified_on_fixed_answers(tmp_path):
    """Two prompts, three answers each. cf:1: the sample tests keep 1 of 3 (a constant answer and
    one that prints the first sample's output and exits go). double: the doc example keeps 2 of
    3 (a type-correct wrong one goes), but the second is the first again: one record."""
    write_records([record("cf:1", **TESTS), DOUBLE, record("se:1", kind="qa", prompt="Why?")], tmp_path / "train.parquet")
    samples = [("cf:1", SUM), ("cf:1", "main = print 3"),
               ("cf:1", "import System.Exit\nmain = putStrLn \"3\" >> exitSuccess"),
               ("lib:M#double", "double :: Int -> Int\ndouble x = x + x"),
               ("lib:M#double", "double :: Int -> Int\ndouble x = x * x"),
               ("lib:M#double", "double :: Int -> Int\ndouble x = x + x")]
    counts = {}
    with open(tmp_path / "samples.jsonl", "w") as out:
        for prompt_id, code in samples:
            out.write(json.dumps({"prompt_id": prompt_id, "sample_index": counts.setdefault(prompt_id, 0),
                                  "completion": fenced(code)}) + "\n")
            counts[prompt_id] += 1
    stats = verify_round(tmp_path / "train.parquet", tmp_path / "samples.jsonl", SelfImproveSettings(), 1,
                         "smollm2-135m", ExecutionConfig(timeout_per_test_s=3), tmp_path / "kept.parquet",
                         tmp_path / "verdicts.jsonl", tmp_path / "stats.json")
    assert [r.id for r in read_records(tmp_path / "kept.parquet")] == ["self_r1:cf:1#0", "self_r1:lib:M#double#0"]
    assert (stats["prompts"], stats["answers"], stats["verified"], stats["kept_records"]) == (2, 6, 3, 2)
    assert stats["by_rule"] == {"doc_examples": {"judged": 3, "verified": 2, "share": 0.6667},
                                "tests": {"judged": 3, "verified": 1, "share": 0.3333}}
    verdicts = [json.loads(line) for line in open(tmp_path / "verdicts.jsonl")]
    assert [v["status"] for v in verdicts] == ["passed", "wrong_answer", "wrong_answer", "passed", "runtime_error", "passed"]


@pytest.mark.slow
def test_a_round_samples_each_prompt_with_the_model(tiny_llama_dir, tmp_path):
    """A random tiny Llama answers 2 of the 3 training prompts (the qa row has no rule) twice."""
    write_records([record("cf:1", **TESTS), DOUBLE, record("se:1", kind="qa", prompt="Why?")], tmp_path / "train.parquet")
    settings = SelfImproveSettings(samples=2, max_new_tokens=8, temperature=0.8)
    assert sample_round(tiny_llama_dir, None, tmp_path / "train.parquet", settings, {"quantization": "none"},
                        tmp_path / "samples.jsonl") == 4
    rows = [json.loads(line) for line in open(tmp_path / "samples.jsonl")]
    assert sorted((r["prompt_id"], r["sample_index"]) for r in rows) == [
        ("cf:1", 0), ("cf:1", 1), ("lib:M#double", 0), ("lib:M#double", 1)]
    assert all(isinstance(r["completion"], str) for r in rows)
