"""Checkpoint selection: the order on fixed score rows (a metric that disagrees with val loss,
ties), the Trainer's keep-best agreeing with it, the problem set drawn from a val split, the
rungs counted on fixed answers (real GHC), and the recipe on the tiny model: scores per
checkpoint, the selected checkpoint saved as the adapter, training unchanged by scoring, and the
val_loss default as before."""

from __future__ import annotations

import json
import math
import shutil

import pytest
import torch
import yaml
from safetensors.torch import load_file

from budgetai.haskell.execution import ExecutionConfig
from budgetai.suites.load import Problem
from budgetai.core.records import Record, write_records
from budgetai.train.checkpoint_scoring import ScoringProblem, answer_rungs, scoring_problems, val_problems
from budgetai.train.checkpoint_selection import (SELECTION_METRIC, CheckpointScoresCallback, select_checkpoint,
                                                 selection_score, selection_summary)
from budgetai.core.config.training import SELECTION_METRICS, with_defaults
from budgetai.train.recipe import LoRAFinetuneRecipe
from tests.hostile.test_hostile_config import SCHEMA, checked, haskell_experiment, load, stop_message
from tests.train.test_recipe import EXPECTED_LOSSES, TINY_CFG, haskell_rows, step_losses

REPO_FUNCTIONS = "resources/functions/functions.jsonl"


def row(step, val_loss, parses=0, typechecks=0, passes=0, n=8, n_tested=4):
    return {"step": step, "val_loss": val_loss, "parses": parses, "typechecks": typechecks, "passes": passes,
            "n": n, "n_tested": n_tested}


# Val loss falls all along; the code the model writes is best at step 20.
DISAGREE = [row(10, 2.6, parses=1, typechecks=0), row(20, 2.4, parses=5, typechecks=2, passes=1),
            row(30, 2.3, parses=3, typechecks=2, passes=1), row(40, 2.2, parses=3, typechecks=1)]


# --- the order on fixed rows -----------------------------------------------------------------


def test_a_metric_that_disagrees_with_val_loss_selects_another_checkpoint():
    assert select_checkpoint(DISAGREE, "val_loss")["step"] == 40
    assert select_checkpoint(DISAGREE, "parse_rate")["step"] == 20


def test_equal_counts_go_to_the_lower_val_loss_then_the_earlier_step():
    assert select_checkpoint(DISAGREE, "compile_rate")["step"] == 30  # 2 at steps 20 and 30: 2.3 < 2.4
    assert select_checkpoint(DISAGREE, "pass@1")["step"] == 30
    tied = [row(10, 2.5, parses=2), row(20, 2.5, parses=2), row(30, 2.7, parses=2)]
    assert select_checkpoint(tied, "parse_rate")["step"] == 10
    assert select_checkpoint([row(10, 2.0), row(20, 2.0)], "val_loss")["step"] == 10


def test_a_missing_or_nan_val_loss_loses_a_tie_and_no_rows_select_nothing():
    rows = [row(10, float("nan"), parses=2), row(20, None, parses=2), row(30, 9.0, parses=2)]
    assert select_checkpoint(rows, "parse_rate")["step"] == 30
    assert select_checkpoint([], "pass@1") is None


def trainer_keeps(rows: list[dict], metric: str) -> int:
    """The step the Trainer's keep-best ends with: it replaces its best only by a strictly
    greater metric (transformers Trainer._determine_best_metric, greater_is_better)."""
    best, best_step = -math.inf, None
    for r in rows:
        if selection_score(r, metric) > best:
            best, best_step = selection_score(r, metric), r["step"]
    return best_step


