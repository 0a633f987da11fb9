"""Run untrusted programs (model completions, their compilers) inside a sandbox.

Backends:
- "bwrap": bubblewrap with every namespace unshared (no network, own pid tree), read-only /usr
  (plus the caller's extra read-only binds), a private size-capped /tmp, and a private
  size-capped work area (a tmpfs) seen inside as /sandbox, where the files of the host work
  directory appear read-only. Nothing the program writes reaches the host except the one file a
  caller asks to `keep` (a compiled program), so a program that fills its work area gets "No
  space left on device" and the host disk is untouched. When we are root we first drop to a
  throw-away uid (setpriv), so RLIMIT_NPROC counts only this sandbox's processes.
- "unshare": util-linux unshare (new net + pid namespace) + setpriv + prlimit. Root only and much
  weaker: the filesystem is the host's (/etc/passwd, the repository, the host's /tmp), guarded
  only by the unprivileged uid's permissions, and the work directory has no total size cap. It
  is therefore never chosen on its own: only a caller that names it (`backend="unshare"`, the
  execution config's `backend: unshare`) gets it.
- "none": nothing usable; `run_sandboxed` refuses unless the caller passes allow_unsandboxed=True.
`sandbox_backend()` says which backend a caller that names none gets here: "bwrap" or "none".

Limits: address space (RLIMIT_AS), CPU seconds, processes, file size (all via prlimit), all bytes
written (the sizes of the work area and /tmp, bwrap only), a wall clock timeout that SIGKILLs the
whole sandbox, and a cap on captured output (the program is killed once it writes more). Where
this host lets us make cgroups (budgetai.haskell.cgroup), each run is also one group capped as a
whole: memory_mb for everything its processes hold together (shared memory, tmpfs pages and the
kernel memory of its files included; going over it is `memory_exceeded`) and nproc processes
plus the wrappers'. `SandboxResult.caps` records which of these hold (`cgroup_caps()`), as
`backend` records the backend. Every backend has its own IPC namespace (SysV shared memory is
private and dies with the run).
`SandboxResult.cpu_s` is the CPU time of the program and every descendant it waited for, under
every backend. The environment is empty apart from PATH, HOME and LANG.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import re
import selectors
import shutil
import signal
import random
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from budgetai.haskell.cgroup import RunGroup, group_caps

log = logging.getLogger(__name__)

SANDBOX_DIR = "/sandbox"  # where the work directory appears inside the bwrap backend
PATH_ENV = "/usr/bin:/bin"
# Throw-away uids for sandboxed processes: one per concurrent run, so RLIMIT_NPROC (counted per
# real uid) is this run's budget alone and no two runs can touch each other's files. A run holds
# a lock on its uid (a file per uid in _UID_LOCK_DIR) for as long as it lasts, so no other run,
# of this evaluator or another one on the host, gets the same uid; a timeout, which kills every
# process of its uid, then kills only its own.
_UID_BASE, _UID_SPAN = 200_000, 50_000
_UID_LOCK_DIR = Path("/run/budgetai-sandbox-uids")
# Processes the wrappers add to a run's cgroup on top of the program's nproc (sh, prlimit, bwrap
# and its pid 1, the keep wrapper, setpriv).
_WRAPPER_PROCESSES = 8

MB = 1024 * 1024
# What allocators print when RLIMIT_AS refuses them (GHC RTS, Python, glibc/C++, shells).
_OOM_PATTERNS = re.compile(
    rb"out of memory|Heap exhausted|MemoryError|Cannot allocate memory|bad_alloc"
    rb"|failed to mmap|mmap .* failed|memory allocation failed|xmalloc",
    re.IGNORECASE,
)
# What a write into a full work area (or /tmp) reports: GHC's RTS, Python, coreutils, the linker.
_DISK_FULL_PATTERNS = re.compile(rb"No space left on device|ENOSPC|Errno 28")


class SandboxUnavailableError(RuntimeError):
    """No sandbox backend works here and the caller did not allow unsandboxed execution."""


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits for one sandboxed run (defaults suit a compiled test program)."""

    # RLIMIT_AS of each process (GHC programs need >= 72 MiB of address space to start) and, where
    # cgroups can be made, the cap on all the run holds together (its cgroup's memory limit)
    memory_mb: int = 512
    cpu_s: int = 10  # RLIMIT_CPU soft limit (SIGXCPU), hard = soft + 1 (SIGKILL)
    wall_s: float = 20.0  # wall clock; then the whole process group is SIGKILLed
    nproc: int = 32  # RLIMIT_NPROC: processes + threads of the sandbox uid (and its cgroup's pids)
    fsize_mb: int = 64  # RLIMIT_FSIZE: largest file the program may write
    output_bytes: int = 1 << 20  # per stream; more than this and the program is killed
    tmpfs_mb: int = 128  # size of the private /tmp (bwrap backend)
    work_mb: int = 256  # size of the private work area at /sandbox (bwrap backend)


