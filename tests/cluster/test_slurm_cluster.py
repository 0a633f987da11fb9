"""Workflows run through `snakemake --profile slurm` on a real local SLURM cluster.

The profile is installed by `budgetai install-profile` into a temporary XDG_CONFIG_HOME, exactly
as a user would on a cluster; every non-local rule must come back as a COMPLETED SLURM job.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from budgetai.commands import install_profile as slurm_profile
from tests.workflow.run_workflow import scratch_workdir
from slurm_cluster import CPU_PARTITION, GPU_PARTITION, node_resources

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
# Test-only speedups: the plugin's first status check waits 40 s by default and later rounds
# 10 s; a local filesystem needs no latency wait; a failure should fail the test at once.
FAST_POLLING = ["--slurm-init-seconds-before-status-checks", "2", "--seconds-between-status-checks",
                "2", "--latency-wait", "5", "--retries", "0"]
SUBMITTED = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (\S+?)\)\.")

TOY_SNAKEFILE = """
localrules: all

rule all:
    input: "results/summary.txt"

rule make:
    output: "results/{name}.txt"
    shell: "echo {wildcards.name} $SLURM_JOB_ID $SLURM_JOB_PARTITION > {output}"

rule gpu_step:
    input: expand("results/{name}.txt", name=["a", "b"])
    output: "results/gpu.txt"
    resources: gpu=1
    shell: "cat {input} > {output}; echo cuda=$CUDA_VISIBLE_DEVICES $SLURM_JOB_ID $SLURM_JOB_PARTITION >> {output}"

rule summarize:
    input: "results/gpu.txt"
    output: "results/summary.txt"
    shell: "cat {input} > {output}; echo $SLURM_JOB_ID >> {output}"
"""


@dataclass(frozen=True)
class SubmittedJob:
    rule: str
    slurm_id: str
    log: Path


def submitted_jobs(output: str) -> list[SubmittedJob]:
    """The SLURM submissions a snakemake run logged; the rule comes from the plugin's log
    path (.snakemake/slurm_logs/rule_<rule>/<wildcards>/<id>.log)."""
    jobs = []
    for _, slurm_id, log in SUBMITTED.findall(output):
        rule = re.search(r"/rule_([^/]+)/", log).group(1)
        jobs.append(SubmittedJob(rule, slurm_id, Path(log)))
    return jobs


def run_snakemake(args: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int, str]:
    """Run snakemake; on timeout stop it with SIGINT (which cancels its SLURM jobs, unlike
    SIGTERM, which waits for them), kill its own process group if it still runs 2 minutes
    later (a local run waits for its running jobs), and fail the test with the output."""
    proc = subprocess.Popen([str(SNAKEMAKE), *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own group: ours alone to kill
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
        pytest.fail(f"snakemake {' '.join(args)} ran over {timeout} s:\n{output[-5000:]}")
    return proc.returncode, output


def install_slurm_profile(xdg: Path, account: str) -> Path:
    """`budgetai install-profile slurm ...` through the subcommand's own argparse wiring."""
    parser = argparse.ArgumentParser(prog="budgetai")
    slurm_profile.add_cli(parser.add_subparsers())
    args = parser.parse_args(["install-profile", "slurm", "--account", account,
                              "--partition", CPU_PARTITION, "--gpu-partition", GPU_PARTITION])
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(xdg)
    try:
        assert args.run(args) == 0
    finally:
        os.environ.pop("XDG_CONFIG_HOME") if old is None else os.environ.update(XDG_CONFIG_HOME=old)
    return xdg / "snakemake" / "slurm" / "config.yaml"


@pytest.fixture
def slurm_env(tmp_path, slurm_cluster) -> dict:
    """Environment whose `--profile slurm` resolves to a freshly installed profile."""
    xdg = tmp_path / "xdg"
    assert install_slurm_profile(xdg, slurm_cluster.account).is_file()
    return {**os.environ, "XDG_CONFIG_HOME": str(xdg)}