@pytest.mark.parametrize("metric", ["parse_rate", "compile_rate", "pass@1"])
def test_the_score_the_trainer_compares_keeps_the_same_checkpoint(metric):
    rows = DISAGREE + [row(50, 2.2, parses=5, typechecks=2, passes=1), row(60, 0.0, parses=4, typechecks=2),
                       row(70, None, parses=6, typechecks=3, passes=2), row(80, 0.0, parses=5, typechecks=2)]
    assert trainer_keeps(rows, metric) == select_checkpoint(rows, metric)["step"]
    generator = torch.Generator().manual_seed(0)
    for _ in range(200):  # random rows with many ties
        counts = torch.randint(0, 4, (12, 3), generator=generator).tolist()
        losses = torch.randint(1, 5, (12,), generator=generator).tolist()
        rows = [row(10 * (i + 1), losses[i] / 2, *counts[i]) for i in range(12)]
        assert trainer_keeps(rows, metric) == select_checkpoint(rows, metric)["step"]


def test_the_summary_says_which_step_and_why():
    summary = selection_summary(DISAGREE, "parse_rate", "ckpt/checkpoint-20")
    assert summary["selected_step"] == 20 and summary["lowest_val_loss_step"] == 40
    assert summary["reason"] == "highest parse_rate (5/8) of 4 scored checkpoints"
    assert selection_summary(DISAGREE, "pass@1", None)["reason"] == (
        "highest pass@1 (1/4) of 4 scored checkpoints, shared by 2: the lowest val loss among them "
        "(then the earlier step) decided")
    assert selection_summary(DISAGREE, "val_loss", None)["reason"] == "lowest val loss (2.2000) of 4 evaluations"
    assert selection_summary([], "pass@1", None)["selected_step"] is None


# --- the problem set ---------------------------------------------------------------------------


def record(id, kind, prompt, response, language="haskell", **meta) -> Record:
    return Record(id=id, source="s", kind=kind, prompt=prompt, response=response, language=language, url="",
                  license="MIT", group=id, meta=meta)


def fenced(code: str) -> str:
    return f"```haskell\n{code}\n```"


SAMPLE_TESTS = [{"input": "3\n", "output": "6\n"}]
VAL_ROWS = [
    record("qa", "qa", "How do I map?", fenced("map f xs")),
    record("cf:1", "problem_solution", "Double n.", fenced("main = interact (show . (* 2) . read)"),
           sample_tests=SAMPLE_TESTS),
    record("cf:2", "problem_solution", "Double n.", fenced("main = print 0"), sample_tests=SAMPLE_TESTS),
    record("def", "instruction", "Write `inc`.", fenced("inc :: Int -> Int\ninc = (+ 1)"), mined="definition"),
    record("eval", "instruction", "What does `1 + 1` evaluate to?", "It evaluates to `2`.", mined="evaluation"),
    record("prose", "instruction", "Explain folds.", "A fold combines the elements of a list."),
    record("py", "problem_solution", "Double n.", "```python\nprint(2 * int(input()))\n```", language="python"),
]


def test_the_val_split_gives_code_problems_those_with_tests_first(tmp_path):
    rows = [r.to_row() for r in VAL_ROWS] + [{**record("part", "instruction", "Part 2 of 2", fenced("x = 1")).to_row(),
                                              "parts": 2}]
    chosen = val_problems(rows, size=8, system_prompt=None, seed=0)
    assert [p.id for p in chosen] == ["cf:1", "def"]  # one per prompt; no qa, value, prose, python or piece
    assert chosen[0].problem.tests == SAMPLE_TESTS and chosen[1].problem is None
    assert chosen[1].messages == [{"role": "user", "content": "Write `inc`."}]  # as training renders it
    assert [p.id for p in val_problems(rows, size=8, system_prompt=None, seed=0, tested_only=True)] == ["cf:1"]
    assert len(val_problems(rows, size=1, system_prompt=None, seed=0)) == 1


def test_pass_at_1_without_problems_with_tests_names_the_suite_to_configure(tmp_path):
    write_records([VAL_ROWS[3]], tmp_path / "val.parquet")
    cfg = with_defaults({"select_checkpoint": "pass@1"})
    with pytest.raises(ValueError, match="needs problems with tests to score.*checkpoint_scoring.suite"):
        scoring_problems(cfg, tmp_path / "val.parquet")
    assert len(scoring_problems(with_defaults({"select_checkpoint": "parse_rate"}), tmp_path / "val.parquet")) == 1