@dataclass
class SandboxResult:
    returncode: int
    stdout: bytes
    stderr: bytes
    wall_s: float
    timed_out: bool = False  # wall clock or CPU limit
    memory_exceeded: bool = False
    disk_exceeded: bool = False  # a write failed because the work area (or /tmp) is full
    output_truncated: bool = False
    killed_signal: int | None = None
    cpu_s: float = 0.0  # user + system CPU seconds of the sandboxed process tree
    backend: str = ""
    caps: str = ""  # whole-sandbox caps: "cgroup v1: memory, pids", or "none (...)"
    peak_memory_mb: float = 0.0  # the most the run's cgroup held at once (0: unknown)

    @property
    def oom(self) -> bool:
        return self.memory_exceeded

    @property
    def status(self) -> str:
        """One of ok, timeout, output_limit, memory_exceeded, disk_exceeded, signal,
        sandbox_error, runtime_error."""
        if self.timed_out:
            return "timeout"
        if self.output_truncated:
            return "output_limit"
        if self.memory_exceeded:
            return "memory_exceeded"
        if self.disk_exceeded:
            return "disk_exceeded"
        if self.returncode == 0:
            return "ok"
        if self.killed_signal is not None:
            return "signal"
        if self.backend == "bwrap" and self.stderr.startswith(b"bwrap: "):
            return "sandbox_error"
        return "runtime_error"


@functools.lru_cache(maxsize=None)
def sandbox_backend() -> str:
    """The backend a caller that names none gets: "bwrap" if bubblewrap works here, else "none".
    The unshare fallback is never picked here: it shows the program the host's files, so it is
    used only where a caller asks for it by name."""
    probe = Path("/")
    try:
        with _claimed_uid() as uid:
            cmd = _wrap("bwrap", ["true"], probe, SandboxLimits(), (), uid)
            done = subprocess.run(cmd, cwd=probe, env={"PATH": PATH_ENV}, capture_output=True,
                                  timeout=30)
    except (OSError, subprocess.SubprocessError, SandboxUnavailableError) as err:
        log.info("sandbox backend bwrap does not work here: %s", err)
        return "none"
    if done.returncode != 0:
        log.info("sandbox backend bwrap does not work here: %s", done.stderr[-300:])
        return "none"
    return "bwrap"


def run_sandboxed(
    argv: list[str],
    workdir: Path,
    limits: SandboxLimits = SandboxLimits(),
    stdin: bytes = b"",
    extra_ro_binds: Sequence[str | os.PathLike] = (),
    *,
    allow_unsandboxed: bool = False,
    backend: str | None = None,
    keep: str | None = None,
) -> SandboxResult:
    """Run argv with cwd = workdir (a fresh temp dir the caller owns; its files are handed to
    the sandbox uid). Paths in argv should be relative to workdir or absolute under /usr.

    `keep` names a file the program writes in its work directory that the caller wants in
    workdir afterwards (made executable: it is a compiled program). Under bwrap nothing else the
    program writes survives the run; the other backends write into workdir directly.
    `backend` None means `sandbox_backend()`. Raises SandboxUnavailableError when that is "none"
    unless allow_unsandboxed=True, in which case the program runs with resource limits only (and
    a warning is logged)."""
    backend = backend or sandbox_backend()
    if backend == "none":
        if not allow_unsandboxed:
            raise SandboxUnavailableError(
                "no sandbox backend works here: bubblewrap (bwrap) is missing or cannot create "
                "namespaces; refusing to run untrusted code. Install bubblewrap (apt-get install "
                "bubblewrap). As root you may instead set `backend: unshare` under "
                "evaluation.execution, a much weaker sandbox in which programs can read the "
                "host's files; or set allow_unsandboxed: true in the evaluation config if you "
                "accept running them with resource limits only.")
        log.warning("running %s WITHOUT a sandbox (allow_unsandboxed=True)", argv[0])
    if keep is not None and Path(keep).name != keep:
        raise ValueError(f"keep={keep!r}: name a file directly in the work directory")
    workdir = Path(workdir).resolve()
    with _claimed_uid() as uid:
        return _run_as(uid, argv, workdir, limits, stdin, extra_ro_binds, backend, keep)


