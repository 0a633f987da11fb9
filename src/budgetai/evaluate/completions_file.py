"""Completions produced elsewhere (another node, another engine, a hand-written regression
suite), read for scoring: the JSONL that evaluation writes as `*.generations.jsonl`, one object
per line with `problem_id`, `sample_index` (0, 1, ... per problem) and `completion`; other keys
are ignored. Every error names the file, the line and the field.

    completions = read_completions("results/eval/base/functions.generations.jsonl")
    # {"BudgetAI_fn00_sumEven": ["```haskell\\n...", ...], ...}
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class CompletionsFileError(ValueError):
    """A completions file that cannot be scored as it is."""


def read_completions(path: str | os.PathLike) -> dict[str, list[str]]:
    """problem id -> its completions in sample_index order. Raises CompletionsFileError for a
    missing file, a line that is not a JSON object with the three fields, a repeated
    (problem_id, sample_index), or sample indexes of a problem that are not 0..n-1."""
    path = Path(path)
    if not path.is_file():
        raise CompletionsFileError(f"{path}: completions file does not exist")
    samples: dict[str, dict[int, str]] = {}
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            problem_id, index, completion = _fields(raw, where)
            if index in samples.setdefault(problem_id, {}):
                raise CompletionsFileError(f"{where}: problem {problem_id!r} sample_index {index} "
                                           f"appears twice")
            samples[problem_id][index] = completion
    for problem_id, by_index in samples.items():
        if sorted(by_index) != list(range(len(by_index))):
            raise CompletionsFileError(f"{path}: problem {problem_id!r} has sample_index "
                                       f"{sorted(by_index)[:10]}; they must be 0..{len(by_index) - 1}")
    return {pid: [by_index[i] for i in range(len(by_index))] for pid, by_index in samples.items()}


def _fields(raw: bytes, where: str) -> tuple[str, int, str]:
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise CompletionsFileError(f"{where}: not UTF-8 ({err.reason} at byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise CompletionsFileError(f"{where}: not JSON ({err.msg})") from None
    if not isinstance(row, dict):
        raise CompletionsFileError(f"{where}: a {type(row).__name__}, not a JSON object")
    for key, kind in (("problem_id", str), ("sample_index", int), ("completion", str)):
        if key not in row:
            raise CompletionsFileError(f"{where}: no {key!r} field")
        if not isinstance(row[key], kind) or isinstance(row[key], bool):
            raise CompletionsFileError(f"{where}: {key} is {row[key]!r}, not a {kind.__name__}")
    if row["sample_index"] < 0:
        raise CompletionsFileError(f"{where}: sample_index {row['sample_index']} is negative")
    return row["problem_id"], row["sample_index"], row["completion"]
