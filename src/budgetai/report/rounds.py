"""The self-improvement section: for every experiment with `self_improve` rounds
(budgetai.train.self_improve), what each round tried and kept, and each round's model against
round 0 (the experiment itself) on every suite.

    html = rounds_section("results", config)   # "" when no experiment has rounds

Per round, from results/self_improve/<e>/summary.json: prompts tried, answers sampled, answers
verified and records kept, and per verifier rule the answers it judged and the share it kept.
Per suite, round r against round 0 with the same paired tests as the ablation table
(budgetai.report.ablations.compare_pair), read from the rounds' evaluation files.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from budgetai.core import results_layout as layout
from budgetai.report.ablations import comparison_table, compare_pair, run_files
from budgetai.train.self_improve import RoundPlan


def rounds_section(results_dir, config: dict) -> str:
    """The section's body, or "" when no experiment of the config has self-improvement rounds."""
    results = Path(results_dir)
    parts = []
    for experiment in RoundPlan(config).experiments():
        summary_path = Path(layout.self_improve_summary(experiment, results))
        if not summary_path.is_file():
            parts.append(f"<h3>{_esc(experiment)}</h3><p>No summary yet: {_esc(summary_path)} is missing.</p>")
            continue
        rounds = json.loads(summary_path.read_text())["rounds"]
        parts.append(f"<h3>{_esc(experiment)}: what each round kept</h3>" + _counts_table(rounds))
        for suite in config["evaluation"]["suites"]:
            rows = [row for r in rounds if r["round"] > 0
                    for row in compare_pair("round 0", f"round {r['round']}", suite,
                                            run_files(layout.eval_dir(experiment, results), suite),
                                            run_files(layout.self_improve_eval_dir(experiment, r["round"], results), suite))]
            parts.append(f"<h4>{_esc(experiment)}: {_esc(suite)}, round r against round 0</h4>"
                         + comparison_table(rows, headers=("round", "measure", "round 0", "round r")))
    if not parts:
        return ""
    intro = ("<p>Round r samples answers to training prompts with round r-1's model; the verifier keeps an "
             "answer that passes the prompt's tests (or its documented <code>&gt;&gt;&gt;</code> examples) after "
             "the forgery checks; round r trains from the base model on the training split plus the kept "
             "answers, with the same token budget. Round 0 is the experiment itself.</p>")
    return intro + "".join(parts)


def _counts_table(rounds: list[dict]) -> str:
    rules = sorted({rule for r in rounds for rule in r.get("by_rule", {})})
    headers = ["round", "prompts", "answers", "verified", "kept records",
               *(f"{rule}: verified / judged" for rule in rules)]
    body = ""
    for r in rounds:
        if r["round"] == 0:
            continue
        by_rule = r.get("by_rule", {})
        cells = [r["round"], r.get("prompts"), r.get("answers"), r.get("verified"), r.get("kept_records"),
                 *(_rule_cell(by_rule.get(rule)) for rule in rules)]
        body += "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>"
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def _rule_cell(rule: dict | None) -> str:
    if not rule:
        return "–"
    return f"{rule['verified']} / {rule['judged']} ({rule['share']:.1%})"


def _esc(value) -> str:
    return html.escape(str(value))
