"""DAG planning overhead: `snakemake -n` on 10 sources x 5 experiments (target: < 5 s).

    .venv/bin/python bench/dag_overhead.py              # 3 repetitions each
    .venv/bin/python bench/dag_overhead.py --repeat 5

A user adds sources and experiments to config/ and reruns; every invocation (and every SLURM
job's own parse) pays the time Snakemake needs to parse the workflow, validate the config and
build the DAG. This times full dry runs, in a scratch copy of the workflow with nothing built
yet (the worst case: every job is planned; the copy is the workflow tests' own), of
  - baseline: config/config.yaml as shipped (6 sources, 1 experiment), and
  - large:    10 sources x 5 experiments (the shipped sample sources under new names, and the
              default experiment with 5 LoRA ranks),
and prints the wall times, the number of planned jobs, and the ratio large / baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for the workflow tests' scratch copy, which this bench reuses
from tests.workflow.run_workflow import SNAKEMAKE, scratch_workdir  # noqa: E402

SOURCES, EXPERIMENTS = 10, 5


def large_config() -> dict:
    """config/config.yaml with its sources cycled under new names up to SOURCES, and its one
    experiment repeated with EXPERIMENTS different LoRA ranks."""
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    templates = [(name, cfg) for name, cfg in config["sources"].items() if not cfg.get("optional")]
    config["sources"] = {f"{name}_{i}": dict(cfg)
                         for i, (name, cfg) in ((i, templates[i % len(templates)])
                                                for i in range(SOURCES))}
    (name, experiment), = config["experiments"].items()
    config["experiments"] = {}
    for rank in [2 ** k for k in range(1, EXPERIMENTS + 1)]:
        variant = yaml.safe_load(yaml.safe_dump(experiment))
        variant.setdefault("training", {}).setdefault("lora", {})["r"] = rank
        config["experiments"][f"{name}-r{rank}"] = variant
    return config


def time_dry_run(workdir: Path, configfile: Path, repeat: int) -> tuple[list[float], int]:
    times, jobs = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.run([str(SNAKEMAKE), "-n", "--cores", "2",
                               "--configfile", str(configfile), "--replace-workflow-config"],
                              cwd=workdir, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            sys.exit(f"dry run with {configfile} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        jobs = _total_jobs(proc.stdout + proc.stderr)
    return times, jobs


def _total_jobs(output: str) -> int:
    """The `total N` line of Snakemake's job-count table."""
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "total" and parts[1].isdigit():
            return int(parts[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dag-overhead-") as tmp:
        workdir = scratch_workdir(Path(tmp) / "workflow")
        large = Path(tmp) / "large.yaml"
        large.write_text(yaml.safe_dump(large_config(), sort_keys=False))
        base_times, base_jobs = time_dry_run(workdir, REPO / "config/config.yaml", args.repeat)
        large_times, large_jobs = time_dry_run(workdir, large, args.repeat)
    base, big = statistics.median(base_times), statistics.median(large_times)
    print(f"baseline  config/config.yaml (6 sources x 1 experiment): {base:6.2f} s median "
          f"of {args.repeat}, {base_jobs} jobs planned")
    print(f"large     {SOURCES} sources x {EXPERIMENTS} experiments:            {big:6.2f} s median "
          f"of {args.repeat}, {large_jobs} jobs planned")
    print(f"ratio large / baseline: {big / base:.2f}x   target: large < 5 s -> "
          f"{'met' if big < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
