"""Exercise collections in the Exercism track layout (`kind: exercism`): one `instruction`
record per exercise whose reference solution passes the exercise's own tests in the sandbox.

cfg keys (defaults): root (required: the track's `exercises/practice` folder, laid out as
budgetai.suites.exercism reads it), license (required: the collection's, MIT for the Exercism
Haskell track), exercises (unset: every exercise directory; else the names to read, each must
exist), url_template (unset: "<exercise>/.meta/examples/<reference>/src/<file>"; fields
{exercise}, {reference}, {file}), verify_workers (2: references built and run at a time),
verify_cache_dir ("results/cache/exercism").

A record: prompt = the exercise's task as evaluation shows it (`exercise_prompt`: instructions,
the stub of the module to write, provided modules, libraries); response = the reference module
in a ```haskell fence; group = the exercise's name, so an exercise ported to two collections
lands in one split; meta = what the verifier needs to run the tests again on another answer
(module, solution file, tests, provided modules, libraries, extensions) and the reference's
verdict. ids and urls hold exercise and file names only, never the root.

The reference is the track's chosen example (`.meta/config.json` files.example, else
success-standard): it is compiled with the exercise's provided modules and test/Tests.hs under
the hspec driver of budgetai.haskell.hspec (a nonce-printing main of ours; every example runs)
in the sandbox. Unlike the scoring of a model's answer (budgetai.evaluate.exercism), pragmas are
not refused: a reference is the collection's own code (list-ops' HLint `ANN` pragma is harmless),
and a reference that fails its tests is dropped whatever it tries.

Accounting: each exercise directory is one unit, yielded, dropped (`no_reference`,
`reference_fails_tests`: it does not build or some example fails; `missing_package`: it needs a
library this GHC lacks, the machine's gap) or quarantined (`outside_root`: any file of the
exercise is a link out of the root, budgetai.sources.paths; `exercise_format_error`: the
layout cannot be read; `tests_not_runnable`: its test file defines no `specs`). Verdicts are
cached as one JSON file per sha256 of (this checker's version, GHC's version, the tests, the
modules built, libraries, extensions) under verify_cache_dir; a verdict cut short by a limit
(timeout, memory) is not cached, so a loaded machine does not condemn a reference for good.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from budgetai.core.io import write_json
from budgetai.core.records import Record
from budgetai.core.stats import StageStats, quarantine_unit
from budgetai.haskell.execution import ExecutionConfig, ghc_path
from budgetai.haskell.hspec import SpecModuleError, build_suite, missing_packages, run_suite
from budgetai.sources.paths import OUTSIDE_ROOT, OutsideRoot, real_path_inside
from budgetai.suites.exercism import Exercise, ExerciseFormatError, exercise_prompt, read_exercise

REFERENCE_FAILS = "reference_fails_tests"
DEFAULT_CACHE_DIR = "results/cache/exercism"
DEFAULT_WORKERS = 2
# Bump when how a reference is built or judged changes: older cached verdicts are then not reused.
CHECKER_VERSION = "1"
_NOT_CACHED = ("timeout", "memory_exceeded", "disk_exceeded")  # the machine's limits, not the code's


@dataclass(frozen=True)
class ReferenceVerdict:
    """How a reference did against its exercise's tests. status: passed, failed (an example
    failed), compile_error, missing_package, harness_error, or the sandbox's (timeout, ...)."""

    status: str
    examples: int = 0
    failures: int = 0
    detail: str = ""  # GHC's or hspec's output, cut

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    root = Path(cfg.get("root") or "")
    if not cfg.get("root") or not root.is_dir():
        raise FileNotFoundError(f"exercism source {source!r}: root {str(root)!r} is not a directory")
    if not cfg.get("license"):
        raise ValueError(f"exercism source {source!r}: 'license' is required (the collection's license)")
    exercises = []
    for directory in exercise_dirs(source, root, cfg.get("exercises")):
        stats.rows_in += 1
        exercise = _read_inside(source, directory, root, stats, quarantine)
        if exercise is None:
            continue
        if exercise.reference is None or exercise.solution_file not in exercise.reference.sources:
            stats.drop("no_reference", unit=f"{source}:{exercise.slug}")
            continue
        exercises.append(exercise)
    verdicts = verify_references(exercises, cfg, stats)
    for exercise, verdict in zip(exercises, verdicts):
        unit = f"{source}:{exercise.slug}"
        if verdict.status == "harness_error":
            quarantine_unit(stats, quarantine, source, f"{exercise.slug}/test/Tests.hs",
                            "tests_not_runnable", message=verdict.detail)
        elif verdict.status == "missing_package":
            stats.drop("missing_package", unit=unit)
        elif not verdict.passed:
            stats.drop(REFERENCE_FAILS, unit=unit)
        else:
            yield exercise_record(source, cfg, exercise, verdict)


def exercise_dirs(source: str, root: Path, wanted: list[str] | None) -> list[Path]:
    """The exercise directories under root (sorted, hidden ones skipped), or the `wanted` ones."""
    found = {d.name: d for d in sorted(root.iterdir()) if d.is_dir() and not d.name.startswith(".")}
    if wanted is None:
        return list(found.values())
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        raise ValueError(f"exercism source {source!r}: exercises {unknown} are not directories "
                         f"of {root}")
    return [found[name] for name in sorted(set(wanted))]


