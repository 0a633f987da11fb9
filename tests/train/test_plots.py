"""Training plots: the per-checkpoint figure of val loss against the evaluation ladder."""

from __future__ import annotations

import json

import matplotlib.image

from budgetai.train.plots import plot_checkpoint_scores


def test_checkpoint_scores_are_plotted_with_the_selected_step_marked(tmp_path):
    rows = [{"step": s, "val_loss": 3 - s / 20, "parse_rate": p, "compile_rate": p / 2, "pass@1": None}
            for s, p in ((10, 0.25), (20, 0.75), (30, 0.5))]
    (tmp_path / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    plot_checkpoint_scores(tmp_path / "scores.jsonl", tmp_path / "plots" / "scores.png", "parse_rate", 20)
    height, width, _ = matplotlib.image.imread(tmp_path / "plots" / "scores.png").shape
    assert (width, height) == (600, 350)
