"""Build and run an hspec test suite in the sandbox: the solution's modules under src/, the
suite's spec module under test/, and a driver of ours as Main.

The driver, not the suite's own `main`, runs the specs: it reads a nonce from stdin before any
test runs, runs every example (hspec's default config: no fail-fast, whatever the suite's `main`
asks for; QuickCheck with a fixed seed), and prints `HSPEC_MARKER nonce examples failures` once
hspec returned. Code under test runs in the same process and may print anything, or exit early,
but cannot know the nonce, so a run without that line counts no passed examples.

Test files are compiled from a copy (`spec_module`): a module line `module BudgetAIHspecSpecs
(specs) where` and one version gap fixed, hspec >= 2.9's `configFailFast` named
`configFastFail` as hspec 2.8 (Debian bookworm) calls it. Libraries come from GHC's package
database; `missing_packages` says which a suite needs that this GHC lacks.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

from budgetai.haskell.execution import ExecutionConfig, classify_compile_error, ghc_binds, ghc_path
from budgetai.haskell.module_header import ModuleHeaderError, read_header, with_module_line
from budgetai.haskell.sandbox import SandboxLimits, run_sandboxed

SPEC_MODULE, SPEC_NAME = "BudgetAIHspecSpecs", "specs"
HSPEC_MARKER = "BUDGETAI-HSPEC-SUMMARY"
# QuickCheck properties draw the same cases in every run, so two models (or two runs of one) are
# judged on the same inputs and a graded share is reproducible.
QUICKCHECK_SEED = 28
TEST_BINARY = "hspec-tests"
# A whole suite runs in one process (tens of examples, some QuickCheck properties of 100 cases
# each): more time than one stdio test. The Exercism track's references run in 0.09 s on average,
# 1.7 s at most (alphametics; bench/exercism_cost.py).
HSPEC_RUN_LIMITS = SandboxLimits(memory_mb=1024, cpu_s=20, wall_s=40, nproc=16, fsize_mb=16,
                                 output_bytes=1 << 20, tmpfs_mb=16, work_mb=64)
# Hackage names whose Debian package is not libghc-<lowercased name>-dev.
_DEBIAN_NAMES = {"QuickCheck": "libghc-quickcheck2-dev", "base": "ghc", "ghc-prim": "ghc"}
_FAIL_FAST_FIELD = re.compile(r"\bconfigFailFast\b")
_SUMMARY = re.compile(rf"^{HSPEC_MARKER} (\S+) (\d+) (\d+)$", re.MULTILINE)

_DRIVER = f"""\
module Main (main) where
import qualified {SPEC_MODULE}
import qualified System.IO
import qualified Test.Hspec.Runner

main :: IO ()
main = do
  System.IO.hSetBuffering System.IO.stdin System.IO.NoBuffering
  nonce <- System.IO.getLine
  summary <- Test.Hspec.Runner.hspecWithResult
    Test.Hspec.Runner.defaultConfig {{Test.Hspec.Runner.configQuickCheckSeed = Just {QUICKCHECK_SEED}}}
    {SPEC_MODULE}.{SPEC_NAME}
  System.IO.hFlush System.IO.stdout
  System.IO.putStrLn ("\\n{HSPEC_MARKER} " ++ nonce ++ " " ++ show (Test.Hspec.Runner.summaryExamples summary)
                      ++ " " ++ show (Test.Hspec.Runner.summaryFailures summary))
  System.IO.hFlush System.IO.stdout
