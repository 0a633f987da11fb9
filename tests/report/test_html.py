"""The report's training section: the selected checkpoint and its per-checkpoint figure."""

from __future__ import annotations

import json

from budgetai.core.io import write_json
from budgetai.report.html import training_section


def test_training_section_names_the_selected_checkpoint_and_plots_its_scores(tmp_path):
    adapter = tmp_path / "experiments" / "exp" / "adapter"
    selection = {"metric": "parse_rate", "selected_step": 20, "reason": "highest parse_rate (6/8) <of> 3"}
    write_json({"global_step": 30, "best_eval_loss": 1.5, "checkpoint_selection": selection},
               adapter / "training_summary.json")
    (adapter / "checkpoint_scores.jsonl").write_text("".join(
        json.dumps({"step": s, "val_loss": 2 - s / 30, "parse_rate": s / 40}) + "\n" for s in (10, 20, 30)))
    page = training_section(tmp_path, ["exp"])
    assert 'title="highest parse_rate (6/8) &lt;of&gt; 3">step 20 by parse_rate</span>' in page
    assert (adapter / "checkpoint_scores.png").exists()  # drawn from the scores when missing
    assert "exp: val loss and the ladder per checkpoint" in page


def test_a_run_selected_by_val_loss_has_no_scores_figure(tmp_path):
    adapter = tmp_path / "experiments" / "exp" / "adapter"
    write_json({"global_step": 30, "checkpoint_selection": {"metric": "val_loss", "selected_step": 30}},
               adapter / "training_summary.json")
    page = training_section(tmp_path, ["exp"])
    assert "step 30 by val_loss" in page and "ladder per checkpoint" not in page


def write_eval(directory, suite, passed: list[bool], graded: float, ci: list[float]):
    rows = [{"problem_id": f"e{i}", "sample_index": 0, "code": "x = 1", "compiled": True, "compile_error_class": None,
             "passed": ok, "tests_passed": 4 if ok else 1, "tests_total": 4, "completion": "```haskell\nx = 1\n```"}
            for i, ok in enumerate(passed)]
    (directory / f"{suite}.generations.jsonl").parent.mkdir(parents=True, exist_ok=True)
    (directory / f"{suite}.generations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    n, k = len(passed), sum(passed)
    write_json({"suite": suite, "format": "exercism", "metrics": {"pass_at_k": {"pass@1": k / n}},
                "ladder": {"parses": {"count": n, "n": n, "rate": 1.0, "ci95": [0.9, 1.0]},
                           "typechecks": {"count": n, "n": n, "rate": 1.0, "ci95": [0.9, 1.0]},
                           "passes": {"count": k, "n": n, "rate": k / n, "ci95": ci}},
                "exercism": {"graded_share": graded, "graded_share_ci95": ci}}, directory / f"{suite}.json")


def test_evaluation_shows_the_graded_share_and_the_paired_test_and_colours_only_clear_differences(tmp_path):
    from budgetai.report.html import evaluation_section

    config = {"evaluation": {"suites": {"exercises": {"format": "exercism", "path": "x"}}}}
    write_eval(tmp_path / "base" / "m" / "eval", "exercises", [False] * 12, 0.25, [0.0, 0.26])
    write_eval(tmp_path / "experiments" / "tuned" / "eval", "exercises", [True] * 11 + [False], 0.94, [0.62, 0.99])
    write_eval(tmp_path / "experiments" / "close" / "eval", "exercises", [True] + [False] * 11, 0.3, [0.01, 0.35])
    page = evaluation_section(tmp_path, ["tuned", "close"], ["m"], ["exercises"], config)
    assert "graded share ↑" in page
    assert '<span class="better">0.917</span>' in page  # tuned passes: intervals apart
    assert '<span class="">0.083</span>' in page  # close: 1 of 12 vs 0 of 12, intervals overlap
    assert "paired test: fine-tuned vs base" in page
    assert "p = 0.000977" in page or "p = 0.001" in page  # 11 of 11 discordant pairs favour tuned
    assert "not distinguishable at 5%" in page  # close vs base: 1 discordant pair
