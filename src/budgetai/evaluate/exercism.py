"""Scoring for the "exercism" suite format: the answer is the whole module an exercise asks for;
it is compiled with the exercise's own hspec tests (budgetai.haskell.hspec) in the sandbox and
every example runs. Per answer: parses / type-checks against the tests (it built) / passes all,
plus examples passed of examples run, the graded credit.

    score_exercise(problem, code, cfg) -> ExerciseOutcome

budgetai.evaluate.scoring turns an outcome into the SampleResult every format shares
(tests_passed / tests_total are the hspec examples). What cannot be built here for a reason
that is not the answer's (a library this GHC lacks, a test file without `specs`) is classed
`missing_package` / `harness_error` and listed by `not_built`.

The answer writes the whole module, types the tests compare included, so a hand-written
`instance Eq T` could make unequal values equal (Exercism's own runner has this gap). Where the
stub derives a class for a type it declares and the answer keeps that declaration, the answer
may not write that instance itself, nor use DerivingVia (`forbidden_instance`); pragmas that
change compilation and overlapping instances are refused as in the other formats.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from budgetai.evaluate.pass_at_k import bootstrap_ci
from budgetai.evaluate.prompts import SYSTEM_PROMPT, refused_pragma
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.hspec import (HSPEC_RUN_LIMITS, SpecModuleError, build_suite, debian_package,
                                    missing_packages, run_suite)
from budgetai.haskell.module_header import ModuleHeaderError, read_header, with_module_line
from budgetai.haskell.sandbox import SandboxLimits
from budgetai.suites.load import Problem

ENVIRONMENT_ERRORS = ("missing_package", "harness_error")  # not the answer's fault
# A data/newtype declaration with its indented continuation lines, and the classes it derives.
_DECLARATION = re.compile(r"^(?:data|newtype)\s+([A-Z][\w']*)[^\n]*(?:\n[ \t]+[^\n]*)*", re.MULTILINE)
_DERIVING = re.compile(r"deriving\s*(?:stock\s*)?(?:\(([^)]*)\)|([A-Z][\w.]*))")
_DERIVING_VIA = re.compile(r"\{-#\s*LANGUAGE\b[^#]*\bDerivingVia\b", re.IGNORECASE)


@dataclass
class ExerciseOutcome:
    compiled: bool
    compile_error_class: str | None  # as compile_program's, plus forbidden_pragma, forbidden_instance
    #                                  and ENVIRONMENT_ERRORS
    compile_stderr: str
    examples_passed: int
    examples_total: int  # 0 where the tests never ran
    status: str  # passed, failed, compile_error, forbidden_pragma, timeout, exited_early, ...
    runtime_s: float = 0.0
    timed_out: bool = False
    oom: bool = False
    failures: list[str] = field(default_factory=list)  # hspec's report of the failed examples

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def exercise_messages(problem: Problem) -> list[dict]:
    """Chat messages asking for the whole module in one fenced block."""
    ask = (f"Solve the following Haskell exercise. Reply with the complete module "
           f"`{problem.entry}` (its module line, imports, and every definition) in a single "
           f"```haskell code block, without tests or a main function.\n\n{problem.prompt.strip()}")
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": ask}]


def score_exercise(problem: Problem, code: str, cfg: ExecutionConfig = ExecutionConfig()) -> ExerciseOutcome:
    """Compile `code` as the exercise's module with its tests and run every example."""
    exercise = problem.exercise
    refused = refused_pragma(code, beside_tests=True)
    if refused:
        return _not_compiled("forbidden_pragma", f"the answer uses {refused}, which answers may not "
                             f"use (it could change how the tests are compiled or judged)")
    overridden = overridden_instance(exercise.stub, code)
    if overridden:
        return _not_compiled("forbidden_instance", f"the answer defines {overridden} itself: the stub "
                             f"derives it, and the tests compare with it")
    missing = missing_packages(exercise.dependencies, cfg.ghc)
    if missing:
        return _not_compiled("missing_package", "this GHC lacks " + ", ".join(
            f"{name} (Debian: {debian_package(name)})" for name in missing))
    sources = {**exercise.support, exercise.solution_file: _with_module_line(code, exercise.module)}
    packages = [d for d in exercise.dependencies if d != "base"]
    with tempfile.TemporaryDirectory(prefix="budgetai-hspec-") as tmp:
        workdir = Path(tmp)
        try:
            argv, error, stderr = build_suite(sources, exercise.tests, workdir, packages,
                                              exercise.extensions, cfg, exercise.test_support)
        except SpecModuleError as err:
            return _not_compiled("harness_error", f"{exercise.path}/test/Tests.hs: {err}")
        if error is not None:
            return _compile_failure(exercise, error, stderr, cfg)
        run = run_suite(argv, workdir, run_limits(cfg), cfg)
    failures = [run.output[-cfg.stderr_chars:]] if run.status != "passed" else []
    return ExerciseOutcome(True, None, stderr[: cfg.stderr_chars], run.passed_examples,
                           run.examples or 0, run.status, run.wall_s, run.timed_out,
                           run.memory_exceeded, failures)


def overridden_instance(stub: str, code: str) -> str | None:
    """The first instance that the stub derives for a type it declares and that `code`, keeping
    the stub's declaration of that type, writes by hand (e.g. "instance Eq Version"); or
    DerivingVia where the stub derives anything. An answer that declares the type otherwise (a
    stub's placeholder `data CustomSet a = Dummy deriving (Eq, Show)`) writes its own instances.
    None if there is nothing to refuse."""
    answer_types = _declarations(code)
    derived = set()
    for type_name, (shape, classes) in _declarations(stub).items():
        derived |= classes
        if type_name in answer_types and answer_types[type_name][0] != shape:
            continue
        for cls in sorted(classes):
            if re.search(rf"^instance\b[^\n]*?\b{cls}\s*\(?\s*{type_name}\b", code, re.MULTILINE):
                return f"instance {cls} {type_name}"
    if derived and _DERIVING_VIA.search(code):  # `deriving Eq via AlwaysEqual`, on any line
        return "instances derived via other types (DerivingVia)"
    return None


