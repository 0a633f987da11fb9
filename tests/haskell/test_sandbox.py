"""Hostile programs run in the sandbox: each is contained, classified, and leaves the host alone."""

import logging
import os
import shutil
import socket
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from budgetai.haskell import sandbox
from budgetai.haskell.execution import ghc_binds, ghc_path
from budgetai.haskell.sandbox import (SandboxLimits, SandboxUnavailableError, run_sandboxed,
                                       sandbox_backend)

QUICK = SandboxLimits(memory_mb=256, cpu_s=2, wall_s=4, nproc=16, output_bytes=64 * 1024)
SECRET = "budgetai-secret-3f9c1a"

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
BACKENDS = ["bwrap"] + (["unshare"] if os.geteuid() == 0 else [])


def _python(tmp_path: Path, source: str, backend: str | None = None, **kwargs):
    (tmp_path / "prog.py").write_text(textwrap.dedent(source))
    return run_sandboxed(["python3", "prog.py"], tmp_path, kwargs.pop("limits", QUICK),
                         backend=backend, **kwargs)


def _sandbox_processes() -> list[int]:
    """Pids on the host owned by one of the sandbox's throw-away uids."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and sandbox._UID_BASE <= entry.stat().st_uid < (
                    sandbox._UID_BASE + sandbox._UID_SPAN):
                pids.append(int(entry.name))
        except OSError:
            pass
    return pids


def test_backend_is_detected():
    assert sandbox_backend() in ("bwrap", "unshare", "none")


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_echo_stdin_and_clean_environment(work, monkeypatch, backend):
    monkeypatch.setenv("BUDGETAI_SECRET", SECRET)
    result = _python(work, """
        import os, sys
        print(sys.stdin.read().upper(), end="")
        print(sorted(os.environ.items()))
        print(os.getuid())
    """, backend, stdin=b"hello\n")
    assert result.status == "ok", result.stderr
    out = result.stdout.decode()
    assert out.startswith("HELLO\n")
    assert SECRET not in out and "BUDGETAI_SECRET" not in out
    assert "('LANG', 'C.UTF-8')" in out and "('PATH', '/usr/bin:/bin')" in out
    assert out.strip().splitlines()[-1] != "0"  # never root inside


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_infinite_loop_is_a_timeout(work, backend):
    start = time.monotonic()
    result = _python(work, "while True:\n    pass\n", backend)
    assert result.status == "timeout" and result.timed_out
    assert time.monotonic() - start < QUICK.wall_s + 3


@needs_sandbox
def test_sleeping_program_hits_the_wall_clock(work):
    limits = SandboxLimits(wall_s=1.5, cpu_s=10)
    result = _python(work, "import time\ntime.sleep(60)\n", limits=limits)
    assert result.timed_out and result.wall_s < 5


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_infinite_output_is_truncated(work, backend):
    result = _python(work, "import sys\nwhile True:\n    sys.stdout.write('y' * 4096)\n",
                     backend)
    assert result.status == "output_limit" and result.output_truncated
    assert len(result.stdout) == QUICK.output_bytes


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_ten_gigabyte_allocation_exceeds_memory(work, backend):
    result = _python(work, "block = bytearray(10 * 1024 ** 3)\nprint(len(block))\n", backend)
    assert result.status == "memory_exceeded" and result.oom
    assert result.stdout == b""


@needs_sandbox
@pytest.mark.slow
def test_fork_bomb_is_contained(work):
    result = _python(work, """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """)
    assert result.status in ("timeout", "runtime_error")
    time.sleep(0.2)
    assert _sandbox_processes() == []  # every forked process died with the sandbox
    assert os.fork  # the host can still fork: this test process is alive and well


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_network_to_host_loopback_fails(work, backend):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    result = _python(work, f"""
        import socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
            print("CONNECTED")
        except OSError as err:
            print("refused", err)
    """, backend)
    with pytest.raises(socket.timeout):
        listener.accept()  # nothing reached the host's loopback
    listener.close()
    assert b"refused" in result.stdout and b"CONNECTED" not in result.stdout


@needs_sandbox
@pytest.mark.parametrize("backend", BACKENDS)
def test_writes_outside_the_workdir_fail(work, backend):
    host_dir = Path(tempfile.mkdtemp(prefix="budgetai-host-"))
    host_dir.chmod(0o755)  # reachable, but only root may write here
    target = host_dir / "pwned.txt"
    shared_tmp = Path("/tmp") / f"budgetai-pwned-{os.getpid()}.txt"  # world-writable on the host
    paths = [str(target), "/usr/pwned.txt"]
    if backend == "bwrap":
        # Only bwrap hides the host's world-writable places (the unshare fallback cannot).
        paths += ["../pwned.txt", str(shared_tmp)]
    try:
        result = _python(work, f"""
            for path in {paths!r}:
                try:
                    open(path, "w").write("x")
                    print("wrote", path)
                except OSError as err:
                    print("denied", path, type(err).__name__)
            open("inside.txt", "w").write("ok")
        """, backend, keep="inside.txt")
        assert result.status == "ok", result.stderr
        assert not target.exists() and not Path("/usr/pwned.txt").exists()
        if backend == "bwrap":
            assert not (work.parent / "pwned.txt").exists() and not shared_tmp.exists()
        assert (work / "inside.txt").read_text() == "ok"
    finally:
        shutil.rmtree(host_dir, ignore_errors=True)


def test_refuses_without_a_sandbox(work):
    with pytest.raises(SandboxUnavailableError, match="allow_unsandboxed"):
        _python(work, "print(1)\n", backend="none")


def test_unsandboxed_run_only_when_allowed_and_says_so(work, caplog):
    with caplog.at_level(logging.WARNING):
        result = _python(work, "print(6 * 7)\n", backend="none", allow_unsandboxed=True)
    assert result.stdout == b"42\n" and result.status == "ok"
    assert "WITHOUT a sandbox" in caplog.text


HASKELL_HOSTILE = """\
import System.Environment (getEnvironment)
import Control.Exception (SomeException, try)
import System.IO (BufferMode (LineBuffering), hSetBuffering, stdout)

