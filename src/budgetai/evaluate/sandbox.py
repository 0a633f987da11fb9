"""Run untrusted programs (model completions, their compilers) inside a sandbox.

Backends, best first (`sandbox_backend()` says which one works here):
- "bwrap": bubblewrap with every namespace unshared (no network, own pid tree), read-only /usr
  (plus the caller's extra read-only binds), a private size-capped /tmp, and the work directory
  as the only writable place, seen inside as /sandbox. When we are root we first drop to a
  throw-away uid (setpriv), so RLIMIT_NPROC counts only this sandbox's processes.
- "unshare": util-linux unshare (new net + pid namespace) + setpriv + prlimit. Root only; weaker:
  the filesystem is the host's, guarded only by the unprivileged uid's permissions.
- "none": nothing usable; `run_sandboxed` refuses unless the caller passes allow_unsandboxed=True.

Limits: address space (RLIMIT_AS), CPU seconds, processes, file size (all via prlimit), a wall
clock timeout that SIGKILLs the whole process group, and a cap on captured output (the program is
killed once it writes more). The environment is empty apart from PATH, HOME and LANG.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import re
import selectors
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

log = logging.getLogger(__name__)

SANDBOX_DIR = "/sandbox"  # where the work directory appears inside the bwrap backend
PATH_ENV = "/usr/bin:/bin"
# Throw-away uids for sandboxed processes: one per concurrent run, so RLIMIT_NPROC (counted per
# real uid) is this run's budget alone and no two runs can touch each other's files.
_UID_BASE, _UID_SPAN = 200_000, 50_000
_uid_counter = itertools.count()

# What allocators print when RLIMIT_AS refuses them (GHC RTS, Python, glibc/C++, shells).
_OOM_PATTERNS = re.compile(
    rb"out of memory|Heap exhausted|MemoryError|Cannot allocate memory|bad_alloc"
    rb"|failed to mmap|mmap .* failed|memory allocation failed|xmalloc",
    re.IGNORECASE,
)


class SandboxUnavailableError(RuntimeError):
    """No sandbox backend works here and the caller did not allow unsandboxed execution."""


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits for one sandboxed run (defaults suit a compiled test program)."""

    memory_mb: int = 512  # RLIMIT_AS; GHC programs need >= 72 MiB of address space to start
    cpu_s: int = 10  # RLIMIT_CPU soft limit (SIGXCPU), hard = soft + 1 (SIGKILL)
    wall_s: float = 20.0  # wall clock; then the whole process group is SIGKILLed
    nproc: int = 32  # RLIMIT_NPROC: processes + threads of the sandbox uid
    fsize_mb: int = 64  # RLIMIT_FSIZE: largest file the program may write
    output_bytes: int = 1 << 20  # per stream; more than this and the program is killed
    tmpfs_mb: int = 128  # size of the private /tmp (bwrap backend)


@dataclass
class SandboxResult:
    returncode: int
    stdout: bytes
    stderr: bytes
    wall_s: float
    timed_out: bool = False  # wall clock or CPU limit
    memory_exceeded: bool = False
    output_truncated: bool = False
    killed_signal: int | None = None
    cpu_s: float = 0.0  # user + system CPU seconds of the sandboxed process tree
    backend: str = ""

    @property
    def oom(self) -> bool:
        return self.memory_exceeded

    @property
    def status(self) -> str:
        """One of ok, timeout, output_limit, memory_exceeded, signal, sandbox_error,
        runtime_error."""
        if self.timed_out:
            return "timeout"
        if self.output_truncated:
            return "output_limit"
        if self.memory_exceeded:
            return "memory_exceeded"
        if self.returncode == 0:
            return "ok"
        if self.killed_signal is not None:
            return "signal"
        if self.backend == "bwrap" and self.stderr.startswith(b"bwrap: "):
            return "sandbox_error"
        return "runtime_error"


@functools.lru_cache(maxsize=None)
def sandbox_backend() -> str:
    """The best backend that actually works on this machine: "bwrap", "unshare" or "none"."""
    probe = Path("/")
    for backend in ("bwrap", "unshare"):
        try:
            cmd = _wrap(backend, ["true"], probe, SandboxLimits(), (), _next_uid())
            done = subprocess.run(cmd, cwd=probe, env={"PATH": PATH_ENV}, capture_output=True,
                                  timeout=30)
        except (OSError, subprocess.SubprocessError, SandboxUnavailableError):
            continue
        if done.returncode == 0:
            return backend
        log.info("sandbox backend %s does not work here: %s", backend, done.stderr[-300:])
    return "none"


def run_sandboxed(
    argv: list[str],
    workdir: Path,
    limits: SandboxLimits = SandboxLimits(),
    stdin: bytes = b"",
    extra_ro_binds: Sequence[str | os.PathLike] = (),
    *,
    allow_unsandboxed: bool = False,
    backend: str | None = None,
) -> SandboxResult:
    """Run argv with cwd = workdir (a fresh temp dir the caller owns; its files are handed to
    the sandbox uid). Paths in argv should be relative to workdir or absolute under /usr.
    Raises SandboxUnavailableError when no backend works unless allow_unsandboxed=True, in which
    case the program runs with resource limits only (and a warning is logged)."""
    backend = backend or sandbox_backend()
    if backend == "none":
        if not allow_unsandboxed:
            raise SandboxUnavailableError(
                "no sandbox backend works here (need bubblewrap, or root with unshare+setpriv); "
                "refusing to run untrusted code. Install bubblewrap, or set allow_unsandboxed: "
                "true in the evaluation config if you accept the risk.")
        log.warning("running %s WITHOUT a sandbox (allow_unsandboxed=True)", argv[0])
    workdir = Path(workdir).resolve()
    uid = _next_uid()
    if os.geteuid() == 0 and backend != "none":
        _chown_tree(workdir, uid)
    cmd = _wrap(backend, argv, workdir, limits, extra_ro_binds, uid)
    env = {"PATH": PATH_ENV, "HOME": str(workdir), "LANG": "C.UTF-8"}
    result = _run_capped(cmd, workdir, env, stdin, limits)
    result.backend = backend
    return result


