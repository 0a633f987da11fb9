"""Score completions by compiling and running them in the sandbox.

For each (problem, sample): extract the code, assemble the program, compile it (`ghc -O0`, inside
the sandbox, because Template Haskell runs code at compile time), then run every test: stdio
problems compare output (trailing whitespace per line and trailing blank lines ignored),
MultiPL-E and HumanEval-Python problems pass when their assertion program exits 0.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from budgetai.evaluate.extract import extract_code
from budgetai.evaluate.prompts import assemble_program
from budgetai.evaluate.sandbox import SandboxLimits, SandboxResult, run_sandboxed, sandbox_backend
from budgetai.evaluate.suites import Problem

# work_mb caps all a compile (Template Haskell included) or a test run may write in its work
# area: a small program's build is a few MB, and without a cap one program wrote 768 MiB in 3 s.
COMPILE_LIMITS = SandboxLimits(memory_mb=2048, cpu_s=60, wall_s=120, nproc=256, fsize_mb=256,
                               output_bytes=256 * 1024, tmpfs_mb=512, work_mb=256)
RUN_LIMITS = SandboxLimits(memory_mb=512, cpu_s=5, wall_s=10, nproc=16, fsize_mb=16,
                           output_bytes=1 << 20, tmpfs_mb=16, work_mb=256)
BACKENDS = (None, "bwrap", "unshare")
_MODULE_LINE = re.compile(r"^module\s+[\w.]+\s*(\([^)]*\))?\s*where[ \t]*$", re.MULTILINE)
_PRAGMA_LINE = re.compile(r"^\{-#.*?#-\}[ \t]*$", re.MULTILINE)


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
        unknown = set(cfg) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"execution config: unknown keys {sorted(unknown)}")
        return cls(**cfg)


@dataclass
class SampleResult:
    problem_id: str
    sample_index: int
    code: str
    compiled: bool
    compile_error_class: str | None  # parse_error, type_error, scope_error, timeout,
    #                                  disk_exceeded (it filled its work area), other
    compile_stderr: str
    tests_passed: int
    tests_total: int
    passed: bool
    runtime_s: float
    timed_out: bool
    oom: bool
    status: str = ""  # passed, compile_error, wrong_answer, runtime_error, timeout, ...
    failures: list[str] = field(default_factory=list)  # per failing test: "test 3: timeout"

    def to_dict(self) -> dict:
        return asdict(self)


def score_completions(problems: list[Problem], completions: dict[str, list[str]],
                      cfg: ExecutionConfig = ExecutionConfig()) -> list[SampleResult]:
    """One SampleResult per (problem, completion), ordered by problem then sample index.
    Problems without completions are skipped; completions for unknown problem ids are an error."""
    by_id = {p.id: p for p in problems}
    unknown = sorted(set(completions) - set(by_id))
    if unknown:
        raise KeyError(f"completions for problems not in the suite: {unknown[:5]}")
    jobs = [(by_id[pid], i, text) for pid in by_id for i, text in
            enumerate(completions.get(pid, []))]
    results = []
    with ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool, \
            tqdm(total=len(jobs), desc="compile+run", unit="program", mininterval=5) as progress:
        for result in pool.map(lambda job: score_sample(*job, cfg), jobs):
            results.append(result)
            progress.update(1)
            progress.set_postfix(compiled=f"{sum(r.compiled for r in results) / len(results):.0%}",
                                 passed=f"{sum(r.passed for r in results) / len(results):.0%}", refresh=False)
    return results


def score_sample(problem: Problem, sample_index: int, completion: str,
                 cfg: ExecutionConfig = ExecutionConfig()) -> SampleResult:
    """Extract, assemble, compile and test one completion in a fresh temp dir."""
    code = extract_code(completion, problem.language, problem.stop_tokens)
    program = assemble_program(problem, code)
    with tempfile.TemporaryDirectory(prefix="budgetai-exec-") as tmp:
        workdir = Path(tmp)
        argv, compile_error, compile_stderr = _build(problem, program, workdir, cfg)
        result = SampleResult(problem.id, sample_index, code, compile_error is None,
                              compile_error, compile_stderr[: cfg.stderr_chars], 0,
                              _count_tests(problem), False, 0.0, False, False)
        if compile_error is not None:
            result.status = "compile_error"
            result.timed_out = compile_error == "timeout"
            return result
        _run_tests(problem, argv, workdir, cfg, result)
    return result


def _count_tests(problem: Problem) -> int:
    return len(problem.tests) if problem.format == "stdio" else 1


def _build(problem: Problem, program: str, workdir: Path, cfg: ExecutionConfig):
    """Write and compile the program. Returns (argv to run it, error class or None, stderr)."""
    if problem.language == "python":
        (workdir / "main.py").write_text(program, encoding="utf-8")
        try:
            compile(program, "main.py", "exec")  # parses only; nothing is executed
        except (SyntaxError, ValueError) as err:
            return [], "parse_error", str(err)
        return [cfg.python, "main.py"], None, ""
    (workdir / "Main.hs").write_text(program, encoding="utf-8")
    argv = [ghc_path(cfg.ghc), *cfg.ghc_flags, "-o", "main", "Main.hs"]
    done = run_sandboxed(argv, workdir, cfg.compile_limits, extra_ro_binds=ghc_binds(cfg.ghc),
                         allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend, keep="main")
    stderr = done.stderr.decode("utf-8", "replace")
    if done.status == "ok" and (workdir / "main").exists():
        return ["./main"], None, stderr
    if done.timed_out or done.disk_exceeded:
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


def _run_tests(problem: Problem, argv: list[str], workdir: Path, cfg: ExecutionConfig,
               result: SampleResult) -> None:
    limits = cfg.limits_for_run()
    cases = problem.tests if problem.format == "stdio" else [None]
    for number, case in enumerate(cases, start=1):
        stdin = case["input"].encode() if case else b""
        run = run_sandboxed(argv, workdir, limits, stdin=stdin,
                            allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend)
        result.runtime_s += run.wall_s
        verdict = _verdict(run, case)
        if verdict == "passed":
            result.tests_passed += 1
            continue
        result.failures.append(f"test {number}: {verdict}")
        result.status = result.status or verdict
        result.timed_out |= run.timed_out
        result.oom |= run.memory_exceeded
        if run.timed_out or run.memory_exceeded:
            break  # the remaining tests would most likely burn the same limit again
    result.passed = result.tests_passed == result.tests_total
    result.status = "passed" if result.passed else result.status


def _verdict(run: SandboxResult, case: dict | None) -> str:
    if run.status != "ok":
        return run.status
    if case is None:
        return "passed"
    got = run.stdout.decode("utf-8", "replace")
    return "passed" if normalize_output(got) == normalize_output(case["output"]) else "wrong_answer"


def normalize_output(text: str) -> str:
    """Output as compared: trailing whitespace per line and trailing blank lines removed."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).rstrip("\n")


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