def cgroup_caps() -> str:
    """Which whole-sandbox caps a run gets here (budgetai.haskell.cgroup.group_caps)."""
    return group_caps()


def _run_as(uid: int, argv: list[str], workdir: Path, limits: SandboxLimits, stdin: bytes,
            extra_ro_binds: Sequence[str | os.PathLike], backend: str,
            keep: str | None) -> SandboxResult:
    if os.geteuid() == 0 and backend != "none":
        _chown_tree(workdir, uid)
    # Under bwrap the kept file comes back through a pipe: the work area dies with the sandbox.
    pipe = os.pipe() if keep is not None and backend == "bwrap" else None
    try:
        cmd = _wrap(backend, argv, workdir, limits, extra_ro_binds, uid,
                    (keep, pipe[1]) if pipe else None)
    except BaseException:
        for fd in pipe or ():
            os.close(fd)
        raise
    env = {"PATH": PATH_ENV, "HOME": str(workdir), "LANG": "C.UTF-8"}
    # As root under bwrap the program is the namespace's pid 1 under a uid that bwrap, having
    # dropped its capabilities, may not signal: killing bwrap does not end it, killing the uid
    # does (see _bwrap_args).
    owner = uid if backend == "bwrap" and os.geteuid() == 0 else None
    group = (RunGroup.create(limits.memory_mb, limits.nproc + _WRAPPER_PROCESSES)
             if group_caps().startswith("cgroup") else None)
    try:
        result, kept = _run_capped((group.join_argv() if group else []) + cmd, workdir, env, stdin,
                                   limits, pipe, owner)
        if group is not None:
            group.kill_all()
            _note_group(result, group, limits)
    finally:
        if group is not None:
            group.remove()
    result.backend, result.caps = backend, group_caps() if group else _no_group_caps()
    if kept:
        (workdir / keep).write_bytes(kept)
        (workdir / keep).chmod(0o755)
    return result


def _note_group(result: SandboxResult, group: RunGroup, limits: SandboxLimits) -> None:
    """What the run's cgroup saw: an OOM kill makes the run memory_exceeded whatever its exit
    status (a program whose forked child was killed may still exit 0), and its SIGKILL is not
    the CPU limit's unless the CPU or wall time was spent."""
    result.peak_memory_mb = round(group.peak_mb(), 1)
    if group.oom_killed():
        result.memory_exceeded = True
        result.timed_out = result.cpu_s >= limits.cpu_s or result.wall_s >= limits.wall_s


def _no_group_caps() -> str:
    caps = group_caps()
    return caps if caps.startswith("none") else "none (this run's cgroup could not be made)"


