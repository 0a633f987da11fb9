"""GHC (and Python) on untrusted code, inside the sandbox: compile a program (`compile_program`,
`ghc -O0`; Template Haskell runs code at compile time, so the compiler runs sandboxed too), run it
(`run_program`), type-check a snippet (`typecheck_only`, `ghc -fno-code`), and classify GHC's
errors. What a program is checked against (a problem's tests) is the caller's business:
budgetai.evaluate.scoring for evaluation and checkpoint scoring, the clean stage's type-check filter.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping

from budgetai.core.config.stages import refuse_unknown
from budgetai.haskell.module_header import ModuleHeaderError, read_header, unlit, with_module_line
from budgetai.haskell.sandbox import (SandboxLimits, SandboxResult, cgroup_caps, run_sandboxed,
                                      sandbox_backend)

# work_mb caps all a compile (Template Haskell included) or a test run may write in its work
# area: a small program's build is a few MB, and without a cap one program wrote 768 MiB in 3 s.
COMPILE_LIMITS = SandboxLimits(memory_mb=2048, cpu_s=60, wall_s=120, nproc=256, fsize_mb=256,
                               output_bytes=256 * 1024, tmpfs_mb=512, work_mb=256)
RUN_LIMITS = SandboxLimits(memory_mb=512, cpu_s=5, wall_s=10, nproc=16, fsize_mb=16,
                           output_bytes=1 << 20, tmpfs_mb=16, work_mb=256)
BACKENDS = (None, "bwrap", "unshare")


@dataclass
class ExecutionConfig:
    """How completions are compiled and run (config keys under `evaluation.execution`)."""

    ghc: str = "ghc"
    python: str = "python3"
    ghc_flags: tuple[str, ...] = ("-O0",)  # -O0: the test programs are tiny, compile time dominates
    compile_limits: SandboxLimits = COMPILE_LIMITS
    run_limits: SandboxLimits = RUN_LIMITS
    timeout_per_test_s: float | None = None  # overrides run_limits' wall and CPU seconds
    workers: int = 2
    # None: bubblewrap (refused where it does not work, unless allow_unsandboxed). "unshare": the
    # much weaker fallback for root without bubblewrap, where programs see the host's files.
    backend: str | None = None
    allow_unsandboxed: bool = False
    stderr_chars: int = 2000  # how much compiler output a result keeps

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"execution config: backend={self.backend!r}, use one of {BACKENDS} "
                             f"(null: bubblewrap)")

    def sandbox_backend(self) -> str:
        """The backend programs run under with this config: "bwrap", "unshare" or "none"."""
        return self.backend or sandbox_backend()

    @staticmethod
    def sandbox_caps() -> str:
        """Whole-sandbox caps runs get here: "cgroup v1: memory, pids", ... or "none (why)"."""
        return cgroup_caps()

    def limits_for_run(self) -> SandboxLimits:
        if self.timeout_per_test_s is None:
            return self.run_limits
        seconds = self.timeout_per_test_s
        return SandboxLimits(**{**asdict(self.run_limits), "wall_s": seconds,
                                "cpu_s": max(1, int(seconds + 0.999))})

    @classmethod
    def from_dict(cls, cfg: dict) -> "ExecutionConfig":
        """Build from a config mapping; unknown keys are an error so typos do not pass silently."""
        cfg = dict(cfg)
        for key in ("compile_limits", "run_limits"):
            if key in cfg:
                cfg[key] = SandboxLimits(**{**asdict(getattr(cls, key)), **cfg[key]})
        if "ghc_flags" in cfg:
            cfg["ghc_flags"] = tuple(cfg["ghc_flags"])
        refuse_unknown(cfg, cls.__dataclass_fields__, "execution")
        return cls(**cfg)


def compile_program(language: str, program: str | Mapping[str, str], workdir: Path,
                    cfg: ExecutionConfig = ExecutionConfig()) -> tuple[list[str], str | None, str]:
    """Write and compile a program in `workdir`: one source text (Main.hs / main.py) or several
    files (name -> text, Main.hs / main.py among them). Returns (argv to run it, error class or
    None, compiler output). Python is only parsed here: nothing is executed."""
    main_file = "main.py" if language == "python" else "Main.hs"
    files = {main_file: program} if isinstance(program, str) else dict(program)
    if main_file not in files:
        raise ValueError(f"compile_program: no {main_file} among {sorted(files)}")
    for name, text in files.items():
        if Path(name).name != name:
            raise ValueError(f"compile_program: {name!r} is not a plain file name")
        (workdir / name).write_text(text, encoding="utf-8")
    if language == "python":
        for name, text in files.items():
            try:
                compile(text, name, "exec")
            except (SyntaxError, ValueError) as err:
                return [], "parse_error", str(err)
        return [cfg.python, main_file], None, ""
    # -fforce-recomp: interface files found in the work area (written by anything but this GHC
    # run) are never trusted in place of compiling a module's source.
    argv = [ghc_path(cfg.ghc), *cfg.ghc_flags, "-fforce-recomp", "-o", "main", main_file]
    done = run_sandboxed(argv, workdir, cfg.compile_limits, extra_ro_binds=ghc_binds(cfg.ghc),
                         allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend, keep="main")
    stderr = done.stderr.decode("utf-8", "replace")
    if done.status == "ok" and (workdir / "main").exists():
        return ["./main"], None, stderr
    if done.timed_out or done.disk_exceeded or done.memory_exceeded:
        return [], done.status, stderr
    return [], classify_compile_error(stderr), stderr


def classify_compile_error(stderr: str) -> str:
    """parse_error, scope_error (not in scope), type_error, or other. GHC stops at the first
    failing phase (parse, rename, typecheck), so the first matching class is the cause."""
    text = stderr.lower()
    if "parse error" in text or "lexical error" in text or "unterminated" in text:
        return "parse_error"
    if "not in scope" in text or "could not find module" in text:
        return "scope_error"
    if any(s in text for s in ("couldn't match", "no instance for", "ambiguous type",
                               "occurs check", "rigid type", "kind mismatch",
                               "expected a type", "is applied to", "type error")):
        return "type_error"
    return "other"


def run_program(argv: list[str], workdir: Path, cfg: ExecutionConfig = ExecutionConfig(),
                stdin: bytes = b"") -> SandboxResult:
    """Run a compiled program once under the run limits."""
    return run_sandboxed(argv, workdir, cfg.limits_for_run(), stdin=stdin,
                         allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend)


def ghc_path(ghc: str = "ghc") -> str:
    """Absolute path of the GHC executable, or a FileNotFoundError saying how to fix it."""
    exe = shutil.which(ghc)
    if exe is None:
        raise FileNotFoundError(f"GHC not found: {ghc!r} is not on PATH (install ghc or set "
                                f"evaluation.execution.ghc)")
    return exe


@functools.lru_cache(maxsize=None)
def ghc_binds(ghc: str = "ghc") -> tuple[str, ...]:
    """Host paths outside /usr that the compiler needs read-only inside the sandbox: its real
    location and its package database (on Debian, /usr/lib/ghc/package.conf.d links to
    /var/lib/ghc). GHC itself is trusted here: only the programs it compiles are not."""
    exe = ghc_path(ghc)
    libdir = subprocess.run([exe, "--print-libdir"], capture_output=True, text=True,
                            check=True).stdout.strip()
    candidates = {os.path.realpath(exe), os.path.realpath(libdir),
                  os.path.realpath(os.path.join(libdir, "package.conf.d"))}
    binds = set()
    for path in candidates:
        if not path.startswith("/usr/"):
            binds.add(path if os.path.isdir(path) else os.path.dirname(path))
    return tuple(sorted(binds))


# The wrapper's version: part of the clean filter's verdict-cache key, so changing what GHC is
# shown (2: the header is read by module_header, a module line is kept as written) expires
# verdicts made by an older wrapper.
TYPECHECK_WRAPPER_VERSION = 2


@dataclass(frozen=True)
class TypecheckVerdict:
    ok: bool
    message: str  # GHC's output (its errors), cut to ExecutionConfig.stderr_chars


def typecheck_source(code: str, literate: bool = False) -> str:
    """The module GHC checks for `code`. A module with a module line is checked as written
    (export lists, pragmas, CPP as they are); a snippet without one becomes `module Snippet
    where`, inserted after its file-header pragmas, so it needs no `main`. Literate code is
    unlit first (line for line). A header that cannot be read goes to GHC as written: GHC names
    the error."""
    text = unlit(code) if literate else code
    try:
        header = read_header(text)
    except ModuleHeaderError:
        return text
    return text if header.name else with_module_line(text, header, "module Snippet where")


def typecheck(code: str, cfg: ExecutionConfig = ExecutionConfig(),
              literate: bool = False) -> TypecheckVerdict:
    """Whether GHC type-checks this Haskell code (`-fno-code`, sandboxed), with GHC's message."""
    with tempfile.TemporaryDirectory(prefix="budgetai-tc-") as tmp:
        (Path(tmp) / "Snippet.hs").write_text(typecheck_source(code, literate), encoding="utf-8")
        done = run_sandboxed([ghc_path(cfg.ghc), "-fno-code", "Snippet.hs"], Path(tmp),
                             cfg.compile_limits, extra_ro_binds=ghc_binds(cfg.ghc),
                             allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend)
    message = done.stderr.decode("utf-8", "replace")[:cfg.stderr_chars]
    if done.status not in ("ok", "runtime_error"):  # the sandbox stopped GHC: say so
        message = f"[{done.status}] {message}"
    return TypecheckVerdict(done.status == "ok", message)


def typecheck_only(code: str, cfg: ExecutionConfig = ExecutionConfig()) -> bool:
    """Whether GHC type-checks this Haskell code (see `typecheck`). The code may be a snippet
    without `main`: it is checked as a library module."""
    return typecheck(code, cfg).ok


def typecheck_share(codes: list[str], cfg: ExecutionConfig = ExecutionConfig()) -> float:
    """Share of code snippets that type-check (0.0 for an empty list)."""
    if not codes:
        return 0.0
    with ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool:
        checks = list(pool.map(lambda code: typecheck_only(code, cfg), codes))
    return sum(checks) / len(checks)
