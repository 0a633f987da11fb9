"""`budgetai compare A_DIR B_DIR`: paired comparison of two evaluation directories (base vs
tuned, experiment vs experiment) on every suite both evaluated: per rung an exact sign test
(McNemar), for the graded share a paired bootstrap; each difference labelled "p = ..." or
"not distinguishable at 5%" (budgetai.evaluate.paired); a held-out suite shows each run's loss.

    budgetai compare results/experiments/base/eval results/experiments/haskell-smollm2/eval
    budgetai compare A_DIR B_DIR --suite exercises --json comparison.json
"""

from __future__ import annotations

import json
from pathlib import Path

from tabulate import tabulate

from budgetai.evaluate.paired import HELDOUT_LOSS, compare_runs

GENERATIONS_SUFFIX = ".generations.jsonl"


def add_cli(commands) -> None:
    p = commands.add_parser("compare", help="is the difference between two evaluations real? "
                                            "(paired tests per suite)")
    p.add_argument("a_dir", help="directory of run A's <suite>.json + <suite>.generations.jsonl")
    p.add_argument("b_dir", help="directory of run B's")
    p.add_argument("--suite", action="append", help="compare only this suite (repeatable)")
    p.add_argument("--json", help="also write the comparisons to this JSON file")
    p.set_defaults(run=run)


def run(args) -> int:
    suites = shared_suites(Path(args.a_dir), Path(args.b_dir), args.suite)
    comparisons = {}
    for suite in suites:
        comparisons[suite] = compare_runs(*(Path(d) / f"{suite}{ext}" for d in (args.a_dir, args.b_dir)
                                            for ext in (".json", GENERATIONS_SUFFIX)))
        print(render(suite, comparisons[suite]))
    if args.json:
        Path(args.json).write_text(json.dumps(comparisons, indent=2) + "\n", encoding="utf-8")
    return 0


def shared_suites(a_dir: Path, b_dir: Path, wanted: list[str] | None) -> list[str]:
    """Suites with an eval JSON and a generations file in both directories."""
    def suites(directory: Path) -> set[str]:
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: not a directory of evaluation results")
        return {p.name[: -len(GENERATIONS_SUFFIX)] for p in directory.glob(f"*{GENERATIONS_SUFFIX}")
                if (directory / (p.name[: -len(GENERATIONS_SUFFIX)] + ".json")).is_file()}

    both = suites(a_dir) & suites(b_dir)
    if wanted:
        missing = sorted(set(wanted) - both)
        if missing:
            raise ValueError(f"suite(s) {missing} not evaluated in both {a_dir} and {b_dir} "
                             f"(both have: {sorted(both)})")
        both = set(wanted)
    if not both:
        raise ValueError(f"{a_dir} and {b_dir} share no evaluated suite (<suite>.json + <suite>{GENERATIONS_SUFFIX})")
    return sorted(both)


def render(suite: str, comparison: dict) -> str:
    if HELDOUT_LOSS in comparison:
        loss = comparison[HELDOUT_LOSS]
        cells = [_num(loss["a"]), _num(loss["b"]), "–" if loss["difference"] is None else f"{loss['difference']:+.3f}"]
        table = tabulate([cells + [comparison["verdict"]]], headers=["A", "B", "B - A", "test"], disable_numparse=True)
        return f"{suite}: held-out loss (lower is better)\n{table}\n"
    rows = [[rung, f"{c['a_rate']:.3f}", f"{c['b_rate']:.3f}", c["a_better"], c["b_better"], c["verdict"]]
            for rung, c in comparison["rungs"].items()]
    graded = comparison["graded_share"]
    rows.append(["graded share", f"{graded['a']:.3f}", f"{graded['b']:.3f}",
                 f"diff {graded['difference']:+.3f}", f"[{graded['ci95'][0]:+.3f}, {graded['ci95'][1]:+.3f}]",
                 graded["verdict"]])
    table = tabulate(rows, headers=["", "A", "B", "A ahead", "B ahead", "difference"])
    return f"{suite}: {comparison['problems']} problems in both\n{table}\n"


def _num(value) -> str:
    return "–" if value is None else f"{value:.3f}"
