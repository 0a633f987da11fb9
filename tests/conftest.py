import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.workflow.run_workflow import scratch_workdir, snakemake

pytest_plugins = ["tests.model_fixtures"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def work():
    """A fresh work dir under the system temp dir (0700 pytest dirs are unreachable for the
    unshare backend's spare uid)."""
    path = Path(tempfile.mkdtemp(prefix="budgetai-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Real data nobody here wrote (../shared/realdata). Tests receive its path from here;
    BUDGETAI_SHARED overrides the location."""
    path = Path(os.environ.get("BUDGETAI_SHARED", REPO.parent / "shared"))
    if not (path / "realdata").is_dir():
        pytest.skip(f"shared real data not found at {path} (set BUDGETAI_SHARED)")
    return path


@pytest.fixture(scope="session")
def smoke_workdir(tmp_path_factory) -> Path:
    """One real end-to-end run of the smoke config in a scratch copy of the workflow, shared by
    the workflow tests (which dry-run changes against it) and the SLURM test (which compares its
    cluster run with this local one)."""
    workdir = scratch_workdir(tmp_path_factory.mktemp("smoke"))
    snakemake(workdir, "--cores", "2", "--configfile", "config/smoke.yaml", timeout=2400)
    return workdir


@pytest.fixture(scope="session")
def smoke_run(smoke_workdir) -> Path:
    return smoke_workdir / "results"
