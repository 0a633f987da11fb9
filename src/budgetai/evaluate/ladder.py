"""The evaluation ladder: of all generated programs, how many parse, how many type-check, how
many pass their tests. Each rung is a rate with a 95% Wilson score interval, so a base and a
tuned model are compared where a Haskell programmer would notice (a model that writes Python
syntax in a ```haskell fence fails the first rung, whatever its loss).

Executable suites take the rungs from GHC's verdict on each sample (GHC stops at the first failing
phase, so `parse_error` means it did not parse and a built program type-checked). The held-out
suite has no tests: its rungs are tree-sitter's parse and GHC's `-fno-code` type-check.
"""

from __future__ import annotations

import math
from typing import Iterable

RUNGS = ("parses", "typechecks", "passes")
Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """95% Wilson score interval of a binomial rate; None for n = 0. Unlike the normal
    approximation it stays inside [0, 1] and is not zero-width at 0 of 20."""
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def rung(successes: int, n: int) -> dict:
    interval = wilson_interval(successes, n)
    return {"count": successes, "n": n, "rate": successes / n if n else None,
            "ci95": list(interval) if interval else None}


def executable_ladder(results: Iterable) -> dict:
    """Rungs over every sample (SampleResult-like: compiled, compile_error_class, passed)."""
    results = list(results)
    parsed = sum(1 for r in results if r.compiled or r.compile_error_class not in ("parse_error", "timeout"))
    return {"parses": rung(parsed, len(results)),
            "typechecks": rung(sum(1 for r in results if r.compiled), len(results)),
            "passes": rung(sum(1 for r in results if r.passed), len(results))}


def heldout_ladder(parses: list[bool], typechecks: list[bool]) -> dict:
    """Rungs of generated Haskell without tests (passes is not measured: null)."""
    return {"parses": rung(sum(parses), len(parses)),
            "typechecks": rung(sum(typechecks), len(typechecks)),
            "passes": None}
