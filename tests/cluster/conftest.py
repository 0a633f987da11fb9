"""The `slurm_cluster` fixture: one real local SLURM cluster shared by the whole session.

Tests that use it are marked `cluster` and `slow` automatically (deselect with -m "not cluster").
It needs root and apt-get (it installs slurm-wlm, munge, slurmdbd, mariadb-server if missing);
elsewhere those tests are skipped with the reason.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; import the module beside us

from slurm_cluster import LocalSlurmCluster, why_cluster_unavailable  # noqa: E402


def pytest_collection_modifyitems(items):
    for item in items:
        if "slurm_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.cluster)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def slurm_cluster():
    """A started LocalSlurmCluster (partitions `debug` and `gpu`, one fake GPU, account
    `budgetai`); stopped, and /etc/slurm restored, after the session."""
    reason = why_cluster_unavailable()
    if reason:
        pytest.skip(reason)
    with LocalSlurmCluster() as cluster:
        yield cluster
