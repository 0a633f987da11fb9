"""What scoring one exercism-format answer costs: build (GHC + hspec, sandboxed) and test-run time
per exercise, against compiling a one-line stdio program in the same run, and what that makes of
an evaluation job.

    .venv/bin/python bench/exercism_cost.py                                  # resources/exercises
    .venv/bin/python bench/exercism_cost.py --suite ../shared/realdata/exercism/exercises/practice
    .venv/bin/python bench/exercism_cost.py --exercises 112 --samples 10 --workers 16

Each exercise's reference solution is built and run once, one at a time (so the times are not
inflated by a neighbour), through the scorer's own functions (budgetai.haskell.hspec). The
baseline is `main = pure ()` compiled by compile_program, what a stdio answer's build costs.
The projection: exercises x samples answers, each costing the mean build + run time, spread
over the workers; a model's answers that fail to compile cost less than a reference, answers
that loop cost up to the run limit (HSPEC_RUN_LIMITS.wall_s) each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from budgetai.haskell.execution import ExecutionConfig, compile_program
from budgetai.haskell.hspec import HSPEC_RUN_LIMITS, build_suite, run_suite
from budgetai.suites.load import load_suite

REPO = Path(__file__).resolve().parents[1]


def baseline_compile_s(cfg: ExecutionConfig, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="budgetai-bench-") as tmp:
            started = time.perf_counter()
            _, error, stderr = compile_program("haskell", "main :: IO ()\nmain = pure ()\n", Path(tmp), cfg)
            times.append(time.perf_counter() - started)
            if error:
                raise RuntimeError(f"baseline program did not compile: {stderr[:500]}")
    return statistics.median(times)


def exercise_cost(problem, cfg: ExecutionConfig) -> dict:
    exercise = problem.exercise
    sources = {**exercise.support, **exercise.reference.sources}
    packages = [d for d in exercise.dependencies if d != "base"]
    with tempfile.TemporaryDirectory(prefix="budgetai-bench-") as tmp:
        started = time.perf_counter()
        argv, error, _ = build_suite(sources, exercise.tests, Path(tmp), packages, exercise.extensions, cfg,
                                    exercise.test_support)
        build_s = time.perf_counter() - started
        if error:
            return {"id": problem.id, "build_s": build_s, "run_s": 0.0, "examples": None, "status": error}
        run = run_suite(argv, Path(tmp), HSPEC_RUN_LIMITS, cfg)
    return {"id": problem.id, "build_s": build_s, "run_s": run.wall_s, "examples": run.examples,
            "status": run.status}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(REPO / "resources/exercises"))
    parser.add_argument("--limit", type=int, help="only the first N exercises")
    parser.add_argument("--exercises", type=int, default=112, help="projection: exercises in the job")
    parser.add_argument("--samples", type=int, default=10, help="projection: answers per exercise")
    parser.add_argument("--workers", type=int, default=2, help="projection: parallel sandboxes")
    args = parser.parse_args()
    cfg = ExecutionConfig(workers=1)
    problems = [p for p in load_suite(args.suite, "exercism") if p.exercise.reference][: args.limit]
    baseline = baseline_compile_s(cfg)
    print(f"baseline: compile a one-line stdio program: {baseline:.2f} s (median of 3)")
    print(f"{'exercise':28} {'build s':>8} {'run s':>7} {'examples':>8} {'x baseline':>10}  status")
    rows = []
    for problem in problems:
        row = exercise_cost(problem, cfg)
        rows.append(row)
        print(f"{row['id']:28} {row['build_s']:8.2f} {row['run_s']:7.2f} {str(row['examples']):>8} "
              f"{(row['build_s'] + row['run_s']) / baseline:10.2f}  {row['status']}")
    build = [r["build_s"] for r in rows]
    run = [r["run_s"] for r in rows]
    per_answer = statistics.mean(b + r for b, r in zip(build, run))
    print(f"\n{len(rows)} exercises: build mean {statistics.mean(build):.2f} s (median {statistics.median(build):.2f}, "
          f"max {max(build):.2f}); run mean {statistics.mean(run):.3f} s (max {max(run):.2f}); "
          f"per answer {per_answer:.2f} s = {per_answer / baseline:.2f} x the baseline compile")
    answers = args.exercises * args.samples
    wall_h = answers * per_answer / args.workers / 3600
    print(f"projection: {args.exercises} exercises x {args.samples} samples = {answers} answers -> "
          f"{answers * per_answer / 3600:.2f} CPU-core hours of scoring, {wall_h:.2f} h wall on "
          f"{args.workers} workers (GHC builds use ~1 core each; generation time not included; "
          f"an answer that loops costs up to {HSPEC_RUN_LIMITS.wall_s:.0f} s)")


if __name__ == "__main__":
    main()
