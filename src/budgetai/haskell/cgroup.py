"""One control group per sandboxed run, so the sandbox is capped as a whole (issue 26): RLIMIT_AS
and RLIMIT_NPROC are per process and per uid, and 8 forked children, SysV shared memory or 420k
empty files each took gigabytes of host memory past them. The group caps what all its processes
hold together (their memory, the shared memory and tmpfs pages they touch, the kernel memory of
the inodes they create) and how many processes and threads it has.

    group = RunGroup.create(memory_mb=512, pids=32)   # None where no cgroup can be made here
    argv = group.join_argv() + argv                    # the command enters the group, then execs
    ...; group.oom_killed(); group.kill_all(); group.remove()

Both hierarchies are handled: cgroup v2 (a child of our own cgroup with memory and pids in its
parent's subtree_control) and cgroup v1 (memory and pids hierarchies, as on hosts that mount
only hugetlb on the unified tree). `group_caps()` says which one this host gives, or "none" with
why: the caller records it, as it records the sandbox backend.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()


@dataclass
class RunGroup:
    """The cgroup directories of one run: one (v2) or one per controller (v1: memory, pids)."""

    version: int
    memory_dir: Path
    pids_dir: Path

    @classmethod
    def create(cls, memory_mb: int, pids: int, root: Path = CGROUP_ROOT) -> "RunGroup | None":
        """A fresh group with these caps, or None where this host gives none (logged once)."""
        name = f"budgetai-sandbox-{os.getpid()}-{next(_counter)}"
        for make in (_create_v2, _create_v1):
            try:
                group = make(root, name)
            except OSError as err:
                log.debug("cgroup %s: %s", make.__name__, err)
                continue
            if group is None:
                continue
            try:
                group._set_limits(memory_mb, pids)
            except OSError:
                group.remove()
                continue
            return group
        return None

    def _set_limits(self, memory_mb: int, pids: int) -> None:
        limit = memory_mb * 1024 * 1024
        if self.version == 2:
            _write(self.memory_dir / "memory.max", limit)
            _write(self.memory_dir / "memory.swap.max", 0, optional=True)
            _write(self.pids_dir / "pids.max", pids)
        else:
            _write(self.memory_dir / "memory.limit_in_bytes", limit)
            _write(self.memory_dir / "memory.memsw.limit_in_bytes", limit, optional=True)
            _write(self.pids_dir / "pids.max", pids)

    def join_argv(self) -> list[str]:
        """A prefix that moves the command into the group before it execs: every process it
        starts is born inside."""
        procs = sorted({self.memory_dir / "cgroup.procs", self.pids_dir / "cgroup.procs"})
        script = 'for f in "$1" "$2"; do echo $$ > "$f" || exit 125; done; shift 2; exec "$@"'
        return ["sh", "-c", script, "sh", str(procs[0]), str(procs[-1])]

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the group for going over its memory cap."""
        events = "memory.events" if self.version == 2 else "memory.oom_control"
        return _counter_in(self.memory_dir / events, "oom_kill") > 0

    def peak_mb(self) -> float:
        """The most memory the group held at once, where the kernel reports it (else 0)."""
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.memory_dir / name).read_text()) / (1024 * 1024)
        except (OSError, ValueError):
            return 0.0

    def kill_all(self) -> None:
        """SIGKILL every process still in the group (processes that left the sandbox's pid
        tree, e.g. daemons of a forked program)."""
        if self.version == 2 and (self.memory_dir / "cgroup.kill").exists():
            _write(self.memory_dir / "cgroup.kill", 1, optional=True)
        for _ in range(100):
            pids = _pids_in(self.memory_dir) | _pids_in(self.pids_dir)
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        """Remove the group's directories (retried: a killed process leaves a moment late)."""
        for directory in {self.memory_dir, self.pids_dir}:
            for _ in range(100):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
            else:
                log.warning("cgroup %s could not be removed", directory)


@functools.lru_cache(maxsize=None)
def group_caps() -> str:
    """Which whole-sandbox caps runs get here: "cgroup v2: memory, pids",
    "cgroup v1: memory, pids", or "none (...)" naming why (then only the per-process limits
    hold: address space, CPU, processes per uid, file size, and the tmpfs sizes)."""
    group = RunGroup.create(memory_mb=64, pids=8)
    if group is None:
        why = ("not root" if os.geteuid() != 0 else
               f"no writable memory and pids cgroup under {CGROUP_ROOT}")
        log.warning("sandbox: no cgroup can be made here (%s): memory and process caps hold per "
                    "process only, not for the sandbox as a whole", why)
        return f"none ({why}): per-process limits only"
    group.remove()
    return f"cgroup v{group.version}: memory, pids"


def _own_cgroup(controller: str | None) -> str:
    """Our cgroup path in a hierarchy: controller None is the v2 (unified) one."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, controllers, path = line.split(":", 2)
        if (controller is None and number == "0") or controller in controllers.split(","):
            return path.lstrip("/")
    raise FileNotFoundError(f"/proc/self/cgroup: no {controller or 'v2'} hierarchy")


def _create_v2(root: Path, name: str) -> RunGroup | None:
    unified = root if (root / "cgroup.controllers").exists() else root / "unified"
    parent = unified / _own_cgroup(None)
    enabled = set((parent / "cgroup.subtree_control").read_text().split())
    if not {"memory", "pids"} <= enabled:
        return None  # enabling them needs our cgroup to hold no process: not ours to rearrange
    directory = parent / name
    directory.mkdir()
    return RunGroup(2, directory, directory)


def _create_v1(root: Path, name: str) -> RunGroup | None:
    memory, pids = root / "memory", root / "pids"
    if not (memory / "memory.limit_in_bytes").exists() or not (pids / "cgroup.procs").exists():
        return None
    memory_dir = memory / _own_cgroup("memory") / name
    pids_dir = pids / _own_cgroup("pids") / name
    memory_dir.mkdir()
    try:
        pids_dir.mkdir()
    except OSError:
        memory_dir.rmdir()
        raise
    return RunGroup(1, memory_dir, pids_dir)


def _write(path: Path, value: int, optional: bool = False) -> None:
    try:
        path.write_text(str(value))
    except OSError:
        if not optional:
            raise


def _counter_in(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _pids_in(directory: Path) -> set[int]:
    try:
        return {int(pid) for pid in (directory / "cgroup.procs").read_text().split()}
    except (OSError, ValueError):
        return set()