def typecheck_only(code: str, cfg: ExecutionConfig = ExecutionConfig()) -> bool:
    """Whether GHC type-checks this Haskell code (`-fno-code`, sandboxed). The code may be a
    snippet without `main`: it is checked as a library module."""
    body = _MODULE_LINE.sub("", code)
    pragmas = "\n".join(m.group(0) for m in _PRAGMA_LINE.finditer(body))
    source = f"{pragmas}\nmodule Snippet where\n{_PRAGMA_LINE.sub('', body)}\n"
    with tempfile.TemporaryDirectory(prefix="budgetai-tc-") as tmp:
        (Path(tmp) / "Snippet.hs").write_text(source, encoding="utf-8")
        done = run_sandboxed([ghc_path(cfg.ghc), "-fno-code", "Snippet.hs"], Path(tmp),
                             cfg.compile_limits, extra_ro_binds=ghc_binds(cfg.ghc),
                             allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend)
    return done.status == "ok"


def typecheck_share(codes: list[str], cfg: ExecutionConfig = ExecutionConfig()) -> float:
    """Share of code snippets that type-check (0.0 for an empty list)."""
    if not codes:
        return 0.0
    with ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool:
        checks = list(pool.map(lambda code: typecheck_only(code, cfg), codes))
    return sum(checks) / len(checks)