def _read_inside(source: str, directory: Path, root: Path, stats: StageStats,
                 quarantine: list[dict]) -> Exercise | None:
    """The exercise, or None after quarantining it: a file of it that is a link out of the root
    (its tests, stub or reference would be a file nobody chose), or a layout that cannot be read."""
    try:
        check_tree_inside(directory, root)
        return read_exercise(directory)
    except OutsideRoot as err:
        quarantine_unit(stats, quarantine, source, directory.name, OUTSIDE_ROOT, raw=str(err))
    except (ExerciseFormatError, UnicodeDecodeError, OSError) as err:
        quarantine_unit(stats, quarantine, source, directory.name, "exercise_format_error",
                        message=str(err))
    return None


def check_tree_inside(directory: Path, root: Path) -> None:
    """OutsideRoot unless `directory` and everything under it (links not followed into, but
    each checked) lies inside the real root."""
    real_path_inside(directory, root)
    for parent, dirs, files in os.walk(directory, followlinks=False):
        for name in dirs + files:
            real_path_inside(Path(parent) / name, root)


def exercise_record(source: str, cfg: dict, exercise: Exercise, verdict: ReferenceVerdict) -> Record:
    reference = exercise.reference
    fields = {"exercise": exercise.slug, "reference": reference.name, "file": exercise.solution_file}
    template = cfg.get("url_template") or "{exercise}/.meta/examples/{reference}/src/{file}"
    module = reference.sources[exercise.solution_file].rstrip()
    return Record(
        id=f"{source}:{exercise.slug}", source=source, kind="instruction",
        prompt=exercise_prompt(exercise), response=f"```haskell\n{module}\n```",
        language="haskell", url=template.format(**fields), license=cfg["license"], group=exercise.slug,
        meta={"exercise": exercise.slug, "module": exercise.module,
              "solution_file": exercise.solution_file, "reference": reference.name,
              "tests": exercise.tests, "support": dict(exercise.support),
              "dependencies": list(_packages(exercise)), "extensions": list(exercise.extensions),
              "reference_verdict": {"status": verdict.status, "examples": verdict.examples}},
    )


def verify_references(exercises: list[Exercise], cfg: dict,
                      stats: StageStats | None = None) -> list[ReferenceVerdict]:
    """Each exercise's reference verdict, from the cache or the sandbox (verify_workers at a time)."""
    cache = Path(cfg.get("verify_cache_dir") or DEFAULT_CACHE_DIR)
    exec_cfg = ExecutionConfig()
    keys = [verdict_key(e, exec_cfg.ghc) for e in exercises]
    cached = [_cached(cache, key) for key in keys]
    missing = [i for i, verdict in enumerate(cached) if verdict is None]
    workers = max(1, int(cfg.get("verify_workers") or DEFAULT_WORKERS))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i, verdict in zip(missing, pool.map(lambda i: check_reference(exercises[i], exec_cfg), missing)):
            cached[i] = verdict
            if verdict.status not in _NOT_CACHED:
                write_json(asdict(verdict), _cache_path(cache, keys[i]))
    if stats is not None:
        stats.extra["reference_checks"] = {
            "exercises": len(exercises), "from_cache": len(exercises) - len(missing),
            "sandbox_runs": len(missing), "passed": sum(v.passed for v in cached),
            "examples_passed": sum(v.examples - v.failures for v in cached if v.passed)}
    return cached


def check_reference(exercise: Exercise, cfg: ExecutionConfig = ExecutionConfig()) -> ReferenceVerdict:
    """Build the exercise's reference with its tests in the sandbox and run every example."""
    packages = _packages(exercise)
    missing = missing_packages(packages, cfg.ghc)
    if missing:
        return ReferenceVerdict("missing_package", detail=f"this GHC lacks {', '.join(missing)}")
    sources = {**exercise.support, **exercise.reference.sources}
    with tempfile.TemporaryDirectory(prefix="budgetai-reference-") as tmp:
        try:
            argv, error, output = build_suite(sources, exercise.tests, Path(tmp),
                                              [p for p in packages if p != "base"],
                                              _extensions(exercise), cfg)
        except SpecModuleError as err:
            return ReferenceVerdict("harness_error", detail=f"{exercise.slug}/test/Tests.hs: {err}")
        if error is not None:
            status = error if error in _NOT_CACHED else "compile_error"
            return ReferenceVerdict(status, detail=output[-cfg.stderr_chars:])
        run = run_suite(argv, Path(tmp), cfg=cfg)
    return ReferenceVerdict(run.status, run.examples or 0, run.failures or 0,
                            run.output[-cfg.stderr_chars:] if not run.status == "passed" else "")


def verdict_key(exercise: Exercise, ghc: str = "ghc") -> str:
    """sha256 of everything a verdict depends on: this checker, GHC, tests, modules, libraries."""
    parts = [CHECKER_VERSION, ghc_version(ghc), exercise.tests,
             json.dumps({**exercise.support, **exercise.reference.sources}, sort_keys=True),
             " ".join(_packages(exercise)), " ".join(_extensions(exercise))]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def ghc_version(ghc: str = "ghc") -> str:
    return subprocess.run([ghc_path(ghc), "--numeric-version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _packages(exercise: Exercise) -> tuple[str, ...]:
    """The exercise's libraries and its reference's (a reference may use more, e.g. split)."""
    return tuple(dict.fromkeys(exercise.dependencies + exercise.reference.dependencies))


def _extensions(exercise: Exercise) -> tuple[str, ...]:
    return tuple(dict.fromkeys(exercise.extensions + exercise.reference.extensions))


def _cache_path(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.json"


def _cached(cache: Path, key: str) -> ReferenceVerdict | None:
    path = _cache_path(cache, key)
    if not path.is_file():
        return None
    try:
        return ReferenceVerdict(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):  # a damaged cache entry is checked again, not trusted
        return None
