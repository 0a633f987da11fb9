"""The ablation table from evaluation files laid out as the workflow writes them: values,
differences from the parent, the paired verdicts (a real difference and noise), missing runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetai.core import results_layout as layout
from budgetai.evaluate.paired import NO_TEST
from budgetai.report.ablations import ablation_rows, ablation_section, plot_png, section_if_any

PARENT, MINUS, WITHOUT = "exp", "exp~minus-so", "exp~without-chunking"
CONFIG = {
    "experiments": {PARENT: {"model": "m", "ablations": {"leave_one_out": ["so"], "without_steps": ["chunking"]}},
                    MINUS: {"model": "m"}, WITHOUT: {"model": "m"}, "other": {"model": "m"}},
    "evaluation": {"suites": {"problems": {"format": "stdio"}, "exercises": {"format": "exercism"},
                              "heldout": {"format": "heldout"}}},
}


def gen_row(pid: str, passed: bool, tests=(1, 1)) -> dict:
    return {"problem_id": pid, "sample_index": 0, "code": "main = pure ()", "compiled": True,
            "compile_error_class": None, "passed": passed, "tests_passed": tests[0], "tests_total": tests[1]}


def write_run(results: Path, experiment: str, suite: str, fmt: str, rows: list[dict], **extra) -> None:
    eval_dir = layout.eval_dir(experiment, results)
    Path(eval_dir).mkdir(parents=True, exist_ok=True)
    Path(layout.evaluation(eval_dir, suite)).write_text(json.dumps({"suite": suite, "format": fmt, **extra}))
    Path(layout.generations(eval_dir, suite)).write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.fixture
def results(tmp_path) -> Path:
    # problems: the parent passes 12 of 20; without so, 0 of them (a real drop); without chunking,
    # the same count but on other problems (noise).
    parent = [gen_row(f"p{i}", i < 12) for i in range(20)]
    write_run(tmp_path, PARENT, "problems", "stdio", parent)
    write_run(tmp_path, MINUS, "problems", "stdio", [gen_row(f"p{i}", False) for i in range(20)])
    write_run(tmp_path, WITHOUT, "problems", "stdio", [gen_row(f"p{i}", 8 <= i) for i in range(20)])
    graded = {"exercism": {"graded_share": 0}}
    write_run(tmp_path, PARENT, "exercises", "exercism", [gen_row(f"e{i}", False, (1, 4)) for i in range(10)], **graded)
    write_run(tmp_path, MINUS, "exercises", "exercism", [gen_row(f"e{i}", False, (3, 4)) for i in range(10)], **graded)
    for experiment, loss in ((PARENT, 2.5), (MINUS, 2.75), (WITHOUT, 2.25)):
        eval_dir = layout.eval_dir(experiment, tmp_path)
        Path(layout.evaluation(eval_dir, "heldout")).write_text(json.dumps({"suite": "heldout", "format": "heldout",
                                                                           "metrics": {"heldout_loss": loss}}))
        Path(layout.generations(eval_dir, "heldout")).write_text("")
    return tmp_path


def by_key(rows) -> dict:
    return {(r.variant, r.suite, r.measure): r for r in rows}


def test_rows_give_values_differences_and_paired_verdicts(results):
    rows = by_key(ablation_rows(results, CONFIG))
    drop = rows[(MINUS, "problems", "passes")]
    assert (drop.parent_value, drop.value, drop.difference) == (0.6, 0.0, -0.6)
    assert drop.p == pytest.approx(2 / 2 ** 12) and drop.verdict.startswith("p = ")
    noise = rows[(WITHOUT, "problems", "passes")]
    assert noise.difference == pytest.approx(0.0) and noise.verdict == "not distinguishable at 5%"
    assert rows[(MINUS, "problems", "parses")].verdict == "not distinguishable at 5%"  # both parse everything
    graded = rows[(MINUS, "exercises", "graded_share")]
    assert (graded.parent_value, graded.value) == (0.25, 0.75) and graded.p < 0.05
    assert (WITHOUT, "problems", "graded_share") not in rows  # stdio is not a graded suite
    loss = rows[(WITHOUT, "heldout", "heldout_loss")]
    assert (loss.difference, loss.p, loss.verdict) == (-0.25, None, NO_TEST)
    assert not any(r.parent == "other" or r.variant == "other" for r in rows.values())


def test_a_missing_run_is_named_not_fatal(results):
    rows = by_key(ablation_rows(results, CONFIG))
    missing = rows[(WITHOUT, "exercises", "(missing)")]
    assert missing.value is None and "exp~without-chunking/eval/exercises.json" in missing.verdict


def test_section_has_a_table_per_suite_and_the_plot(results, tmp_path):
    html = ablation_section(results, CONFIG)
    assert html.startswith("<p>Each variant")
    for suite in ("problems", "exercises", "heldout"):
        assert f"<h3>exp: {suite}</h3>" in html
    assert "<td>-0.600</td>" in html and "data:image/png;base64," in html
    png = plot_png(ablation_rows(results, CONFIG), CONFIG)
    assert png.startswith(b"\x89PNG")


def test_the_section_appears_only_with_ablations(results):
    assert section_if_any(results, CONFIG).startswith("<p>Each variant")
    without = {**CONFIG, "experiments": {PARENT: {"model": "m"}}}
    assert section_if_any(results, without) == ""