@contextlib.contextmanager
def _claimed_uid():
    """A throw-away uid no other run on this host holds while the block runs (see _UID_BASE).
    Without a usable lock directory (not root: the uid is not used), a random one."""
    directory = _uid_lock_dir()
    start = random.randrange(_UID_SPAN)
    if directory is None:
        yield _UID_BASE + start
        return
    for step in range(_UID_SPAN):
        uid = _UID_BASE + (start + step) % _UID_SPAN
        fd = os.open(directory / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield uid
        finally:
            os.close(fd)
        return
    raise SandboxUnavailableError(f"all {_UID_SPAN} sandbox uids are held by running sandboxes")


@functools.lru_cache(maxsize=None)
def _uid_lock_dir() -> Path | None:
    """Where runs lock their uids: root's own directory (another user must not be able to hold
    or plant the locks), or None when we are not root (then no uid is switched to)."""
    if os.geteuid() != 0:
        return None
    for directory in (_UID_LOCK_DIR, Path(tempfile.gettempdir()) / "budgetai-sandbox-uids-root"):
        try:
            directory.mkdir(mode=0o700, exist_ok=True)
            info = os.lstat(directory)
        except OSError:
            continue
        if info.st_uid == 0 and not info.st_mode & 0o022 and not directory.is_symlink():
            return directory
    raise SandboxUnavailableError(f"no private directory for sandbox uid locks: {_UID_LOCK_DIR} "
                                  f"cannot be made, and the temp dir's is not root's alone")


def _chown_tree(root: Path, uid: int) -> None:
    os.chown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, uid, follow_symlinks=False)


def _prlimit_args(limits: SandboxLimits, nproc_extra: int = 0) -> list[str]:
    mb = 1024 * 1024
    return [
        "prlimit",
        f"--as={limits.memory_mb * mb}",
        f"--cpu={limits.cpu_s}:{limits.cpu_s + 1}",
        f"--nproc={limits.nproc + nproc_extra}",
        f"--fsize={limits.fsize_mb * mb}",
        "--core=0",
        "--",
    ]


def _drop_uid_args(uid: int) -> list[str]:
    # An empty bounding set means no setuid binary can hand capabilities back.
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--"]


def _wrap(backend: str, argv: list[str], workdir: Path, limits: SandboxLimits,
          extra_ro_binds: Sequence[str | os.PathLike], uid: int,
          keep: tuple[str, int] | None = None) -> list[str]:
    """The full command line that runs argv under the given backend; `keep` (bwrap only):
    (file name, fd of the pipe it is sent down once argv is done)."""
    root = os.geteuid() == 0
    if backend == "bwrap":
        if not shutil.which("bwrap"):
            raise SandboxUnavailableError("bwrap not on PATH")
        # Not root: our own uid's processes count against RLIMIT_NPROC too, so add them.
        extra = 0 if root else _processes_of_uid(os.getuid())
        payload = (_drop_uid_args(uid) if root else []) + (_keep_args(*keep) if keep else [])
        return (_prlimit_args(limits, extra) + _bwrap_args(workdir, limits, extra_ro_binds, root)
                + payload + argv)
    if backend == "unshare":
        if not root:
            raise SandboxUnavailableError("the unshare backend needs root (to drop to a spare uid)")
        _require_traversable(workdir)
        return (["unshare", "--net", "--pid", "--ipc", "--fork", "--kill-child", "--mount-proc", "--"]
                + _drop_uid_args(uid) + _prlimit_args(limits) + argv)
    return _prlimit_args(limits) + argv if shutil.which("prlimit") else list(argv)


def _keep_args(name: str, fd: int) -> list[str]:
    """A wrapper that runs its arguments without the pipe `fd`, so the program cannot write to it,
    then sends the file `name` down it, and exits with the program's status. bash, not sh: dash
    cannot name a descriptor above 9."""
    script = ('name=$1 fd=$2; shift 2; "$@" {fd}>&-; status=$?; '
              'if [ -f "$name" ]; then cat -- "$name" >&"$fd"; fi; exit $status')
    return ["bash", "-c", script, "bash", name, str(fd)]


def _require_traversable(workdir: Path) -> None:
    """The unshare backend sees the host filesystem as the spare uid does, so every parent of
    the work dir must be searchable by others (tempfile.mkdtemp under /tmp is)."""
    for parent in workdir.parents:
        if not os.stat(parent).st_mode & 0o001:
            raise SandboxUnavailableError(
                f"work dir {workdir}: parent {parent} is not searchable by other users, so the "
                f"sandboxed uid cannot reach it; create the work dir with tempfile.mkdtemp()")


