import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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
