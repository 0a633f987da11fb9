"""Which checkpoint becomes the adapter: `training.select_checkpoint`.

val_loss (the default) is the Trainer's own keep-best: metric_for_best_model = eval_loss. Every
other metric is a rung of the evaluation ladder on a small problem set (parse_rate, compile_rate,
pass@1; budgetai.train.checkpoint_scoring). At each evaluation CheckpointScoresCallback scores the
model (rank 0; under DDP the other ranks wait for its result), appends a row to
checkpoint_scores.jsonl, and puts the row's `selection_score` into the evaluation's metrics as
SELECTION_METRIC. The Trainer points metric_for_best_model at it, so its keep-best does the rest:
it remembers the best step, keeps that checkpoint when rotating old ones, loads it at the end, and
early stopping counts evaluations without a better score.

The order (`selection_order`): the most problems passing the metric's rung, then the lower val
loss, then the earlier step. `select_checkpoint` applies it to the rows, for the summary and the
report; the score encodes it in one float for the Trainer, which keeps the first of equal bests.
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path

import torch
from transformers import TrainerCallback

from budgetai.haskell.execution import ExecutionConfig
from budgetai.train.checkpoint_scoring import (METRIC_RUNGS, check_sandbox, rates, score_model,
                                               scoring_problems)
from budgetai.core.config.training import SELECTION_METRICS

log = logging.getLogger(__name__)

SELECTION_METRIC = "eval_checkpoint_selection"  # the key metric_for_best_model names
SCORES_FILE = "checkpoint_scores.jsonl"


def sortable_val_loss(row: dict) -> float:
    """A row's val loss; a missing or NaN loss sorts last."""
    loss = row.get("val_loss")
    return math.inf if loss is None or math.isnan(loss) else loss


def selection_order(row: dict, metric: str) -> tuple:
    """Larger is better: (problems passing the metric's rung, -val loss, -step); for val_loss
    (-val loss, -step)."""
    if metric == "val_loss":
        return (-sortable_val_loss(row), -row["step"])
    return (row[METRIC_RUNGS[metric]], -sortable_val_loss(row), -row["step"])


def select_checkpoint(rows: list[dict], metric: str) -> dict | None:
    """The best row by `selection_order`; None for no rows."""
    return max(rows, key=lambda row: selection_order(row, metric), default=None)


def selection_score(row: dict, metric: str) -> float:
    """selection_order as one float, for the Trainer: the rung count plus 1 / (2 + val loss), a
    fraction in [0, 1/2] that falls as the loss rises. One more problem passing outweighs any loss;
    equal counts go to the lower loss; equal scores to the earlier step (the Trainer replaces its
    best only by a strictly greater score)."""
    return row[METRIC_RUNGS[metric]] + 1 / (2 + sortable_val_loss(row))


def selection_summary(rows: list[dict], metric: str, loaded_checkpoint: str | None) -> dict:
    """What training_summary.json records: the step selected, and why."""
    best = select_checkpoint(rows, metric)
    if best is None:
        return {"metric": metric, "selected_step": None, "checkpoint": loaded_checkpoint,
                "reason": "no checkpoint was scored (no validation split, or no evaluation ran): "
                          "the adapter is the last step's"}
    lowest = select_checkpoint(rows, "val_loss")
    if metric == "val_loss":
        why = f"lowest val loss ({best['val_loss']:.4f}) of {len(rows)} evaluations"
    else:
        rung, n = METRIC_RUNGS[metric], best["n_tested"] if metric == "pass@1" else best["n"]
        why = f"highest {metric} ({best[rung]}/{n}) of {len(rows)} scored checkpoints"
        tied = sum(row[rung] == best[rung] for row in rows)
        if tied > 1:
            why += f", shared by {tied}: the lowest val loss among them (then the earlier step) decided"
    return {"metric": metric, "selected_step": best["step"], "checkpoint": loaded_checkpoint, "reason": why,
            "selected_val_loss": best.get("val_loss"), "lowest_val_loss": lowest.get("val_loss"),
            "lowest_val_loss_step": lowest["step"],
            "scored_checkpoints": len(rows)}


def read_scores(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class CheckpointScoresCallback(TrainerCallback):
    """Scores the model at each evaluation and hands the Trainer the selection score (see the
    module docstring). `score(model) -> rung counts` is score_model on the problem set, or a stub
    in tests."""

    def __init__(self, path: Path, metric: str, score):
        self.path, self.metric, self.score = Path(path), metric, score

    @classmethod
    def from_config(cls, cfg: dict, val_path, tokenizer, path: Path) -> "CheckpointScoresCallback":
        """For a training config (defaults filled) whose select_checkpoint is not val_loss. Builds
        the problem set and checks the sandbox now, so a mistake stops training before it starts."""
        if cfg["select_checkpoint"] not in METRIC_RUNGS:
            raise ValueError(f"training.select_checkpoint: {cfg['select_checkpoint']!r}; use one of {SELECTION_METRICS}")
        if cfg["eval_steps"] != cfg["save_steps"]:
            raise ValueError(f"training.select_checkpoint: {cfg['select_checkpoint']} scores checkpoints at "
                             f"evaluations: set eval_steps ({cfg['eval_steps']}) equal to save_steps "
                             f"({cfg['save_steps']})")
        problems = scoring_problems(cfg, val_path)
        check_sandbox(ExecutionConfig.from_dict(cfg["checkpoint_scoring"]["execution"] or {}))
        log.info("checkpoint scoring: %d problems (%d with tests), selecting by %s", len(problems),
                 sum(p.problem is not None for p in problems), cfg["select_checkpoint"])
        return cls(path, cfg["select_checkpoint"], lambda model: score_model(model, tokenizer, problems, cfg))

    def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
        row = None
        if state.is_world_process_zero:
            row = {"step": state.global_step, "val_loss": metrics.get("eval_loss"), **self._timed_score(model)}
            row.update(rates(row))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as f:
                f.write(json.dumps(row) + "\n")
            log.info("checkpoint scores at step %d: %s", state.global_step, row)
        row = from_main_process(row)
        metrics[SELECTION_METRIC] = selection_score(row, self.metric)

    def _timed_score(self, model) -> dict:
        """Rung counts and seconds, in eval mode, without touching the RNG that training draws
        dropout masks from (a run that scores trains exactly like one that does not)."""
        was_training = model.training
        devices = [torch.cuda.current_device()] if torch.cuda.is_available() else []
        started = time.time()
        model.eval()
        try:
            with torch.random.fork_rng(devices=devices):
                counts = self.score(model)
        finally:
            model.train(was_training)
        return {**counts, "seconds": round(time.time() - started, 2)}


def from_main_process(value):
    """Rank 0's value on every rank (itself outside torch.distributed)."""
    if not (torch.distributed.is_available() and torch.distributed.is_initialized()):
        return value
    box = [value]
    torch.distributed.broadcast_object_list(box, src=0)
    return box[0]