RULE_LINE = re.compile(r"^\s*(local)?rule (\w+):", re.MULTILINE)


def assert_every_remote_rule_submitted(jobs: list[SubmittedJob], output: str) -> None:
    """Every job snakemake announced as `rule X:` (not `localrule X:`) went to sbatch."""
    remote = sorted(rule for local_flag, rule in RULE_LINE.findall(output) if not local_flag)
    assert remote and sorted(job.rule for job in jobs) == remote, output[-5000:]
    # The installed profile's account reached sbatch (a workflow profile that sets its own
    # default-resources replaces the profile's, account included, and the plugin then guesses).
    assert "No SLURM account given" not in output, "slurm_account was dropped: " \
        "profiles/default/config.yaml must not set default-resources"


def assert_all_completed(slurm_cluster, jobs: list[SubmittedJob], output: str) -> dict:
    states = slurm_cluster.job_states(job.slurm_id for job in jobs)
    assert sorted(states) == sorted(job.slurm_id for job in jobs), output[-3000:]
    bad = {i: s for i, s in states.items() if s.state != "COMPLETED" or s.exit_code != "0:0"}
    assert not bad, f"jobs not COMPLETED: {bad}\n{output[-3000:]}"
    return states


def test_toy_workflow_runs_every_rule_as_a_slurm_job(tmp_path, slurm_cluster, slurm_env):
    workdir = tmp_path / "toy"
    workdir.mkdir()
    (workdir / "Snakefile").write_text(TOY_SNAKEFILE)

    rc, output = run_snakemake(["--profile", "slurm", *FAST_POLLING], workdir, slurm_env, 300)

    assert rc == 0, output[-5000:]
    jobs = submitted_jobs(output)
    assert sorted(job.rule for job in jobs) == ["gpu_step", "make", "make", "summarize"], output
    assert_every_remote_rule_submitted(jobs, output)
    assert "localrule all:" in output  # the parse tells local rules apart
    states = assert_all_completed(slurm_cluster, jobs, output)
    # partitions.yaml from install-profile routed the gpu=1 rule, and only it, to the GPU partition
    by_rule = {job.rule: states[job.slurm_id].partition for job in jobs}
    assert by_rule == {"make": CPU_PARTITION, "gpu_step": GPU_PARTITION,
                       "summarize": CPU_PARTITION}
    # each output was written inside its own SLURM job; the GPU job saw the fake GPU
    gpu_id = next(job.slurm_id for job in jobs if job.rule == "gpu_step")
    assert f"cuda=0 {gpu_id} {GPU_PARTITION}" in (workdir / "results/gpu.txt").read_text()
    make_ids = {job.slurm_id for job in jobs if job.rule == "make"}
    written_by = {(workdir / f"results/{n}.txt").read_text().split()[1] for n in "ab"}
    assert written_by == make_ids
    assert all(job.log.is_file() for job in jobs)  # slurm-keep-successful-logs kept them


# ---- the project's own workflow, smoke config, through SLURM vs locally ----

SMOKE_CONFIG = "config/smoke.yaml"
# The smoke run takes a few minutes on an idle 2-core machine, but far longer when other runs
# share it; a generous limit keeps a loaded machine from failing the test.
SLURM_TIMEOUT = 3600
# JSON keys whose values legitimately differ between two runs of the same DAG: wall-clock, memory
# and FLOP-rate measurements, and the provenance of the process that ran a job (host, pid, whether the
# checkout had uncommitted edits when that job started).
TIMING_KEY = re.compile(r"time|second|duration|elapsed|runtime|timestamp|date|_at$|speed|"
                        r"throughput|per_s$|^started$|^ended$|rss|host|pid|^git$|gflops|share_of_matmul",
                        re.IGNORECASE)
# Keys whose list values are sets written in the process's (hash-seeded) iteration order.
SET_VALUED_KEY = {"target_modules"}

