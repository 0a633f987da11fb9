"""Bad input stops the run with a message that names the culprit."""

from __future__ import annotations

import pytest
import yaml

from tests.workflow.run_workflow import scratch_workdir, snakemake


@pytest.fixture
def workdir(tmp_path):
    return scratch_workdir(tmp_path / "wd")


def run_with(workdir, overlay: dict, *args):
    (workdir / "overlay.yaml").write_text(yaml.safe_dump(overlay))
    proc = snakemake(workdir, *args, "--configfile", "overlay.yaml", check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_unknown_key_stops_before_any_job_naming_the_key(workdir):
    code, out = run_with(workdir, {"experiments": {"haskell-smollm2": {"training": {"lora_rnak": 8}}}}, "-n")
    assert code != 0 and "lora_rnak" in out
    assert "Building DAG" not in out or "rule ingest" not in out


def test_wrong_type_names_the_key(workdir):
    code, out = run_with(workdir, {"experiments": {"haskell-smollm2": {"training": {"max_steps": "many"}}}}, "-n")
    assert code != 0 and "'many' is not of type 'integer'" in out and "max_steps" in out


def test_missing_input_file_is_named(workdir):
    code, out = run_with(workdir, {"sources": {"stackoverflow_haskell": {"kind": "stackexchange",
                                                                     "path": "resources/sample/stackexchange/Gone.xml"}}}, "-n")
    assert code != 0 and "Gone.xml" in out and "Missing input" in out


def test_corrupted_shard_fails_its_ingest_naming_the_file(workdir):
    bad = workdir / "corrupt"
    bad.mkdir()
    (bad / "train-00000-of-00001.parquet").write_bytes(b"PAR1" + b"\x00garbage" * 100)
    code, out = run_with(
        workdir,
        {"sources": {"the_stack_haskell": {"kind": "the_stack", "files": ["corrupt/*.parquet"]}}},
        "--cores", "1", "results/sources/the_stack_haskell/raw.parquet",
    )
    log = (workdir / "logs" / "ingest" / "the_stack_haskell" / "train-00000-of-00001.log").read_text()
    assert code != 0
    assert "train-00000-of-00001.parquet" in log and "Error" in out