"""


class SpecModuleError(ValueError):
    """A test file the harness cannot turn into a spec module (no `specs`, unreadable header)."""


@dataclass
class HspecRun:
    """One run of a built suite. examples/failures are None when the run did not finish (the
    driver's summary line never came: a crash, a timeout, an exit from the code under test)."""

    status: str  # passed, failed (some examples failed), or the sandbox's: timeout, runtime_error, ...
    examples: int | None
    failures: int | None
    wall_s: float
    cpu_s: float
    timed_out: bool
    memory_exceeded: bool
    output: str  # hspec's report (its failures), cut by the caller

    @property
    def passed_examples(self) -> int:
        return 0 if self.examples is None else self.examples - self.failures


def spec_module(test_source: str) -> str:
    """The suite's test file as the harness compiles it: a module exporting `specs`, with
    hspec 2.9's `configFailFast` renamed to 2.8's `configFastFail`."""
    if not re.search(rf"^{SPEC_NAME}\s*::", test_source, re.MULTILINE):
        raise SpecModuleError(f"the test file defines no top-level `{SPEC_NAME} :: Spec`")
    text = _FAIL_FAST_FIELD.sub("configFastFail", test_source)
    try:
        header = read_header(text)
    except ModuleHeaderError as err:
        raise SpecModuleError(f"the test file's header cannot be read: {err}") from err
    line = f"module {SPEC_MODULE} ({SPEC_NAME}) where"
    if header.name is None:
        return with_module_line(text, header, line)
    start, end = header.module_span
    return text[:start] + line + text[end:]


def build_suite(sources: Mapping[str, str], test_source: str, workdir: Path,
                packages: Sequence[str] = (), extensions: Sequence[str] = (),
                cfg: ExecutionConfig = ExecutionConfig(),
                test_sources: Mapping[str, str] | None = None) -> tuple[list[str], str | None, str]:
    """Write `sources` (relative path under src/ -> text, e.g. "Data/Stack.hs"), the test file
    and the modules it imports from test/ (`test_sources`, same shape), compile them with the
    driver in the sandbox. Returns (argv to run it, error class or None, compiler output), like
    compile_program."""
    _write_tree(workdir / "src", sources)
    _write_tree(workdir / "test", {**(test_sources or {}), f"{SPEC_MODULE}.hs": spec_module(test_source)})
    (workdir / "Main.hs").write_text(_DRIVER, encoding="utf-8")
    argv = [ghc_path(cfg.ghc), *cfg.ghc_flags, "-fforce-recomp", "-isrc", "-itest",
            "-outputdir", "build", *(f"-package={p}" for p in packages),
            *(f"-X{e}" for e in extensions), "-o", TEST_BINARY, "Main.hs"]
    done = run_sandboxed(argv, workdir, cfg.compile_limits, extra_ro_binds=ghc_binds(cfg.ghc),
                         allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend,
                         keep=TEST_BINARY)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.status == "ok" and (workdir / TEST_BINARY).exists():
        return [f"./{TEST_BINARY}"], None, stderr
    if done.timed_out or done.disk_exceeded:
        return [], done.status, stderr
    return [], classify_compile_error(stderr), stderr


def _write_tree(root: Path, files: Mapping[str, str]) -> None:
    root.mkdir(exist_ok=True)
    for relative, text in files.items():
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or path.suffix != ".hs":
            raise ValueError(f"build_suite: {relative!r} is not a relative .hs path")
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run_suite(argv: list[str], workdir: Path, limits: SandboxLimits = HSPEC_RUN_LIMITS,
              cfg: ExecutionConfig = ExecutionConfig()) -> HspecRun:
    """Run a built suite once; every example runs (no fail-fast)."""
    nonce = secrets.token_hex(16)
    done = run_sandboxed(argv, workdir, limits, stdin=f"{nonce}\n".encode(),
                         allow_unsandboxed=cfg.allow_unsandboxed, backend=cfg.backend)
    output = done.stdout.decode("utf-8", "replace")
    summary = [m for m in _SUMMARY.finditer(output) if m.group(1) == nonce]
    examples = failures = None
    status = done.status if done.status != "ok" else "exited_early"
    if summary and done.status in ("ok", "runtime_error"):
        examples, failures = int(summary[-1].group(2)), int(summary[-1].group(3))
        status = "passed" if failures == 0 and done.status == "ok" else "failed"
        output = output[: summary[-1].start()]
    return HspecRun(status, examples, failures, done.wall_s, done.cpu_s, done.timed_out,
                    done.memory_exceeded, output + done.stderr.decode("utf-8", "replace"))


def missing_packages(packages: Sequence[str], ghc: str = "ghc") -> list[str]:
    """The packages among `packages` that GHC's package database does not have."""
    installed = _installed_packages(ghc)
    return [p for p in packages if p not in installed]


def debian_package(name: str) -> str:
    """The Debian package that ships a Hackage library to GHC (a hint for error messages)."""
    return _DEBIAN_NAMES.get(name, f"libghc-{name.lower()}-dev")


@functools.lru_cache(maxsize=None)
def _installed_packages(ghc: str) -> frozenset[str]:
    exe = os.path.realpath(ghc_path(ghc))
    ghc_pkg = os.path.join(os.path.dirname(exe), "ghc-pkg")
    if not os.path.exists(ghc_pkg):
        ghc_pkg = shutil.which("ghc-pkg") or "ghc-pkg"
    listed = subprocess.run([ghc_pkg, "list", "--global", "--simple-output", "--names-only"],
                            capture_output=True, text=True, check=True).stdout
    return frozenset(listed.split())
