"""Training plots: the loss curve from metrics.jsonl (train loss per step, val loss per evaluation),
and val loss against the evaluation ladder per scored checkpoint from checkpoint_scores.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on cluster nodes
import matplotlib.pyplot as plt  # noqa: E402


def read_metrics(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def plot_loss_curve(metrics_path: str | Path, png_path: str | Path, title: str = "loss") -> None:
    rows = read_metrics(metrics_path)
    train = [(r["step"], r["loss"]) for r in rows if "loss" in r]
    val = [(r["step"], r["eval_loss"]) for r in rows if "eval_loss" in r]
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    if train:
        ax.plot(*zip(*train), label="train loss", linewidth=1)
    if val:
        ax.plot(*zip(*val), marker="o", label="val loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png_path)
    plt.close(fig)


# rate -> (label, colour); val loss is blue, on the other axis
SCORE_LINES = {"parse_rate": ("parses", "tab:orange"), "compile_rate": ("type-checks", "tab:red"),
               "pass@1": ("pass@1", "tab:purple")}


def plot_checkpoint_scores(scores_path: str | Path, png_path: str | Path, metric: str,
                           selected_step: int | None, title: str = "checkpoints") -> None:
    """Val loss (left axis) and the ladder's rates (right axis, the selecting metric bold) per
    scored checkpoint from checkpoint_scores.jsonl, the selected step marked: where the two
    disagree, the loss curve alone would have kept another checkpoint."""
    rows = sorted(read_metrics(scores_path), key=lambda r: r["step"])
    steps = [r["step"] for r in rows]
    fig, loss_ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    loss_ax.plot(steps, [r.get("val_loss") for r in rows], marker="o", color="tab:blue", label="val loss")
    loss_ax.set_xlabel("step")
    loss_ax.set_ylabel("val loss", color="tab:blue")
    rate_ax = loss_ax.twinx()
    for key, (label, colour) in SCORE_LINES.items():
        points = [(r["step"], r[key]) for r in rows if r.get(key) is not None]
        if points:
            bold = key == metric
            rate_ax.plot(*zip(*points), marker="s" if bold else ".", linewidth=2 if bold else 1,
                         alpha=1.0 if bold else 0.5, color=colour, label=label)
    rate_ax.set_ylim(-0.02, 1.02)
    rate_ax.set_ylabel("share of problems")
    if selected_step is not None:
        loss_ax.axvline(selected_step, color="tab:green", linestyle="--", label=f"selected: step {selected_step}")
    handles = [h for ax in (loss_ax, rate_ax) for h in ax.get_legend_handles_labels()[0]]
    loss_ax.legend(handles=handles, fontsize="small", loc="best")
    loss_ax.set_title(f"{title} (selected by {metric})")
    loss_ax.grid(alpha=0.3)
    fig.tight_layout()
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png_path)
    plt.close(fig)
