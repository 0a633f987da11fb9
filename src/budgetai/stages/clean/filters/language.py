"""A cheap "is this Haskell?" scorer: weighted counts of Haskell markers against Python and
C-family markers. It is for filtering scraped answers, not for parsing: a snippet needs a clear
margin of Haskell evidence over other evidence."""

from __future__ import annotations

import re

_M = re.MULTILINE
MARKERS: dict[str, list[tuple[re.Pattern, float]]] = {
    "haskell": [
        (re.compile(r"^\s*[a-z_][\w']*\s*::", _M), 3.0),  # type signature
        (re.compile(r"::"), 1.0),
        (re.compile(r"->"), 0.5),
        (re.compile(r"<-"), 1.0),
        (re.compile(r"\bwhere\b"), 1.0),
        (re.compile(r"\blet\b[^\n]*="), 1.0),
        (re.compile(r"^import\s+qualified\b", _M), 3.0),
        (re.compile(r"^import\s+[A-Z][\w.]*", _M), 2.0),
        (re.compile(r"^\s*(?:data|newtype|type)\s+[A-Z]", _M), 3.0),
        (re.compile(r"^\s*(?:instance|class)\s+[\w\s(),]*\bwhere\b", _M), 3.0),
        (re.compile(r"\bderiving\b"), 3.0),
        (re.compile(r"\bdo\s*$|\bdo\s+\w+\s*<-", _M), 2.0),
        (re.compile(r"^module\s+[A-Z][\w.]*", _M), 3.0),
        (re.compile(r"=>|<\$>|>>=|<\*>|\$\s|\bcase\b[^\n]*\bof\b"), 1.0),
        (re.compile(r"^\s*[a-z_][\w']*(?:\s+[\w'(\[\]):_]+)*\s*=[^=]", _M), 0.5),  # equation
    ],
    "python": [
        (re.compile(r"^\s*def\s+\w+\s*\(.*\)\s*(?:->[^:]*)?:\s*$", _M), 3.0),
        (re.compile(r"^\s*(?:from\s+[\w.]+\s+)?import\s+[a-z_][\w.]*(?:\s+as\s+\w+)?\s*$", _M), 1.0),
        (re.compile(r"^\s*(?:if|elif|else|for|while|try|except|with)\b[^\n]*:\s*$", _M), 2.0),
        (re.compile(r"\bself\.|\bprint\(|\bNone\b|\belif\b|__\w+__"), 1.5),
    ],
    "c_family": [
        (re.compile(r"^\s*#include\b", _M), 3.0),
        (re.compile(r";\s*$", _M), 1.0),
        (re.compile(r"\b(?:int|void|char|double|public|static|const)\s+\w+\s*[(=;]"), 2.0),
        (re.compile(r"\bstd::|printf\(|System\.out|console\.log|\bfunction\b"), 2.0),
        (re.compile(r"[{}]\s*$", _M), 0.5),
    ],
}


def language_scores(code: str) -> dict[str, float]:
    """Weighted marker counts per language family."""
    return {name: sum(weight * len(pattern.findall(code)) for pattern, weight in patterns)
            for name, patterns in MARKERS.items()}


def looks_like(code: str, language: str, min_score: float = 3.0, margin: float = 1.0) -> bool:
    """True when `language`'s score is at least min_score and at least `margin` times every other
    family's. Only "haskell" and "python" can be asked for; others raise ValueError."""
    language = {"hs": "haskell", "py": "python"}.get(language.lower(), language.lower())
    if language not in ("haskell", "python"):
        raise ValueError(f"require_language {language!r}: only 'haskell' and 'python' are scored")
    scores = language_scores(code)
    mine = scores.pop(language)
    return mine >= min_score and all(mine >= margin * other for other in scores.values() if other > 0)
