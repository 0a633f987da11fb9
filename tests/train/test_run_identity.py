"""Checkpoints resume only the run that made them (budgetai.train.run_identity)."""

from __future__ import annotations

import json

from budgetai.train.run_identity import RUN_FILE, prepare_checkpoint_dir, run_identity


def run_files(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text('{"hidden_size": 64}')
    (tmp_path / "train.parquet").write_bytes(b"train rows")
    (tmp_path / "val.parquet").write_bytes(b"val rows")
    return tmp_path / "model", tmp_path / "train.parquet", tmp_path / "val.parquet"


def test_the_same_run_keeps_its_checkpoints_and_a_changed_one_starts_over(tmp_path):
    files = run_files(tmp_path)
    checkpoints = tmp_path / "checkpoints"
    first = run_identity({"learning_rate": 3e-4, "lora": {"r": 8}}, *files)
    assert prepare_checkpoint_dir(checkpoints, first) is False
    (checkpoints / "checkpoint-2").mkdir()
    (checkpoints / "checkpoint-2" / "trainer_state.json").write_text("{}")

    assert prepare_checkpoint_dir(checkpoints, run_identity({"lora": {"r": 8}, "learning_rate": 3e-4}, *files)) is False
    assert (checkpoints / "checkpoint-2").is_dir()  # a preempted rerun resumes

    changed = run_identity({"learning_rate": 1e-3, "lora": {"r": 8}}, *files)
    assert prepare_checkpoint_dir(checkpoints, changed) is True
    assert not (checkpoints / "checkpoint-2").exists()
    assert json.loads((checkpoints / RUN_FILE).read_text()) == changed


def test_other_data_or_checkpoints_without_a_record_start_over(tmp_path):
    files = run_files(tmp_path)
    checkpoints = tmp_path / "checkpoints"
    (checkpoints / "checkpoint-4").mkdir(parents=True)  # made before run.json existed
    identity = run_identity({}, *files)
    assert prepare_checkpoint_dir(checkpoints, identity) is True and not (checkpoints / "checkpoint-4").exists()
    (checkpoints / "checkpoint-4").mkdir()
    (tmp_path / "train.parquet").write_bytes(b"another mixture")
    assert prepare_checkpoint_dir(checkpoints, run_identity({}, *files)) is True
