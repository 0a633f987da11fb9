"""The ablation table: for every experiment with variants (budgetai.core.config.ablations), per
suite and measure, each variant's value, its difference from the parent and whether that
difference is real, plus one plot of the differences.

    rows = ablation_rows("results", config)          # config: the applied one (variants included)
    html = ablation_section("results", config)       # the body of the report's "ablations" section

Measures: the ladder's rungs (parses, type-checks, passes) on every suite, the graded share on a
graded (exercism) suite, the held-out loss on a heldout suite. Rungs and the graded share are
compared problem by problem (budgetai.evaluate.paired.compare_runs: exact sign test / McNemar,
paired bootstrap); the held-out loss is one number per run, so its difference has no test here.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib

from budgetai.core import results_layout as layout
from budgetai.core.config.ablations import has_ablations, variants_by_parent
from budgetai.evaluate.ladder import RUNGS
from budgetai.evaluate.paired import HELDOUT_LOSS, compare_runs

matplotlib.use("Agg")  # no display on cluster nodes
import matplotlib.pyplot as plt  # noqa: E402

GRADED = "graded_share"
# the one measure per suite the plot shows: the top rung, or the loss where that is all there is
HEADLINE = {"heldout": HELDOUT_LOSS, "exercism": GRADED}


@dataclass(frozen=True)
class AblationRow:
    """One variant's value of one measure on one suite, against its parent's."""

    parent: str
    variant: str
    suite: str
    measure: str
    parent_value: float | None
    value: float | None
    p: float | None  # None: no test (held-out loss) or a run is missing
    verdict: str

    @property
    def difference(self) -> float | None:
        if self.value is None or self.parent_value is None:
            return None
        return self.value - self.parent_value


def ablation_rows(results_dir, config: dict) -> list[AblationRow]:
    """Every (variant, suite, measure) of the applied config's ablations, parents in config order."""
    results = Path(results_dir)
    rows = []
    for parent, variants in variants_by_parent(config["experiments"]).items():
        for suite in config["evaluation"]["suites"]:
            parent_run = run_files(layout.eval_dir(parent, results), suite)
            for variant in variants:
                rows.extend(compare_pair(parent, variant.name, suite, parent_run,
                                         run_files(layout.eval_dir(variant.name, results), suite)))
    return rows


def run_files(eval_dir: str, suite: str) -> tuple[Path, Path]:
    """A run's result JSON and generations for one suite."""
    return Path(layout.evaluation(eval_dir, suite)), Path(layout.generations(eval_dir, suite))


def compare_pair(parent: str, variant: str, suite: str, parent_run, variant_run) -> list[AblationRow]:
    """The rows of one suite for a run against the run it changes (its files from run_files):
    each rung and the graded share tested problem by problem, the held-out loss shown untested."""
    missing = [str(p) for p in (*parent_run, *variant_run) if not p.is_file()]
    if missing:
        return [AblationRow(parent, variant, suite, "(missing)", None, None, None, f"missing: {', '.join(missing)}")]
    parent_json, variant_json = (json.loads(run[0].read_text()) for run in (parent_run, variant_run))
    paired = compare_runs(parent_json, parent_run[1], variant_json, variant_run[1])
    if HELDOUT_LOSS in paired:
        loss = paired[HELDOUT_LOSS]
        return [AblationRow(parent, variant, suite, HELDOUT_LOSS, loss["a"], loss["b"], None, paired["verdict"])]
    rows = [AblationRow(parent, variant, suite, rung, step["a_rate"], step["b_rate"], step["p"], step["verdict"])
            for rung, step in paired["rungs"].items()]
    if "exercism" in parent_json and "exercism" in variant_json:
        graded = paired["graded_share"]
        rows.append(AblationRow(parent, variant, suite, GRADED, graded["a"], graded["b"], graded["p"], graded["verdict"]))
    return rows


def headline_measure(suite_format: str) -> str:
    return HEADLINE.get(suite_format, RUNGS[-1])


def plot_png(rows: list[AblationRow], config: dict) -> bytes:
    """One PNG: per suite, each variant's difference from its parent on the suite's headline
    measure (passes, or the held-out loss); a bar is hatched where the test does not tell the
    difference from noise."""
    suites = [s for s in config["evaluation"]["suites"]
              if any(r.suite == s and r.difference is not None for r in rows)]
    fig, axes = plt.subplots(1, max(len(suites), 1), figsize=(4.5 * max(len(suites), 1), 3.2), dpi=100, squeeze=False)
    for ax, suite in zip(axes[0], suites):
        measure = headline_measure(config["evaluation"]["suites"][suite]["format"])
        shown = [r for r in rows if r.suite == suite and r.measure == measure and r.difference is not None]
        labels = [r.variant.split("~", 1)[1] for r in shown]
        bars = ax.barh(labels, [r.difference for r in shown],
                       color=["#0a6" if _better(r) else "#b00" for r in shown])
        for bar, row in zip(bars, shown):
            if row.p is None or row.p >= 0.05:
                bar.set_hatch("//")
                bar.set_alpha(0.5)
        ax.axvline(0, color="#444", linewidth=0.8)
        ax.set_title(f"{suite}: {measure}", fontsize=9)
        ax.set_xlabel("variant - parent", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle("Ablations (hatched: not distinguishable at 5% or untested)", fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _better(row: AblationRow) -> bool:
    difference = row.difference or 0.0
    return difference < 0 if row.measure == HELDOUT_LOSS else difference > 0


def section_if_any(results_dir, config: dict) -> str:
    """The section when an experiment of the config has ablations, else nothing."""
    return ablation_section(results_dir, config) if has_ablations(config) else ""


def ablation_section(results_dir, config: dict) -> str:
    """The report section's body: a table per parent and suite, then the plot."""
    rows = ablation_rows(results_dir, config)
    parts = ["<p>Each variant is its parent experiment with one change (a source left out, a subset only, a "
             "curation step off), the same model, token budget, seed and suites. Difference: variant minus parent; "
             "test: exact sign test (McNemar) per rung and paired bootstrap for the graded share, problem by "
             "problem. A difference marked <em>not distinguishable at 5%</em> is within noise at this size.</p>"]
    for parent in dict.fromkeys(r.parent for r in rows):
        for suite in dict.fromkeys(r.suite for r in rows if r.parent == parent):
            shown = [r for r in rows if r.parent == parent and r.suite == suite]
            parts.append(f"<h3>{_esc(parent)}: {_esc(suite)}</h3>" + comparison_table(shown))
    data = base64.b64encode(plot_png(rows, config)).decode()
    parts.append(f'<img alt="ablations" src="data:image/png;base64,{data}">')
    return "".join(parts)


def comparison_table(rows: list[AblationRow], headers=("variant", "measure", "parent", "variant value")) -> str:
    """Rows as an HTML table; headers name the first four columns (the run, the measure, the
    value it is compared with, its own value)."""
    headers = [*headers, "difference", "paired test"]
    head = "".join(f'<th class="{"l" if i < 2 else ""}">{h}</th>' for i, h in enumerate(headers))
    body = "".join(
        f'<tr><td class="l">{_esc(r.variant)}</td><td class="l">{_esc(r.measure)}</td><td>{_num(r.parent_value)}</td>'
        f'<td>{_num(r.value)}</td><td>{_signed(r.difference)}</td><td class="l">{_esc(r.verdict)}</td></tr>'
        for r in rows)
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def _esc(value) -> str:
    return html.escape(str(value))


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"
