"""The self-improvement section from files laid out as the round rules write them: per round the
counts and the share each verifier rule kept, per suite round r against round 0 with the paired
verdicts; nothing without rounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetai.core import results_layout as layout
from budgetai.report import html as page
from budgetai.report.html import build_report
from budgetai.report.rounds import rounds_section

EXPERIMENT = "exp"
CONFIG = {
    "experiments": {EXPERIMENT: {"model": "m", "self_improve": {"rounds": 1}}},
    "evaluation": {"suites": {"problems": {"format": "stdio"}, "heldout": {"format": "heldout"}}},
}


def gen_row(pid: str, passed: bool) -> dict:
    return {"problem_id": pid, "sample_index": 0, "code": "main = pure ()", "compiled": True,
            "compile_error_class": None, "passed": passed, "tests_passed": int(passed), "tests_total": 1}


def write_run(eval_dir: str, suite: str, fmt: str, rows: list[dict], **extra) -> None:
    Path(eval_dir).mkdir(parents=True, exist_ok=True)
    Path(layout.evaluation(eval_dir, suite)).write_text(json.dumps({"suite": suite, "format": fmt, **extra}))
    Path(layout.generations(eval_dir, suite)).write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.fixture
def results(tmp_path) -> Path:
    round0 = layout.eval_dir(EXPERIMENT, tmp_path)
    round1 = f"{layout.self_improve_round(EXPERIMENT, 1, tmp_path)}/eval"
    # round 1 passes 12 problems of 20 that round 0 failed: a real difference
    write_run(round0, "problems", "stdio", [gen_row(f"p{i}", False) for i in range(20)])
    write_run(round1, "problems", "stdio", [gen_row(f"p{i}", i < 12) for i in range(20)])
    write_run(round0, "heldout", "heldout", [], metrics={"heldout_loss": 2.5})
    write_run(round1, "heldout", "heldout", [], metrics={"heldout_loss": 2.25})
    summary = {"rounds": [{"round": 0}, {
        "round": 1, "prompts": 20, "answers": 40, "verified": 3, "kept_records": 2,
        "by_rule": {"tests": {"judged": 40, "verified": 3, "share": 0.075}}}]}
    Path(layout.self_improve_summary(EXPERIMENT, tmp_path)).write_text(json.dumps(summary))
    return tmp_path


def test_section_shows_counts_per_rule_and_each_suite_against_round_0(results):
    html = rounds_section(results, CONFIG)
    assert "<td>20</td><td>40</td><td>3</td><td>2</td><td>3 / 40 (7.5%)</td>" in html
    assert "exp: problems, round r against round 0" in html
    assert "<td>0.000</td><td>0.600</td><td>+0.600</td><td class=\"l\">p = " in html
    assert "<td>2.500</td><td>2.250</td><td>-0.250</td>" in html  # held-out loss, untested


def test_a_missing_summary_is_named_and_no_rounds_means_no_section(results):
    Path(layout.self_improve_summary(EXPERIMENT, results)).unlink()
    assert "summary.json is missing" in rounds_section(results, CONFIG)
    assert rounds_section(results, {**CONFIG, "experiments": {EXPERIMENT: {"model": "m"}}}) == ""


def test_the_report_lists_the_section_only_when_rounds_exist(results, monkeypatch):
    # the other sections read files this fixture does not write: keep them empty
    for name in ("funnel", "drops", "licenses", "lengths", "examples", "training", "evaluation", "problems",
                 "samples", "configs"):
        monkeypatch.setattr(page, f"{name}_section", lambda *args, **kwargs: "")
    monkeypatch.setattr(page.views, "enabled_sources", lambda config: [])
    with_rounds = build_report(results, [EXPERIMENT], [], ["problems"], CONFIG, results / "a.html").read_text()
    assert '<a href="#self_improve">Self-improvement</a>' in with_rounds
    assert '<section id="self_improve">' in with_rounds and '<section id="ablations">' not in with_rounds
    plain = {**CONFIG, "experiments": {EXPERIMENT: {"model": "m"}}}
    without = build_report(results, [EXPERIMENT], [], ["problems"], plain, results / "b.html").read_text()
    assert "self_improve" not in without
