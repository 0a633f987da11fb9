"""Two training processes on CPU (gloo) against one with the doubled batch, on the tiny model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from budgetai.core.records import write_records
from budgetai.train.distributed import launch
from budgetai.train.recipe import PREEMPTED_EXIT_CODE
from tests.train.test_recipe import REPO, TINY_CFG, haskell_rows, step_losses, wait_for

STEPS = 4
# Measured here: step 1 equal to the last digit, steps 2-4 within 3.7e-4 (relative) of the
# 1-process run (the two ranks' reductions sum in another order); 1e-3 is under a tenth of
# one step's progress (~1e-2), so a wrong batch split or a missed gradient all-reduce fails.
LOSS_TOLERANCE = 1e-3
CFG = {**TINY_CFG, "max_steps": STEPS, "eval_steps": 2, "save_steps": 2, "sampling": "random", "report_to": "none"}


@pytest.fixture(scope="module")
def splits(tmp_path_factory):
    root = tmp_path_factory.mktemp("ddp-splits")
    write_records(haskell_rows(32), root / "train.parquet")
    write_records(haskell_rows(8, offset=100), root / "val.parquet")
    return root / "train.parquet", root / "val.parquet"


def train(nproc, batch_size, model_dir, splits, root):
    started = time.time()
    code = launch(nproc, {**CFG, "batch_size": batch_size}, model_dir, *splits, root / "adapter", root / "checkpoints")
    seconds = time.time() - started
    assert code == 0
    summary = json.loads((root / "adapter" / "training_summary.json").read_text())
    return summary, step_losses(root / "adapter" / "metrics.jsonl"), seconds


@pytest.mark.slow
def test_two_processes_train_like_one_with_the_doubled_batch(tiny_llama_dir, splits, tmp_path):
    one, one_losses, one_s = train(1, 4, tiny_llama_dir, splits, tmp_path / "one")
    two, two_losses, two_s = train(2, 2, tiny_llama_dir, splits, tmp_path / "two")
    print(f"1 process: {one_losses} in {one_s:.1f}s ({one['train_seconds'] / STEPS:.3f} s/step); "
          f"2 processes: {two_losses} in {two_s:.1f}s ({two['train_seconds'] / STEPS:.3f} s/step)")
    assert one["global_step"] == two["global_step"] == STEPS
    assert sorted(two_losses) == list(range(1, STEPS + 1))
    assert list(two_losses.values()) == pytest.approx(list(one_losses.values()), rel=LOSS_TOLERANCE)


LAUNCH = """
import json, sys
from budgetai.train.distributed import launch
cfg, *paths = sys.argv[1:]
sys.exit(launch(2, json.loads(cfg), *paths))
"""


def start_launcher(cfg, paths):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    return subprocess.Popen([sys.executable, "-c", LAUNCH, json.dumps(cfg), *paths], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def rank_process(launcher: subprocess.Popen, local_rank: int) -> psutil.Process:
    for child in psutil.Process(launcher.pid).children(recursive=True):
        if "budgetai.train.distributed" in child.cmdline() and child.environ().get("LOCAL_RANK") == str(local_rank):
            return child
    pytest.fail(f"no rank {local_rank} under the launcher")


def assert_stopped_at_a_complete_checkpoint_and_a_rerun_finishes(launcher, cfg, paths, root):
    code = launcher.wait(timeout=180)
    stderr = launcher.stderr.read()
    assert code == PREEMPTED_EXIT_CODE, stderr[-3000:]
    assert "forcefully exiting" not in stderr, "a rank did not stop by itself: torchrun killed it"
    assert not (root / "adapter" / "adapter_model.safetensors").exists()
    newest = max((root / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert 2 <= int(newest.name.split("-")[1]) < cfg["max_steps"]
    assert (newest / "trainer_state.json").exists(), "the ranks stopped without a complete checkpoint"

    assert launch(2, cfg, *paths) == 0
    summary = json.loads((root / "adapter" / "training_summary.json").read_text())
    assert summary["global_step"] == cfg["max_steps"]
    assert sorted(step_losses(root / "adapter" / "metrics.jsonl")) == list(range(1, cfg["max_steps"] + 1))


@pytest.mark.slow
def test_sigterm_stops_both_ranks_at_a_checkpoint_exits_75_and_a_rerun_finishes(tiny_llama_dir, splits, tmp_path):
    # Enough steps (~0.1 s each here) to be running when the signal comes.
    cfg = {**CFG, "batch_size": 2, "max_steps": 120}
    paths = [str(tiny_llama_dir), *map(str, splits), str(tmp_path / "adapter"), str(tmp_path / "checkpoints")]
    launcher = start_launcher(cfg, paths)
    wait_for(tmp_path / "checkpoints" / "checkpoint-2" / "trainer_state.json", launcher)
    launcher.send_signal(signal.SIGTERM)
    assert_stopped_at_a_complete_checkpoint_and_a_rerun_finishes(launcher, cfg, paths, tmp_path)


@pytest.mark.slow
def test_a_signal_to_one_rank_stops_both_at_the_same_step(tiny_llama_dir, splits, tmp_path):
    """The ranks get a signal at different moments (torchrun forwards it to each in turn; SLURM may
    signal one task): the one that stops must not leave the other inside the next all-reduce."""
    cfg = {**CFG, "batch_size": 2, "max_steps": 120}
    paths = [str(tiny_llama_dir), *map(str, splits), str(tmp_path / "adapter"), str(tmp_path / "checkpoints")]
    launcher = start_launcher(cfg, paths)
    wait_for(tmp_path / "checkpoints" / "checkpoint-2" / "trainer_state.json", launcher)
    rank_process(launcher, 1).send_signal(signal.SIGUSR1)
    assert_stopped_at_a_complete_checkpoint_and_a_rerun_finishes(launcher, cfg, paths, tmp_path)


@pytest.mark.slow
def test_two_processes_score_each_checkpoint_once_and_agree_on_the_selection(tiny_llama_dir, splits, repo_dir,
                                                                             tmp_path):
    """Rank 0 scores, rank 1 waits for its result: both Trainers must keep the same checkpoint."""
    suite = {"path": str(repo_dir / "resources" / "functions" / "functions.jsonl"), "format": "multipl-e"}
    cfg = {**CFG, "batch_size": 2, "select_checkpoint": "compile_rate",
           "checkpoint_scoring": {"suite": suite, "problems": 2, "max_new_tokens": 8}}
    assert launch(2, cfg, tiny_llama_dir, *splits, tmp_path / "adapter", tmp_path / "checkpoints") == 0
    rows = [json.loads(line) for line in (tmp_path / "adapter" / "checkpoint_scores.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [2, 4] and all(r["n"] == r["n_tested"] == 2 for r in rows)
    selection = json.loads((tmp_path / "adapter" / "training_summary.json").read_text())["checkpoint_selection"]
    assert selection["checkpoint"].endswith(f"checkpoint-{selection['selected_step']}")