def _next_uid() -> int:
    return _UID_BASE + (os.getpid() * 97 + next(_uid_counter)) % _UID_SPAN


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
          extra_ro_binds: Sequence[str | os.PathLike], uid: int) -> list[str]:
    """The full command line that runs argv under the given backend."""
    root = os.geteuid() == 0
    if backend == "bwrap":
        if not shutil.which("bwrap"):
            raise SandboxUnavailableError("bwrap not on PATH")
        # Not root: our own uid's processes count against RLIMIT_NPROC too, so add them.
        extra = 0 if root else _processes_of_uid(os.getuid())
        payload = _drop_uid_args(uid) if root else []
        return (_prlimit_args(limits, extra) + _bwrap_args(workdir, limits, extra_ro_binds, root)
                + payload + argv)
    if backend == "unshare":
        if not root:
            raise SandboxUnavailableError("the unshare backend needs root (to drop to a spare uid)")
        _require_traversable(workdir)
        return (["unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--"]
                + _drop_uid_args(uid) + _prlimit_args(limits) + argv)
    return _prlimit_args(limits) + argv if shutil.which("prlimit") else list(argv)


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
    nobody in a new user namespace."""
    if root:
        namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                      "--unshare-cgroup-try"]
    else:
        namespaces = ["--unshare-all", "--uid", "65534", "--gid", "65534"]
    args = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"]
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
             "--perms", "1777", "--size", str(limits.tmpfs_mb * 1024 * 1024), "--tmpfs", "/tmp",
             "--bind", str(workdir), SANDBOX_DIR, "--chdir", SANDBOX_DIR,
             "--clearenv", "--setenv", "PATH", PATH_ENV, "--setenv", "HOME", SANDBOX_DIR,
             "--setenv", "LANG", "C.UTF-8", "--"]
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


def _run_capped(cmd: list[str], cwd: Path, env: dict, stdin: bytes,
                limits: SandboxLimits) -> SandboxResult:
    """Run cmd in its own session, feeding stdin and capturing at most limits.output_bytes per
    stream; on wall timeout or too much output, SIGKILL the whole process group."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, close_fds=True)
    out, timed_out, truncated = _pump(proc, stdin, start + limits.wall_s, limits.output_bytes)
    if timed_out or truncated:
        _kill_group(proc.pid)
    returncode, cpu_s = _wait_with_rusage(proc, start + limits.wall_s)
    if returncode is None:  # outputs closed but the process lingers past the deadline
        timed_out = True
        _kill_group(proc.pid)
        returncode, cpu_s = _wait_with_rusage(proc, None)
    _kill_group(proc.pid)  # stragglers that left the pid tree (unshare/none backends)
    result = _classify(returncode, out[0], out[1], time.monotonic() - start, timed_out, truncated)
    result.cpu_s = cpu_s
    # CPU-limit kills are not always visible in the exit status (unshare re-raises signals
    # badly), so the consumed CPU time is the reliable witness.
    if cpu_s >= limits.cpu_s and not result.output_truncated:
        result.timed_out, result.memory_exceeded = True, False
    return result


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


def _pump(proc: subprocess.Popen, stdin: bytes, deadline: float, cap: int):
    """Shuttle stdin/stdout/stderr until both outputs close, the deadline passes, or an output
    exceeds cap. Returns ((stdout, stderr), timed_out, truncated)."""
    bufs = {proc.stdout: bytearray(), proc.stderr: bytearray()}
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
            room = cap - len(buf)
            buf += chunk[:room]
            truncated = truncated or len(chunk) > room
    sel.close()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        try:
            stream.close()
        except OSError:
            pass
    return (bytes(bufs[proc.stdout]), bytes(bufs[proc.stderr])), timed_out, truncated


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


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _classify(returncode: int, stdout: bytes, stderr: bytes, wall_s: float, timed_out: bool,
              truncated: bool) -> SandboxResult:
    # bwrap and shells report a child killed by signal N as exit status 128 + N.
    signum = -returncode if returncode < 0 else (returncode - 128 if 128 < returncode < 160 else None)
    if signum in (signal.SIGXCPU,) or (signum == signal.SIGKILL and not truncated):
        timed_out = True  # the CPU limit: SIGXCPU at the soft limit, SIGKILL at the hard one
    memory = returncode != 0 and not timed_out and bool(_OOM_PATTERNS.search(stderr[-4096:]))
    return SandboxResult(returncode=returncode, stdout=stdout, stderr=stderr, wall_s=wall_s,
                         timed_out=timed_out, memory_exceeded=memory, output_truncated=truncated,
                         killed_signal=signum)