def test_a_configured_suite_gives_its_first_problems(repo_dir, tmp_path):
    suite = {"path": str(repo_dir / REPO_FUNCTIONS), "format": "multipl-e"}
    cfg = with_defaults({"select_checkpoint": "pass@1", "checkpoint_scoring": {"suite": suite, "problems": 3}})
    chosen = scoring_problems(cfg, tmp_path / "no-val.parquet")
    assert [p.problem.format for p in chosen] == ["multipl-e"] * 3
    assert "Complete the following Haskell function" in chosen[0].messages[-1]["content"]


# --- rungs of fixed answers (GHC in the sandbox) -----------------------------------------------


def test_answers_without_tests_count_parses_and_type_checks_and_no_code_fails_all():
    answers = [fenced("inc :: Int -> Int\ninc x = x + 1"),  # parses, type-checks
               fenced("inc :: Int\ninc = True"),  # parses, does not type-check
               fenced("evens = [i for i in range(10) if i % 2 == 0]"),  # Python in a Haskell fence
               ""]  # an empty module would parse and type-check
    problems = [ScoringProblem(f"q{i}", []) for i in range(len(answers))]
    rungs = answer_rungs(problems, {p.id: a for p, a in zip(problems, answers)}, ExecutionConfig())
    assert [(r.parses, r.typechecks, r.passes) for r in rungs] == [
        (True, True, None), (True, False, None), (False, False, None), (False, False, None)]


def test_answers_with_tests_are_compiled_and_run():
    problems = [Problem(id=f"p{i}", prompt="Double n.", tests=SAMPLE_TESTS, language="haskell", format="stdio")
                for i in range(4)]
    answers = {"p0": fenced("main = interact (show . (* 2) . read)"), "p1": fenced("main = print 7"),
               "p2": fenced("main = print (1 + True)"), "p3": ""}
    rungs = answer_rungs([ScoringProblem(p.id, [], p) for p in problems], answers, ExecutionConfig())
    assert [(r.parses, r.typechecks, r.passes) for r in rungs] == [
        (True, True, True), (True, True, False), (True, False, False), (False, False, False)]


# --- the recipe on the tiny model ----------------------------------------------------------------


@pytest.fixture(scope="module")
def splits(tmp_path_factory):
    """The recipe tests' rows, plus two code problems in val for the default problem set."""
    root = tmp_path_factory.mktemp("selection-splits")
    write_records(haskell_rows(32), root / "train.parquet")
    write_records(haskell_rows(8, offset=100) + VAL_ROWS[1:4], root / "val.parquet")
    return root / "train.parquet", root / "val.parquet"


def run(model_dir, splits, root, score=None, **overrides) -> tuple[dict, LoRAFinetuneRecipe]:
    recipe = LoRAFinetuneRecipe({**TINY_CFG, **overrides}, model_dir, *splits, root / "adapter", root / "checkpoints")
    recipe.setup()
    if score is not None:
        recipe.scores.score = score
    recipe.train()
    recipe.save()
    recipe.cleanup()
    return json.loads((root / "adapter" / "training_summary.json").read_text()), recipe


# What each checkpoint of an 8-step run "parses" in the stubbed scorer: best at step 4, while val
# loss keeps falling (EXPECTED_LOSSES).
STUB_PARSES = {2: 1, 4: 3, 6: 2, 8: 2}


class StubScorer:
    """Rung counts by step (STUB_PARSES), after reseeding and drawing from the RNG as generation
    does (torch.manual_seed); remembers whether the model was in training mode."""

    def __init__(self, first_step: int = 2):
        self.first_step, self.training_modes = first_step, []

    def __call__(self, model) -> dict:
        torch.manual_seed(1234)
        torch.rand(100)
        step = self.first_step + 2 * len(self.training_modes)
        self.training_modes.append(model.training)
        return {"n": 4, "parses": STUB_PARSES[step], "typechecks": 0, "passes": 0, "n_tested": 1}