main :: IO ()
main = do
  hSetBuffering stdout LineBuffering  -- what it printed survives the CPU-limit kill
  env <- getEnvironment
  print env
  wrote <- try (writeFile {target} "pwned") :: IO (Either SomeException ())
  putStrLn (either (const "write denied") (const "WROTE") wrote)
  let hog = length (show (product [1 .. 200000 :: Integer]))
  print hog
"""

TEMPLATE_HASKELL = """\
{{-# LANGUAGE TemplateHaskell #-}}
import Language.Haskell.TH (runIO, stringE)
import System.Process (readProcess)

main :: IO ()
main = putStrLn $(runIO (readProcess "sh" ["-c", "echo pwned > {target} 2>/dev/null; env; true"] "")
                  >>= stringE)
"""


def _compile(workdir: Path, source: str):
    (workdir / "Main.hs").write_text(source)
    limits = SandboxLimits(memory_mb=2048, cpu_s=60, wall_s=120, nproc=256, fsize_mb=256)
    return run_sandboxed([ghc_path(), "-O0", "-o", "main", "Main.hs"], workdir, limits,
                         extra_ro_binds=ghc_binds(), keep="main")


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_haskell_program_sees_no_secrets_and_cannot_write_out(work, tmp_path_factory,
                                                              monkeypatch):
    monkeypatch.setenv("BUDGETAI_SECRET", SECRET)
    workdir = work
    target = tmp_path_factory.mktemp("host") / "pwned.txt"
    built = _compile(workdir, HASKELL_HOSTILE.format(target=f'"{target}"'))
    assert built.status == "ok", built.stderr
    result = run_sandboxed(["./main"], workdir, SandboxLimits(cpu_s=1, wall_s=3))
    assert SECRET.encode() not in result.stdout
    assert b"write denied" in result.stdout and not target.exists()
    assert result.status == "timeout"  # the factorial of 200000 is far beyond a second of CPU


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_template_haskell_is_contained_at_compile_time(work, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("BUDGETAI_SECRET", SECRET)
    workdir = work
    target = tmp_path_factory.mktemp("host") / "th-pwned.txt"
    built = _compile(workdir, TEMPLATE_HASKELL.format(target=target))
    assert built.status == "ok", built.stderr
    assert not target.exists()  # the splice ran, but could not reach the host file
    result = run_sandboxed(["./main"], workdir, QUICK)
    captured = result.stdout.decode()  # the environment the splice saw, baked into the binary
    assert "PATH=/usr/bin:/bin" in captured
    assert SECRET not in captured
