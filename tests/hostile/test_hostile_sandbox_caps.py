"""The sandbox capped as a whole (issue 26, items 1 and 7): forked children, SysV shared memory,
hundreds of thousands of empty files and a Template Haskell splice that spawns processes all
count against one memory cap per run (a cgroup) and end as memory_exceeded; runs record which
caps hold; no two runs, of one evaluator or of two, share a throw-away uid."""

import multiprocessing
import os
import textwrap
import time
from pathlib import Path

import pytest

from budgetai.evaluate.scoring import score_sample
from budgetai.haskell import cgroup, sandbox
from budgetai.haskell.cgroup import RunGroup
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import SandboxLimits, run_sandboxed, sandbox_backend
from budgetai.suites.load import Problem

needs_bwrap = pytest.mark.skipif(sandbox_backend() != "bwrap", reason="bubblewrap does not work here")
needs_cgroups = pytest.mark.skipif(not cgroup.group_caps().startswith("cgroup"),
                                   reason="no writable cgroups here")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="throw-away uids are used only as root")
LIMITS = SandboxLimits(memory_mb=256, nproc=32, cpu_s=20, wall_s=30, tmpfs_mb=128)

EIGHT_CHILDREN_EACH_UNDER_THE_CAP = """\
import os, time
children = []
for n in range(6):  # 6 x 80 MiB, each far below the 256 MB per-process limit
    pid = os.fork()
    if pid == 0:
        block = b"x" * (80 << 20)
        time.sleep(1.5)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
print("done")
"""

SYSV_SHARED_MEMORY = """\
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
for n in range(5):  # 5 segments of 100 MiB, each filled by a child that then detaches
    pid = os.fork()
    if pid == 0:
        segment = libc.shmget(0, 100 << 20, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
        address = libc.shmat(segment, None, 0)
        ctypes.memset(address, 1, 100 << 20)
        libc.shmdt(ctypes.c_void_p(address))
        os._exit(0)
    os.waitpid(pid, 0)
print("done")
"""

EMPTY_FILES = """\
import os
os.mkdir("/tmp/f")
for n in range(150_000):  # empty: no tmpfs byte cap sees them, their inodes are kernel memory
    open(f"/tmp/f/{n}", "w").close()
print("made", n + 1)
"""

TEMPLATE_HASKELL_SPAWNS = """\
{-# LANGUAGE TemplateHaskell #-}
import Language.Haskell.TH (runIO, stringE)
import System.Process (spawnProcess, waitForProcess)

main :: IO ()
main = putStrLn $(runIO (do
  let hog = "import time; block = b'x' * (250 << 20); time.sleep(2)"
  children <- mapM (const (spawnProcess "python3" ["-c", hog])) [1 .. 3 :: Int]
  mapM_ waitForProcess children) >> stringE "done")
"""


def _python(workdir: Path, source: str, limits: SandboxLimits = LIMITS):
    (workdir / "prog.py").write_text(textwrap.dedent(source))
    started = time.monotonic()
    result = run_sandboxed(["python3", "prog.py"], workdir, limits)
    return result, time.monotonic() - started


@needs_bwrap
@needs_cgroups
@pytest.mark.parametrize("source", [EIGHT_CHILDREN_EACH_UNDER_THE_CAP, SYSV_SHARED_MEMORY],
                         ids=["forked_children", "sysv_shared_memory"])
def test_memory_held_together_past_the_cap_is_memory_exceeded(work, source):
    result, _ = _python(work, source)
    assert result.status == "memory_exceeded", (result.status, result.stdout, result.stderr[-300:])
    assert result.caps.startswith("cgroup") and result.peak_memory_mb <= LIMITS.memory_mb + 1


@needs_bwrap
@needs_cgroups
def test_a_flood_of_empty_files_is_capped_by_the_memory_of_their_inodes(work):
    result, _ = _python(work, EMPTY_FILES, SandboxLimits(memory_mb=128, nproc=32, cpu_s=20,
                                                          wall_s=30, tmpfs_mb=128))
    assert result.status == "memory_exceeded", (result.status, result.stdout, result.stderr[-300:])
    assert b"made 150000" not in result.stdout


