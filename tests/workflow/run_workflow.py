"""Run the real workflow in a scratch copy of the repo (results never land in the checkout).

The copy holds its own Snakefile, workflow/ and profiles/ (so a test may edit rule code there) and
links to the repo's config/, resources/ and src/ (read-only inputs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def scratch_workdir(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "Snakefile", tmp / "Snakefile")
    for name in ("workflow", "profiles"):
        if not (tmp / name).exists():
            shutil.copytree(REPO / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("config", "resources", "src", "envs"):
        if not (tmp / name).exists():
            (tmp / name).symlink_to(REPO / name)
    return tmp


def snakemake(workdir: Path, *args: str, timeout: int = 1800, check: bool = True, env: dict | None = None):
    cmd = [str(SNAKEMAKE), *args]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout, env=full_env)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
        )
    return proc


JOB_HEADER = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):$")


def dry_run_jobs(workdir: Path, *args: str) -> list[tuple[str, dict]]:
    """[(rule, wildcards)] of every job a dry run would execute."""
    proc = snakemake(workdir, "-n", *args)
    jobs, rule = [], None
    for line in (proc.stdout + proc.stderr).splitlines():
        line = line.strip()
        header = JOB_HEADER.match(line)
        if header:
            rule = header.group(1)
            jobs.append((rule, {}))
        elif rule and line.startswith("wildcards:"):
            pairs = [p.split("=", 1) for p in line.removeprefix("wildcards:").split(", ") if "=" in p]
            jobs[-1] = (rule, {k.strip(): v.strip() for k, v in pairs})
    return [(r, w) for r, w in jobs if r != "all"]