@pytest.mark.slow
def test_the_selected_checkpoint_becomes_the_adapter_and_training_is_unchanged(tiny_llama_dir, splits, tmp_path):
    scorer = StubScorer()
    summary, _ = run(tiny_llama_dir, splits, tmp_path, score=scorer, select_checkpoint="parse_rate",
                     save_total_limit=2)
    assert scorer.training_modes == [False] * 4  # scored in eval mode at each evaluation
    rows = [json.loads(line) for line in (tmp_path / "adapter" / "checkpoint_scores.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [2, 4, 6, 8]
    assert [r["parse_rate"] for r in rows] == [0.25, 0.75, 0.5, 0.5] and rows[0]["pass@1"] == 0.0
    selection = summary["checkpoint_selection"]
    assert selection["selected_step"] == 4 and selection["checkpoint"].endswith("checkpoint-4")
    assert selection["lowest_val_loss_step"] == 8 and summary["best_eval_loss"] == rows[-1]["val_loss"]
    # the Trainer kept checkpoint-4 through rotation (limit 2) and loaded it as the adapter
    assert sorted(p.name for p in (tmp_path / "checkpoints").glob("checkpoint-*")) == ["checkpoint-4", "checkpoint-8"]
    best = load_file(tmp_path / "checkpoints" / "checkpoint-4" / "adapter_model.safetensors")
    saved = load_file(tmp_path / "adapter" / "adapter_model.safetensors")
    for key in best:
        torch.testing.assert_close(saved[key], best[key])
    # the scorer's RNG draws did not change the dropout masks training drew afterwards
    losses = step_losses(tmp_path / "adapter" / "metrics.jsonl")
    assert list(losses.values()) == pytest.approx(EXPECTED_LOSSES, rel=1e-4)
    assert (tmp_path / "adapter" / "checkpoint_scores.png").stat().st_size > 0


@pytest.mark.slow
def test_a_resumed_run_rescores_only_the_steps_it_replays_and_keeps_the_selection(tiny_llama_dir, splits, tmp_path):
    run(tiny_llama_dir, splits, tmp_path, score=StubScorer(), select_checkpoint="parse_rate", save_total_limit=4)
    # as if killed while saving step 8: its checkpoint is gone, its scores row was written
    shutil.rmtree(tmp_path / "checkpoints" / "checkpoint-8")
    shutil.rmtree(tmp_path / "adapter")
    summary, _ = run(tiny_llama_dir, splits, tmp_path, score=StubScorer(first_step=8),
                     select_checkpoint="parse_rate", save_total_limit=4)
    rows = [json.loads(line) for line in (tmp_path / "adapter" / "checkpoint_scores.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [2, 4, 6, 8]
    assert summary["checkpoint_selection"]["selected_step"] == 4  # the best before the restart
    assert summary["checkpoint_selection"]["checkpoint"].endswith("checkpoint-4")


def test_real_scoring_on_the_tiny_model_writes_a_row_per_checkpoint(tiny_llama_dir, splits, tmp_path):
    scoring = {"problems": 2, "max_new_tokens": 8}
    summary, _ = run(tiny_llama_dir, splits, tmp_path, select_checkpoint="compile_rate", max_steps=4,
                     checkpoint_scoring=scoring)
    rows = [json.loads(line) for line in (tmp_path / "adapter" / "checkpoint_scores.jsonl").read_text().splitlines()]
    print("seconds per scoring:", [r["seconds"] for r in rows])
    assert [r["step"] for r in rows] == [2, 4]
    assert all(r["n"] == 2 and r["n_tested"] == 1 and 0 <= r["compile_rate"] <= 1 for r in rows)
    assert summary["checkpoint_selection"]["selected_step"] in (2, 4)
    assert summary["checkpoint_selection"]["metric"] == "compile_rate"


def test_val_loss_by_default_adds_no_scoring_and_keeps_the_trainers_choice(tiny_llama_dir, splits, tmp_path):
    summary, recipe = run(tiny_llama_dir, splits, tmp_path, max_steps=4)
    assert recipe.scores is None
    assert not list(tmp_path.rglob("checkpoint_scores*"))
    selection = summary["checkpoint_selection"]
    assert selection["metric"] == "val_loss" and summary["best_eval_loss"] is not None
    evals = {r["step"]: r["eval_loss"] for r in map(json.loads, (tmp_path / "adapter" / "metrics.jsonl").open())
             if "eval_loss" in r}
    assert selection["selected_step"] == min(evals, key=evals.get)
    assert summary["best_eval_loss"] == pytest.approx(min(evals.values()))


def test_the_trainer_compares_the_injected_score_only_when_asked(tiny_llama_dir, splits, tmp_path):
    default = LoRAFinetuneRecipe(TINY_CFG, tiny_llama_dir, *splits, tmp_path / "a", tmp_path / "ca")
    default.setup()
    assert (default.trainer.args.metric_for_best_model, default.trainer.args.greater_is_better) == ("eval_loss", False)
    assert not any(isinstance(c, CheckpointScoresCallback) for c in default.trainer.callback_handler.callbacks)
    default.cleanup()
    scored = LoRAFinetuneRecipe({**TINY_CFG, "select_checkpoint": "parse_rate"}, tiny_llama_dir, *splits,
                                tmp_path / "b", tmp_path / "cb")
    scored.setup()
    assert (scored.trainer.args.metric_for_best_model, scored.trainer.args.greater_is_better) == (SELECTION_METRIC,
                                                                                                  True)
    scored.cleanup()


def test_scoring_needs_an_evaluation_at_every_save(tiny_llama_dir, splits, tmp_path):
    recipe = LoRAFinetuneRecipe({**TINY_CFG, "select_checkpoint": "parse_rate", "save_steps": 4}, tiny_llama_dir,
                                *splits, tmp_path / "adapter", tmp_path / "checkpoints")
    with pytest.raises(ValueError, match=r"set eval_steps \(2\) equal to save_steps \(4\)"):
        recipe.setup()


# --- the config stops a wrong selection before any job ----------------------------------------


def test_an_unknown_metric_stops_the_run_before_any_job():
    message = stop_message(haskell_experiment(training={"select_checkpoint": "pass@10"}))
    assert "config: experiments.haskell-smollm2.training.select_checkpoint: 'pass@10' is not one of" in message


def test_scoring_without_a_validation_split_or_with_saves_between_evaluations_stops_the_run():
    scored = haskell_experiment(training={"select_checkpoint": "parse_rate", "eval_steps": 5, "save_steps": 10})
    assert ("config: experiments.haskell-smollm2.training.eval_steps: 5 differs from save_steps (10)"
            in stop_message(scored))
    no_val = {**haskell_experiment(training={"select_checkpoint": "pass@1"}),
              "split": {"train": 0.85, "val": 0.0, "test": 0.15}}
    assert ("config: experiments.haskell-smollm2.training.select_checkpoint: pass@1 scores checkpoints at "
            "evaluations, which need a validation split" in stop_message(no_val))


def test_a_scoring_suite_of_another_format_stops_the_run():
    suite = {"path": "resources/problems/problems.jsonl", "format": "heldout"}
    message = stop_message(haskell_experiment(training={"select_checkpoint": "pass@1",
                                                        "checkpoint_scoring": {"suite": suite}}))
    assert "config: experiments.haskell-smollm2.training.checkpoint_scoring.suite" in message


def test_the_schema_names_the_selection_metrics_and_a_valid_choice_passes():
    schema = yaml.safe_load(SCHEMA.read_text())["$defs"]["training"]["properties"]
    assert tuple(schema["select_checkpoint"]["enum"]) == SELECTION_METRICS
    suite = {"path": REPO_FUNCTIONS, "format": "multipl-e"}
    config = checked(load("config.yaml", overlay=haskell_experiment(
        training={"select_checkpoint": "pass@1", "checkpoint_scoring": {"suite": suite, "problems": 4}})))
    assert config["experiments"]["haskell-smollm2"]["training"]["select_checkpoint"] == "pass@1"