@needs_bwrap
@needs_cgroups
def test_within_the_cap_a_run_is_ok_and_its_group_is_gone(work):
    result, _ = _python(work, "block = b'x' * (50 << 20)\nprint('fine')\n")
    assert result.status == "ok" and result.stdout == b"fine\n"
    assert 50 <= result.peak_memory_mb <= LIMITS.memory_mb
    assert not [p for p in Path("/sys/fs/cgroup/memory").rglob("budgetai-sandbox-*")
                if p.name.startswith(f"budgetai-sandbox-{os.getpid()}-")]


@needs_bwrap
@needs_cgroups
@pytest.mark.ghc
@pytest.mark.slow
def test_template_haskell_splice_that_spawns_memory_hogs_fails_the_compile():
    problem = Problem(id="hogs", prompt="", tests=[{"input": "", "output": "done"}],
                      language="haskell", format="stdio")
    cfg = ExecutionConfig.from_dict({"compile_limits": {"memory_mb": 640}})
    result = score_sample(problem, 0, f"```haskell\n{TEMPLATE_HASKELL_SPAWNS}```", cfg)
    assert result.compile_error_class == "memory_exceeded" and not result.passed, (
        result.status, result.compile_stderr[-500:])


@needs_bwrap
def test_without_cgroups_runs_still_work_and_say_which_caps_hold(work, monkeypatch):
    monkeypatch.setattr(sandbox, "group_caps", lambda: "none (test): per-process limits only")
    result, _ = _python(work, "print('fine')\n")
    assert result.status == "ok" and result.caps == "none (test): per-process limits only"


def test_eval_result_records_the_caps_beside_the_backend():
    assert ExecutionConfig.sandbox_caps() == cgroup.group_caps()
    assert ExecutionConfig.sandbox_caps().startswith(("cgroup v1", "cgroup v2", "none ("))


def test_cgroup_v2_group_is_made_under_our_own_cgroup_with_both_caps(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroup, "_own_cgroup", lambda controller: "evaluator.scope")
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    (tmp_path / "evaluator.scope").mkdir()
    (tmp_path / "evaluator.scope" / "cgroup.subtree_control").write_text("memory pids\n")
    group = RunGroup.create(memory_mb=300, pids=40, root=tmp_path)
    assert group.version == 2 and group.memory_dir.parent == tmp_path / "evaluator.scope"
    assert (group.memory_dir / "memory.max").read_text() == str(300 << 20)
    assert (group.memory_dir / "pids.max").read_text() == "40"
    assert str(group.memory_dir / "cgroup.procs") in group.join_argv()
    assert not group.oom_killed()
    (group.memory_dir / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.oom_killed()


def test_cgroup_v2_without_memory_delegated_falls_back_to_v1_or_none(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroup, "_own_cgroup", lambda controller: "")
    (tmp_path / "cgroup.controllers").write_text("memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("cpu\n")
    assert RunGroup.create(memory_mb=300, pids=40, root=tmp_path) is None


def _claim_and_hold(start, ready, release, claimed):
    sandbox.random.randrange = lambda span: start
    with sandbox._claimed_uid() as uid:
        claimed.put(uid)
        ready.set()
        release.wait(30)


@needs_root
def test_a_uid_held_by_another_evaluator_process_is_never_handed_out(monkeypatch):
    """Two evaluators that would start their search at the same uid (the old pid * 97 + counter
    scheme collided, and one's timeout killed the other's program) get different uids."""
    context = multiprocessing.get_context("fork")
    ready, release, claimed = context.Event(), context.Event(), context.Queue()
    other = context.Process(target=_claim_and_hold, args=(123, ready, release, claimed))
    other.start()
    try:
        assert ready.wait(30)
        monkeypatch.setattr(sandbox.random, "randrange", lambda span: 123)
        with sandbox._claimed_uid() as mine:
            assert mine != claimed.get(timeout=5)
    finally:
        release.set()
        other.join(30)
    with sandbox._claimed_uid() as mine:  # released with its holder
        assert mine == sandbox._UID_BASE + 123
