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