def fit_workflow_profile_to_node(workdir: Path, cpus: int, memory_mb: int) -> None:
    """Cap the copy's per-rule mem_mb and cpus_per_gpu at what the one test node has: sbatch
    rejects requests no node can satisfy (the real profile asks for cluster-sized nodes)."""
    path = workdir / "profiles/default/config.yaml"
    profile = yaml.safe_load(path.read_text())
    sections = [profile.get("default-resources") or {}, *(profile.get("set-resources") or {}).values()]
    for resources in sections:
        if "mem_mb" in resources:
            resources["mem_mb"] = min(int(resources["mem_mb"]), memory_mb)
        if "cpus_per_gpu" in resources:
            resources["cpus_per_gpu"] = min(int(resources["cpus_per_gpu"]), cpus)
    path.write_text(yaml.safe_dump(profile, sort_keys=False))


def normalized(value, root: str):
    """JSON-like value with timing keys dropped and the run's own directory replaced."""
    if isinstance(value, dict):
        return {k: sorted(v) if k in SET_VALUED_KEY and isinstance(v, list) else normalized(v, root)
                for k, v in value.items() if not TIMING_KEY.search(k)}
    if isinstance(value, list):
        return [normalized(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(root, "<ROOT>")
    return value


def comparable(path: Path, root: Path):
    """What must be equal between two runs for this output file, or None (binary, HTML, ...)."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        if "id" in table.column_names:
            table = table.sort_by("id")
        return normalized(table.to_pylist(), str(root))
    if path.name.endswith(".manifest.json"):
        # Its `inputs` are checksums of files compared here on their own; a directory's checksum
        # (an adapter's) also covers its measurement files (tokens/s, peak RSS), which differ.
        manifest = json.loads(path.read_text())
        manifest.pop("inputs", None)
        return normalized(manifest, str(root))
    if path.suffix == ".json":
        return normalized(json.loads(path.read_text()), str(root))
    if path.suffix == ".jsonl":
        return [normalized(json.loads(line), str(root))
                for line in path.read_text().splitlines() if line.strip()]
    return None


# TensorBoard names its event files events.out.tfevents.<unix time>.<host>.<pid>.<n>: which
# file it is, not what it holds, differs between two runs.
TENSORBOARD_EVENTS = re.compile(r"(events\.out\.tfevents)\.\d+\.[^/]+$")


def result_files(root: Path) -> set[Path]:
    return {Path(TENSORBOARD_EVENTS.sub(r"\1.<time>.<host>.<pid>", str(p.relative_to(root / "results"))))
            for p in (root / "results").rglob("*") if p.is_file()}


def assert_same_results(local: Path, slurm: Path) -> int:
    """Both runs wrote the same result files with equal content; returns the number compared."""
    files, other = result_files(local), result_files(slurm)
    assert files == other, f"only local: {sorted(files - other)}; only SLURM: {sorted(other - files)}"
    compared = 0
    for rel in sorted(files):
        want = comparable(local / "results" / rel, local)
        if want is not None:
            assert comparable(slurm / "results" / rel, slurm) == want, f"results/{rel} differs"
            compared += 1
    return compared


def test_smoke_config_through_slurm_matches_a_local_run(tmp_path, slurm_cluster, slurm_env,
                                                        smoke_workdir):
    # smoke_workdir is the session's local run of the same config, in the same kind of scratch
    # copy (tests/workflow/run_workflow.py); this test adds only the cluster run.
    local = smoke_workdir
    slurm = scratch_workdir(tmp_path / "slurm")
    fit_workflow_profile_to_node(slurm, *node_resources())
    rc, output = run_snakemake(["--profile", "slurm", "--configfile", SMOKE_CONFIG,
                                *FAST_POLLING], slurm, slurm_env, SLURM_TIMEOUT)
    assert rc == 0, output[-5000:]

    jobs = submitted_jobs(output)
    assert_every_remote_rule_submitted(jobs, output)
    assert_all_completed(slurm_cluster, jobs, output)
    print(f"SLURM jobs: {[(job.rule, job.slurm_id) for job in jobs]}")
    assert assert_same_results(local, slurm) > 0
