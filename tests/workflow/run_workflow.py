"""Run the real Snakefile in a scratch directory (results never land in the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def scratch_workdir(tmp: Path) -> Path:
    """A work directory that sees the repo's config and resources (read-only inputs)."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("config", "resources"):
        link = tmp / name
        if not link.exists():
            link.symlink_to(REPO / name)
    return tmp


def snakemake(workdir: Path, *args: str, timeout: int = 1800, check: bool = True) -> subprocess.CompletedProcess:
    cmd = [str(SNAKEMAKE), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir), *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc


def dry_run_jobs(workdir: Path, *args: str) -> dict[str, int]:
    """{rule: job count} from a dry run's job table."""
    proc = snakemake(workdir, "-n", "--quiet", "rules", *args)
    counts: dict[str, int] = {}
    in_table = False
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts[:2] == ["job", "count"]:
            in_table = True
            continue
        if in_table and len(parts) == 2 and parts[1].isdigit() and parts[0] != "total":
            counts[parts[0]] = int(parts[1])
    return counts
