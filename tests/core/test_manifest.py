"""Artifact manifests: fingerprints, config hashes, and what `logged` writes after a job."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from snakemake.iocontainers import InputFiles, OutputFiles, Params, Wildcards

from budgetai.core.manifest import (
    PACKAGES, config_hash, fingerprint, git_state, manifest_path, read_manifest, write_job_manifests,
)
from budgetai.core.workflow_glue import logged
from tests.workflow.run_workflow import REPO, scratch_workdir, snakemake


def test_file_fingerprint_is_sha256_of_content(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello\n")
    got = fingerprint(path)
    assert got["sha256"] == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
    assert got["type"] == "file" and got["bytes"] == 6


def test_directory_fingerprint_follows_content_and_ignores_bookkeeping(tmp_path):
    adapter = tmp_path / "adapter"
    (adapter / "sub").mkdir(parents=True)
    (adapter / "weights.bin").write_bytes(b"\x00\x01")
    (adapter / "sub" / "config.json").write_text("{}")
    before = fingerprint(adapter)
    assert before["type"] == "directory" and before["files"] == 2 and before["bytes"] == 4
    (adapter / "manifest.json").write_text("{}")
    (adapter / ".snakemake_timestamp").touch()
    assert fingerprint(adapter)["sha256"] == before["sha256"]
    (adapter / "sub" / "config.json").write_text('{"r": 8}')
    assert fingerprint(adapter)["sha256"] != before["sha256"]
    (adapter / "sub" / "config.json").write_text("{}")
    (adapter / "sub" / "config.json").rename(adapter / "config.json")  # same bytes, other place
    assert fingerprint(adapter)["sha256"] != before["sha256"]


def test_missing_input_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.parquet"):
        fingerprint(tmp_path / "nope.parquet")


def test_config_hash_ignores_key_order_but_not_values():
    assert config_hash({"a": 1, "b": {"c": [1, 2]}}) == config_hash({"b": {"c": [1, 2]}, "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2})


def test_manifest_paths_for_files_and_directories(tmp_path):
    (tmp_path / "adapter").mkdir()
    assert manifest_path(tmp_path / "adapter") == tmp_path / "adapter" / "manifest.json"
    assert manifest_path(tmp_path / "train.parquet") == tmp_path / "train.parquet.manifest.json"


def test_git_state_inside_and_outside_a_checkout(tmp_path):
    state = git_state(REPO)
    expected = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    assert state["commit"] == expected and isinstance(state["dirty"], bool)
    assert git_state(tmp_path) is None


def fake_job(tmp_path: Path) -> SimpleNamespace:
    """The `snakemake` object a script: wrapper receives, built from Snakemake's own containers."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.parquet").write_bytes(b"A")
    (tmp_path / "in" / "b.parquet").write_bytes(b"B")
    model = tmp_path / "in" / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    inputs = InputFiles([str(tmp_path / "in" / "a.parquet"), str(tmp_path / "in" / "b.parquet"), str(model)])
    inputs._set_name("records", 0, end=2)
    inputs._set_name("model", 2)
    outputs = OutputFiles([str(tmp_path / "out" / "train.parquet"), str(tmp_path / "out" / "adapter")])
    outputs._set_name("records", 0)
    outputs._set_name("adapter", 1)
    return SimpleNamespace(input=inputs, output=outputs, params=Params(fromdict={"cfg": {"lr": 0.001, "r": 8}}),
                           wildcards=Wildcards(fromdict={"experiment": "e1"}), rule="train",
                           threads=1, log=[str(tmp_path / "job.log")])


def test_logged_writes_manifests_for_every_output_after_success(tmp_path):
    job = fake_job(tmp_path)
    with logged(job):
        (tmp_path / "out" / "adapter").mkdir(parents=True)
        (tmp_path / "out" / "train.parquet").write_bytes(b"rows")
        (tmp_path / "out" / "adapter" / "adapter_model.safetensors").write_bytes(b"w")
    file_manifest = read_manifest(tmp_path / "out" / "train.parquet")
    dir_manifest = json.loads((tmp_path / "out" / "adapter" / "manifest.json").read_text())
    for manifest in (file_manifest, dir_manifest):
        assert manifest["rule"] == "train" and manifest["wildcards"] == {"experiment": "e1"}
        assert manifest["config"] == {"cfg": {"lr": 0.001, "r": 8}}
        assert manifest["config_hash"] == config_hash({"cfg": {"r": 8, "lr": 0.001}})
        assert [f["sha256"] for f in manifest["inputs"]["records"]] == [fingerprint(tmp_path / "in" / n)["sha256"]
                                                                       for n in ("a.parquet", "b.parquet")]
        assert manifest["inputs"]["model"][0]["type"] == "directory"
        assert set(manifest["packages"]) == set(PACKAGES) and manifest["packages"]["pyarrow"]
        assert manifest["started"] <= manifest["ended"] and manifest["host"]
        assert manifest["git"]["commit"]
    assert dir_manifest["artifact"].endswith("adapter") and file_manifest["artifact"].endswith("train.parquet")


def test_logged_gives_torch_the_threads_snakemake_reserved(tmp_path):
    import torch

    job = fake_job(tmp_path)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        with logged(job):
            assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_failed_block_writes_no_manifest(tmp_path):
    job = fake_job(tmp_path)
    with pytest.raises(RuntimeError):
        with logged(job):
            (tmp_path / "out").mkdir()
            (tmp_path / "out" / "train.parquet").write_bytes(b"partial")
            raise RuntimeError("boom")
    assert not (tmp_path / "out" / "train.parquet.manifest.json").exists()
    assert "rule train failed" in (tmp_path / "job.log").read_text()


def test_write_job_manifests_skips_outputs_that_do_not_exist(tmp_path):
    job = fake_job(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "train.parquet").write_bytes(b"rows")
    assert write_job_manifests(job, "2024-01-01T00:00:00+00:00") == [tmp_path / "out" / "train.parquet.manifest.json"]


@pytest.mark.slow
def test_workflow_jobs_leave_manifests_and_never_trigger_reruns(tmp_path):
    """One source through ingest -> gather -> clean in the real Snakefile."""
    workdir = scratch_workdir(tmp_path / "wd")
    target = "results/sources/haskell_book/clean.parquet"
    snakemake(workdir, "--cores", "2", target, timeout=600)
    manifest = read_manifest(workdir / target)
    assert manifest["rule"] == "clean" and manifest["wildcards"] == {"source": "haskell_book"}
    assert manifest["config"]["cfg"]["require_language"] is None  # the source's own override
    raw = workdir / "results" / "sources" / "haskell_book" / "raw.parquet"
    assert manifest["inputs"]["records"] == [{**fingerprint(raw), "path": "results/sources/haskell_book/raw.parquet"}]
    assert read_manifest(workdir / "results" / "sources" / "haskell_book" / "clean_stats.json")["rule"] == "clean"
    assert read_manifest(raw)["rule"] == "gather_source"
    proc = snakemake(workdir, "-n", target)
    assert "Nothing to be done" in proc.stdout + proc.stderr
