"""The language filter keeps the wanted language's code and prose about it (issue 25 item 1):
the global `require_language: haskell` dropped 222 rows of Learn You a Haskell (its text
declares "en") and 47 of 185 Rosetta Code solutions (one-liners too short to look like Haskell)."""

from __future__ import annotations

from collections import Counter

import pytest

from budgetai.core.stats import StageStats
from budgetai.sources.registry import reader_for
from budgetai.stages.clean.filters.row_checks import language_reason
from budgetai.stages.clean.stage import drop_reason, resolve_cfg

CFG = resolve_cfg({"require_language": "haskell"})


def row(kind: str, response: str, language: str = "haskell") -> dict:
    return {"kind": kind, "response": response, "language": language, "prompt": "p", "meta": "{}"}


@pytest.mark.parametrize("kind, response, language, dropped", [
    ("problem_solution", "factorial = product . enumFromTo 1\n", "haskell", False),  # too short to look like anything
    ("problem_solution", "def f(x):\n    return x\n\nprint(f(1))\n", "haskell", True),  # declared Haskell, is Python
    ("code", "x = 1\n", "python", True),  # declared another language
    ("code", "x = 1\n", "", True),  # undeclared: must look like Haskell
    ("text", "A section.\n\n```{.haskell:ghci}\nghci> succ 8\n9\n```\n", "en", False),  # GHCi session, English text
    ("text", "Compare:\n\n```python\nprint(1)\n```\n", "en", True),  # only another language's code
    ("qa", "Both:\n\n```python\nprint(1)\n```\n\n```haskell\nmain = print 1\n```\n", "haskell", False),
    ("qa", "Untagged:\n\n```\nimport sys\nfor line in sys.stdin:\n    print(line)\n```\n", "haskell", True),
    ("qa", "No code at all, just advice.", "haskell", False),
])
def test_language_reason(kind, response, language, dropped):
    assert (language_reason(row(kind, response, language), CFG) == "language_not_haskell") is dropped


def read(source: str, cfg: dict) -> list[dict]:
    stats = StageStats("ingest")
    return [r.to_row() for r in reader_for(cfg["kind"])(source, cfg, stats, [])]


def drops(rows: list[dict]) -> Counter:
    return Counter(drop_reason(r, {**CFG, "compile_check": False}, set()) for r in rows)


def test_learn_you_a_haskell_keeps_its_prose_and_sessions(shared_dir):
    book = shared_dir / "realdata/textbook/learn-you-a-haskell/source_md"
    rows = read("lyah", {"kind": "textbook", "paths": [str(book / "*.md")], "title": "LYAH",
                         "url_prefix": "https://learnyouahaskell.github.io/", "url_suffix": ".html",
                         "license": "CC BY-NC-SA 3.0"})
    assert len(rows) > 1000 and drops(rows)["language_not_haskell"] == 0


def test_rosetta_code_haskell_solutions_are_all_kept(shared_dir):
    rows = read("rosetta", {"kind": "task_solutions", "root": str(shared_dir / "realdata/rosettacode"),
                            "languages": ["Haskell"], "license": "GFDL-1.2"})
    assert len(rows) == 185 and drops(rows)["language_not_haskell"] == 0
