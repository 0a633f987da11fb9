"""The whole DAG on the smoke config, end to end, asserting on content (not just exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from budgetai.core.records import COLUMNS
from tests.workflow.run_workflow import snakemake

pytestmark = [pytest.mark.slow, pytest.mark.ghc]


def all_stats_files(results: Path) -> list[Path]:
    return [p for p in results.rglob("*stats.json") if p.name != "stats.json" or p.parent.name != "dataset"]


def test_every_stage_balances_its_books(smoke_run):
    stats_files = all_stats_files(smoke_run)
    assert len(stats_files) >= 10, stats_files
    for path in stats_files:
        stats = json.loads(path.read_text())
        dropped = sum(stats["dropped_by_reason"].values())
        quarantined = sum(stats["quarantined_by_reason"].values())
        assert stats["rows_in"] == stats["rows_out"] + dropped + quarantined, path
        assert stats["rows_dropped"] == dropped and stats["rows_quarantined"] == quarantined, path


def test_stages_chain_row_counts(smoke_run):
    """What one stage writes is what the next one reads."""
    dataset = smoke_run / "dataset"
    dedup = json.loads((dataset / "dedup_stats.json").read_text())
    clean_out = sum(json.loads(p.read_text())["rows_out"] for p in smoke_run.glob("sources/*/clean_stats.json"))
    assert dedup["rows_in"] == clean_out
    decont = json.loads((dataset / "decontaminate_stats.json").read_text())
    assert decont["rows_in"] == dedup["rows_out"] == pq.read_metadata(dataset / "dedup.parquet").num_rows
    split = json.loads((dataset / "split_stats.json").read_text())
    assert split["rows_in"] == decont["rows_out"]
    sizes = {name: pq.read_metadata(dataset / f"{name}.parquet").num_rows for name in ("train", "val", "test")}
    assert sum(sizes.values()) == split["rows_out"]
    assert sizes["train"] > sizes["test"] > 0


def test_splits_do_not_leak(smoke_run):
    dataset = smoke_run / "dataset"
    tables = {name: pq.read_table(dataset / f"{name}.parquet") for name in ("train", "val", "test")}
    assert all(t.column_names == COLUMNS for t in tables.values())
    groups = {name: set(t.column("group").to_pylist()) for name, t in tables.items()}
    assert not groups["train"] & groups["test"]
    assert not groups["train"] & groups["val"]
    assert not groups["val"] & groups["test"]


def test_adapter_loads_with_peft(smoke_run):
    from peft import PeftModel

    from budgetai.model.load import load_model

    adapter = smoke_run / "experiments" / "haskell-smollm2" / "adapter"
    base = load_model(smoke_run / "models" / "smollm2-135m")
    model = PeftModel.from_pretrained(base, adapter)
    assert any("lora_" in name for name, _ in model.named_parameters())
    summary = json.loads((adapter / "training_summary.json").read_text())
    assert summary["global_step"] == 4 and 0 < summary["share"] < 0.05
    metrics = [json.loads(line) for line in (adapter / "metrics.jsonl").read_text().splitlines()]
    assert any("eval_loss" in m for m in metrics) and any("loss" in m for m in metrics)
    assert (adapter / "loss_curve.png").stat().st_size > 1000


@pytest.mark.parametrize("target", ["base/smollm2-135m", "experiments/haskell-smollm2"])
def test_eval_values_in_range_for_base_and_tuned(smoke_run, target):
    heldout = json.loads((smoke_run / target / "eval" / "heldout.json").read_text())["metrics"]
    assert 0 < heldout["heldout_loss"] < 20 and heldout["perplexity"] >= 1
    assert 0 <= heldout["bleu"] <= 100 and 0 <= heldout["rouge_l"] <= 1
    problems = json.loads((smoke_run / target / "eval" / "problems.json").read_text())["metrics"]
    assert problems["problems"] == 4 and problems["samples"] == 4
    assert 0 <= problems["pass_at_k"]["pass@1"] <= 1 and 0 <= problems["compile_rate"] <= 1
    generations = (smoke_run / target / "eval" / "problems.generations.jsonl").read_text().splitlines()
    assert len(generations) == 4 and all(json.loads(g)["completion"] for g in generations)


def test_report_names_base_and_tuned(smoke_run):
    page = (smoke_run / "report" / "index.html").read_text()
    assert "base: smollm2-135m" in page and "haskell-smollm2" in page
    for section in ("funnel", "training", "evaluation", "problems", "samples"):
        assert f'id="{section}"' in page
    assert "data:image/png;base64," in page  # the loss curve is embedded


def test_nothing_left_to_do_after_the_run(smoke_run):
    proc = snakemake(smoke_run.parent, "-n", "--configfile", "config/smoke.yaml")
    assert "Nothing to be done" in proc.stdout + proc.stderr
