from pathlib import Path

import pytest

from tests.workflow.run_workflow import scratch_workdir, snakemake


@pytest.fixture(scope="session")
def smoke_workdir(tmp_path_factory) -> Path:
    """One real end-to-end run of the smoke config, shared by the workflow tests."""
    workdir = scratch_workdir(tmp_path_factory.mktemp("smoke"))
    snakemake(workdir, "--cores", "2", "--configfile", "config/smoke.yaml", timeout=2400)
    return workdir


@pytest.fixture(scope="session")
def smoke_run(smoke_workdir) -> Path:
    return smoke_workdir / "results"
