"""Drop filters of the clean stage, datatrove-style: each takes a row (a record dict) and the
stage cfg and returns a drop reason (str) or None to keep the row. `CODE_KINDS` rows are code
throughout; other rows are judged by the fenced code blocks in their response, if any."""

from __future__ import annotations

import json

from budgetai.stages.clean.filters.language import looks_like
from budgetai.haskell.fences import fenced_blocks
from budgetai.sources.code_quality import code_quality_reason

CODE_KINDS = ("code", "problem_solution")


def response_code(row: dict) -> str:
    """The code a row's response holds: all of it for code kinds, else its fenced blocks."""
    if row["kind"] in CODE_KINDS:
        return row["response"]
    return "\n\n".join(code for _, code in fenced_blocks(row["response"]))


def empty_reason(row: dict, cfg: dict) -> str | None:
    if not row["response"].strip():
        return "empty_response"
    if not row["prompt"].strip() and row["kind"] in cfg["prompt_required_kinds"]:
        return "empty_prompt"
    return None


def length_reason(row: dict, cfg: dict) -> str | None:
    for field in ("prompt", "response"):
        size = len(row[field])
        if size < cfg[f"min_{field}_chars"] and (field == "response" or row["kind"] in cfg["prompt_required_kinds"]):
            return f"{field}_too_short"
        if size > cfg[f"max_{field}_chars"]:
            return f"{field}_too_long"
    return None


def code_quality_filter(row: dict, cfg: dict) -> str | None:
    """bigcode heuristics (filters.code_quality) on the row's code, prefixed "code_". For prose
    kinds the size floor is off: a two-line snippet in a good answer is no reason to drop it.
    A `path` in meta feeds the vendored/generated-file checks."""
    code = response_code(row)
    if not code.strip():
        return None
    quality_cfg = dict(cfg["code_quality"] or {})
    if row["kind"] not in CODE_KINDS:
        quality_cfg["min_size"] = 0
    path = json.loads(row["meta"] or "{}").get("path", "")
    reason = code_quality_reason(code, quality_cfg, path=path if isinstance(path, str) else "")
    return f"code_{reason}" if reason else None


def language_reason(row: dict, cfg: dict) -> str | None:
    """Drop code that does not look like cfg require_language, or code in a row whose language
    field names another language. Rows without code (prose answers, textbook text) pass."""
    wanted = cfg["require_language"]
    if not wanted:
        return None
    code = response_code(row)
    if not code.strip():
        return None
    declared = row["language"].strip().lower()
    if declared and declared not in (wanted, {"haskell": "hs", "python": "py"}.get(wanted)):
        return f"language_not_{wanted}"
    return None if looks_like(code, wanted, cfg["language_min_score"]) else f"language_not_{wanted}"
