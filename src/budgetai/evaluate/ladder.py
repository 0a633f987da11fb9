"""The evaluation ladder: of all generated programs, how many parse, how many type-check, how
many pass their tests. Each rung is a rate with a 95% Wilson score interval, so a base and a
tuned model are compared where a Haskell programmer would notice (a model that writes Python
syntax in a ```haskell fence fails the first rung, whatever its loss).

The rungs of each answer come from the one scoring path, budgetai.evaluate.scoring (GHC's
verdict where the answer has tests; tree-sitter and GHC `-fno-code` where it has none).
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


def ladder(rungs: Iterable) -> dict:
    """Rung rates over every answer (budgetai.evaluate.scoring.Rungs). passes is None (not
    measured) when no answer had tests."""
    rungs = list(rungs)
    tested = [r for r in rungs if r.passes is not None]
    return {"parses": rung(sum(r.parses for r in rungs), len(rungs)),
            "typechecks": rung(sum(r.typechecks for r in rungs), len(rungs)),
            "passes": rung(sum(r.passes for r in tested), len(tested)) if tested else None}