def _bwrap_args(workdir: Path, limits: SandboxLimits, extra_ro_binds: Sequence[str | os.PathLike],
                root: bool) -> list[str]:
    """bwrap's command line up to the payload. As root, bwrap sets up the mounts privileged (so
    it can bind a work dir below 0700 parents) without a user namespace, and the payload is
    setpriv dropping to the throw-away uid with no capabilities; otherwise bwrap maps us to
    nobody in a new user namespace.

    The payload runs as the namespace's pid 1 (--as-pid-1): with bwrap's own reaper there, the
    reaper is never waited for by anyone we can see, so the tree's CPU time was lost (cpu_s ~0).
    As pid 1 the payload ignores SIGXCPU, so the CPU limit kills at its hard limit (cpu_s + 1).
    As root, bwrap (without capabilities by then) may not signal the dropped uid, so its death
    does not end the payload: `_kill_group` kills the uid's processes instead."""
    if root:
        namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                      "--unshare-cgroup-try"]
    else:
        namespaces = ["--unshare-all", "--uid", "65534", "--gid", "65534"]
    args = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--as-pid-1",
            "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib64", "lib32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    made = set()
    for path in map(Path, extra_ro_binds):
        # Parents bwrap would create for the mount point are 0700 in privileged mode; make them
        # searchable so the dropped uid can reach the bound path.
        for parent in reversed(path.parents[:-1]):
            if parent not in made and not str(parent).startswith("/usr"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += ["--ro-bind", str(path), str(path)]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", str(limits.tmpfs_mb * MB), "--tmpfs", "/tmp",
             "--perms", "1777", "--size", str(limits.work_mb * MB), "--tmpfs", SANDBOX_DIR]
    # The caller's files, read-only: what the program writes stays in the capped tmpfs. Links
    # are not followed, as root that would hand the program any file on the host.
    for entry in sorted(workdir.iterdir()):
        if not entry.is_symlink():
            args += ["--ro-bind", str(entry), f"{SANDBOX_DIR}/{entry.name}"]
    args += ["--chdir", SANDBOX_DIR, "--clearenv", "--setenv", "PATH", PATH_ENV,
             "--setenv", "HOME", SANDBOX_DIR, "--setenv", "LANG", "C.UTF-8", "--"]
    return args


