"""The one scoring path: answers -> per-answer rungs of the ladder (parses -> type-checks ->
passes its tests). Final evaluation (budgetai.evaluate.runner) and checkpoint selection
(budgetai.train.checkpoint_scoring) both score through here, so a checkpoint chosen by a rung is
judged by the rule the report shows.

- With tests (`score_completions`): extract the code, assemble the program, compile it in the
  sandbox, run every test (stdio problems compare output, trailing whitespace per line and
  trailing blank lines ignored; MultiPL-E and HumanEval-Python problems pass when their assertion
  program exits 0). `rungs_of_result` reads GHC's verdict: it stops at the first failing phase,
  so a build that failed for any reason but a parse error (or a timeout) parsed.
- Without tests (`rungs_without_tests`): tree-sitter parses, GHC `-fno-code` type-checks; a
  snippet GHC type-checks parsed, whatever tree-sitter says.

An answer with no code fails every rung: an empty module parses and type-checks, and a model
that answers nothing must not score.
"""

from __future__ import annotations

import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from budgetai.evaluate.exercism import ExerciseOutcome, score_exercise
from budgetai.evaluate.prompts import PASS_MARKER, RefusedPragma, assemble_program
from budgetai.haskell.execution import ExecutionConfig, compile_program, run_program, typecheck_only
from budgetai.haskell.fences import extract_code
from budgetai.haskell.parse import haskell_parses
from budgetai.haskell.sandbox import SandboxResult
from budgetai.suites.load import Problem


@dataclass
class SampleResult:
    problem_id: str
    sample_index: int
    code: str
    compiled: bool
    compile_error_class: str | None  # parse_error, type_error, scope_error, timeout,
    #                                  disk_exceeded (it filled its work area), memory_exceeded
    #                                  (its compile, TH included, went over the memory cap), forbidden_pragma
    #                                  (refused before compiling), other
    compile_stderr: str
    tests_passed: int
    tests_total: int
    passed: bool
    runtime_s: float
    timed_out: bool
    oom: bool
    status: str = ""  # passed, compile_error, forbidden_pragma, wrong_answer, runtime_error,
    #                   timeout, exited_early (exit 0 before its tests finished), ...
    failures: list[str] = field(default_factory=list)  # per failing test: "test 3: timeout"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rungs:
    """How far one answer climbed. passes is None where the answer had no tests to run."""

    parses: bool
    typechecks: bool
    passes: bool | None


def rungs_of_result(result: SampleResult) -> Rungs:
    """The rungs of an answer compiled and run against its tests."""
    if not result.code.strip():
        return Rungs(False, False, False)
    parses = result.compiled or result.compile_error_class not in ("parse_error", "timeout")
    return Rungs(parses, result.compiled, result.passed)


def rungs_without_tests(codes: list[str], cfg: ExecutionConfig = ExecutionConfig()) -> list[Rungs]:
    """The rungs of extracted Haskell code without tests (passes: None)."""
    def climb(code: str) -> Rungs:
        if not code.strip():
            return Rungs(False, False, None)
        typechecks = typecheck_only(code, cfg)
        return Rungs(typechecks or haskell_parses(code), typechecks, None)

    with ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool:
        return list(pool.map(climb, codes))


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
    if problem.format == "exercism":
        return _exercise_result(problem.id, sample_index, code, score_exercise(problem, code, cfg))
    try:
        program = assemble_program(problem, code)
    except RefusedPragma as refused:
        return SampleResult(problem.id, sample_index, code, False, "forbidden_pragma", str(refused),
                            0, _count_tests(problem), False, 0.0, False, False,
                            status="forbidden_pragma")
    with tempfile.TemporaryDirectory(prefix="budgetai-exec-") as tmp:
        workdir = Path(tmp)
        argv, compile_error, compile_stderr = compile_program(problem.language, program, workdir, cfg)
        result = SampleResult(problem.id, sample_index, code, compile_error is None,
                              compile_error, compile_stderr[: cfg.stderr_chars], 0,
                              _count_tests(problem), False, 0.0, False, False)
        if compile_error is not None:
            result.status = "compile_error"
            result.timed_out = compile_error == "timeout"
            return result
        _run_tests(problem, argv, workdir, cfg, result)
    return result


def _exercise_result(problem_id: str, sample_index: int, code: str,
                     outcome: ExerciseOutcome) -> SampleResult:
    """An exercism answer's outcome as a SampleResult: its tests are the hspec examples."""
    return SampleResult(problem_id, sample_index, code, outcome.compiled, outcome.compile_error_class,
                        outcome.compile_stderr, outcome.examples_passed, outcome.examples_total,
                        outcome.passed, outcome.runtime_s, outcome.timed_out, outcome.oom,
                        status=outcome.status, failures=outcome.failures)


def _count_tests(problem: Problem) -> int:
    return len(problem.tests) if problem.format == "stdio" else 1


def _run_tests(problem: Problem, argv: list[str], workdir: Path, cfg: ExecutionConfig,
               result: SampleResult) -> None:
    cases = problem.tests if problem.format == "stdio" else [None]
    for number, case in enumerate(cases, start=1):
        # Function formats: a fresh nonce per run, which only the harness's main prints back.
        nonce = None if case else secrets.token_hex(16)
        stdin = case["input"].encode() if case else f"{nonce}\n".encode()
        run = run_program(argv, workdir, cfg, stdin=stdin)
        result.runtime_s += run.wall_s
        verdict = _verdict(run, case, nonce)
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


def _verdict(run: SandboxResult, case: dict | None, nonce: str | None) -> str:
    if run.status != "ok":
        return run.status
    if case is None:
        lines = run.stdout.decode("utf-8", "replace").rstrip().splitlines()
        return "passed" if lines and lines[-1] == f"{PASS_MARKER} {nonce}" else "exited_early"
    got = run.stdout.decode("utf-8", "replace")
    return "passed" if normalize_output(got) == normalize_output(case["output"]) else "wrong_answer"


def normalize_output(text: str) -> str:
    """Output as compared: trailing whitespace per line and trailing blank lines removed."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).rstrip("\n")