def _declarations(text: str) -> dict[str, tuple[str, set[str]]]:
    """type name -> (its declaration without deriving clauses, whitespace-normalised; the
    classes it derives)."""
    found = {}
    for declaration in _DECLARATION.finditer(text):
        classes = set()
        for deriving in _DERIVING.finditer(declaration.group(0)):
            names = deriving.group(1) if deriving.group(1) is not None else deriving.group(2)
            classes |= {n.strip().split(".")[-1] for n in names.split(",") if n.strip()}
        shape = " ".join(_DERIVING.sub(" ", declaration.group(0)).split())
        found[declaration.group(1)] = (shape, classes)
    return found


def run_limits(cfg: ExecutionConfig) -> SandboxLimits:
    """The limits of one whole test-suite run: HSPEC_RUN_LIMITS, with the config's
    timeout_per_test_s (if set) as its wall and CPU seconds."""
    if cfg.timeout_per_test_s is None:
        return HSPEC_RUN_LIMITS
    seconds = cfg.timeout_per_test_s
    return SandboxLimits(**{**asdict(HSPEC_RUN_LIMITS), "wall_s": seconds,
                            "cpu_s": max(1, int(seconds + 0.999))})


def reference_completions(problems: list[Problem]) -> dict[str, list[str]]:
    """One completion per exercise that ships a reference: its module in a Haskell fence, so
    `--references` scores it exactly as a model's answer is scored."""
    return {p.id: [f"```haskell\n{p.reference.rstrip()}\n```\n"] for p in problems if p.reference}


def references_not_passing(rows: list[dict], problems: list[Problem]) -> list[dict]:
    """What keeps each exercise's reference from passing here (rows: its scored generation
    rows), and the exercises that ship no reference: reported, not hidden."""
    out = [{"problem_id": r["problem_id"], "status": r["status"], "compile_error_class": r["compile_error_class"],
            "examples": f"{r['tests_passed']}/{r['tests_total']}", "detail": r["compile_stderr"][:300]}
           for r in rows if not r["passed"]]
    return out + [{"problem_id": p.id, "status": "no_reference", "compile_error_class": None, "examples": None,
                   "detail": f"{p.exercise.path}/.meta/examples has no success-* solution"}
                  for p in problems if not p.reference]


def graded_summary(rows: list[dict], seed: int = 0) -> dict:
    """The graded share (mean over answers of examples passed / examples run, 0 where the tests
    never ran) with a 95% bootstrap interval over exercises (seeded), plus example totals and
    what could not be built here. rows: generation rows (problem_id, tests_passed, tests_total,
    compile_error_class, ...)."""
    if not rows:
        raise ValueError("graded_summary: no rows")
    per_problem: dict[str, list[float]] = {}
    for row in rows:
        per_problem.setdefault(row["problem_id"], []).append(graded_credit(row))
    means = np.array([np.mean(v) for v in per_problem.values()])
    return {"graded_share": float(np.mean([c for v in per_problem.values() for c in v])),
            "graded_share_ci95": bootstrap_ci(means, np.random.default_rng(seed)),
            "examples_passed": sum(r["tests_passed"] for r in rows),
            "examples_run": sum(r["tests_total"] for r in rows),
            "not_built": not_built(rows)}


def graded_credit(row: dict) -> float:
    return row["tests_passed"] / row["tests_total"] if row["tests_total"] else 0.0


def not_built(rows: list[dict]) -> list[dict]:
    """Exercises this machine could not build for a reason that is not the answer's."""
    seen, out = set(), []
    for row in rows:
        if row["compile_error_class"] in ENVIRONMENT_ERRORS and row["problem_id"] not in seen:
            seen.add(row["problem_id"])
            out.append({"problem_id": row["problem_id"], "reason": row["compile_error_class"],
                        "detail": row["compile_stderr"][:300]})
    return out


def _with_module_line(code: str, module: str) -> str:
    """The answer as the module file: a module line added where the answer has none."""
    try:
        header = read_header(code)
    except ModuleHeaderError:
        return code  # GHC names the error
    return code if header.name else with_module_line(code, header, f"module {module} where")


def _compile_failure(exercise, error: str, stderr: str, cfg: ExecutionConfig) -> ExerciseOutcome:
    """A failed build; a module not found where a library the suite names (its package.yaml or
    a reference's) is missing here is the machine's gap, not the answer's."""
    if error == "scope_error" and "could not find module" in stderr.lower():
        named = {d for s in exercise.references for d in s.dependencies} | set(exercise.dependencies)
        missing = missing_packages(sorted(named), cfg.ghc)
        if missing:
            stderr = "this GHC lacks " + ", ".join(
                f"{name} (Debian: {debian_package(name)})" for name in missing) + "\n" + stderr
            error = "missing_package"
    return ExerciseOutcome(False, error, stderr[: cfg.stderr_chars], 0, 0, "compile_error",
                           timed_out=error == "timeout")


def _not_compiled(error_class: str, message: str) -> ExerciseOutcome:
    status = error_class if error_class in ("forbidden_pragma", "forbidden_instance") else "compile_error"
    return ExerciseOutcome(False, error_class, message, 0, 0, status)