def _processes_of_uid(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def _run_capped(cmd: list[str], cwd: Path, env: dict, stdin: bytes, limits: SandboxLimits,
                keep_pipe: tuple[int, int] | None = None,
                owner: int | None = None) -> tuple[SandboxResult, bytes]:
    """Run cmd in its own session, feeding stdin and capturing at most limits.output_bytes per
    stream; on wall timeout or too much output, SIGKILL the whole process group and every
    process of the uid `owner`. Returns the result and what came down `keep_pipe` (read end,
    write end), whose ends it closes."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, close_fds=True,
                                pass_fds=keep_pipe[1:] if keep_pipe else ())
    except BaseException:
        if keep_pipe:
            os.close(keep_pipe[0])
        raise
    finally:
        if keep_pipe:
            os.close(keep_pipe[1])  # else the read end never sees end-of-file
    caps = {proc.stdout: limits.output_bytes, proc.stderr: limits.output_bytes}
    if keep_pipe:
        caps[keep_pipe[0]] = limits.work_mb * MB  # nothing larger fits in the work area
    try:
        out, timed_out, truncated = _pump(proc, stdin, start + limits.wall_s, caps)
    finally:
        if keep_pipe:
            os.close(keep_pipe[0])
    if timed_out or truncated:
        _kill_group(proc.pid, owner)
    returncode, cpu_s = _wait_with_rusage(proc, start + limits.wall_s)
    if returncode is None:  # outputs closed but the process lingers past the deadline
        timed_out = True
        _kill_group(proc.pid, owner)
        returncode, cpu_s = _wait_with_rusage(proc, None)
    _kill_group(proc.pid)  # stragglers that left the pid tree (unshare/none backends)
    result = _classify(returncode, out[proc.stdout], out[proc.stderr], time.monotonic() - start,
                       timed_out, truncated)
    result.cpu_s = cpu_s
    # CPU-limit kills are not always visible in the exit status (unshare re-raises signals
    # badly), so the consumed CPU time is the reliable witness.
    if cpu_s >= limits.cpu_s and not result.output_truncated:
        result.timed_out, result.memory_exceeded, result.disk_exceeded = True, False, False
    return result, out[keep_pipe[0]] if keep_pipe else b""


def _wait_with_rusage(proc: subprocess.Popen, deadline: float | None):
    """Reap proc with os.wait4 (so the CPU time of its waited-for descendants is known).
    Returns (returncode, cpu_seconds), or (None, 0.0) if it is still running at the deadline."""
    while True:
        pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_utime + usage.ru_stime
        if time.monotonic() >= deadline:
            return None, 0.0
        time.sleep(0.005)


def _pump(proc: subprocess.Popen, stdin: bytes, deadline: float, caps: dict):
    """Shuttle stdin to proc and read each output in `caps` (a stream or a raw fd -> the most
    bytes kept of it) until all outputs close, the deadline passes, or one exceeds its cap.
    Returns ({output: bytes}, timed_out, truncated)."""
    bufs = {stream: bytearray() for stream in caps}
    sel = selectors.DefaultSelector()
    for stream in bufs:
        sel.register(stream, selectors.EVENT_READ)
    pending = memoryview(stdin)
    if pending:
        os.set_blocking(proc.stdin.fileno(), False)
        sel.register(proc.stdin, selectors.EVENT_WRITE)
    else:
        proc.stdin.close()
    timed_out = truncated = False
    open_outputs = len(bufs)
    while open_outputs and not truncated:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in sel.select(timeout=min(remaining, 1.0)):
            if key.fileobj is proc.stdin:
                pending = _write_some(proc, sel, pending)
                continue
            chunk = os.read(key.fd, 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                open_outputs -= 1
                continue
            buf = bufs[key.fileobj]
            room = caps[key.fileobj] - len(buf)
            buf += chunk[:room]
            truncated = truncated or len(chunk) > room
    sel.close()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        try:
            stream.close()
        except OSError:
            pass
    return {stream: bytes(buf) for stream, buf in bufs.items()}, timed_out, truncated


def _write_some(proc: subprocess.Popen, sel: selectors.BaseSelector, pending: memoryview):
    try:
        written = os.write(proc.stdin.fileno(), pending[:65536])
        pending = pending[written:]
    except BlockingIOError:
        return pending
    except BrokenPipeError:  # the program stopped reading: fine, it got what it wanted
        pending = memoryview(b"")
    if not pending:
        sel.unregister(proc.stdin)
        proc.stdin.close()
    return pending


def _kill_group(pgid: int, owner: int | None = None) -> None:
    """SIGKILL the process group (bwrap, or the whole unshare/none tree). With `owner`, first
    every process of that throw-away uid, the namespace's pid 1 among them (its death ends the
    rest of the sandbox), and give bwrap a moment to reap it: an orphaned pid 1 would linger as
    a zombie of the host's init."""
    if owner is not None:
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and entry.stat().st_uid == owner:
                    os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and not _has_exited(pgid):
            time.sleep(0.005)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _has_exited(pid: int) -> bool:
    """Whether our child pid has exited, without reaping it (its rusage is read later)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _classify(returncode: int, stdout: bytes, stderr: bytes, wall_s: float, timed_out: bool,
              truncated: bool) -> SandboxResult:
    # bwrap and shells report a child killed by signal N as exit status 128 + N.
    signum = -returncode if returncode < 0 else (returncode - 128 if 128 < returncode < 160 else None)
    if signum in (signal.SIGXCPU,) or (signum == signal.SIGKILL and not truncated):
        timed_out = True  # the CPU limit: SIGXCPU at the soft limit, SIGKILL at the hard one
    failed = returncode != 0 and not timed_out
    memory = failed and bool(_OOM_PATTERNS.search(stderr[-4096:]))
    disk = failed and not memory and bool(_DISK_FULL_PATTERNS.search(stderr[-4096:]))
    return SandboxResult(returncode=returncode, stdout=stdout, stderr=stderr, wall_s=wall_s,
                         timed_out=timed_out, memory_exceeded=memory, disk_exceeded=disk,
                         output_truncated=truncated, killed_signal=signum)
