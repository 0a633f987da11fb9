"""Drop filters of the clean stage, datatrove-style: each takes a row (a record dict) and the
stage cfg and returns a drop reason (str) or None to keep the row. `CODE_KINDS` rows are code
throughout; other rows are judged by the fenced code blocks in their response, if any."""

from __future__ import annotations

import json

from budgetai.stages.clean.filters.language import language_scores, looks_like
from budgetai.haskell.fences import LANGUAGE_TAGS, fenced_blocks
from budgetai.sources.code_quality import code_quality_reason

CODE_KINDS = ("code", "problem_solution")
# Declared languages that name code (a row declaring one of these that is not the wanted one is
# dropped); anything else ("", "en", "text") says nothing about the code.
PROGRAMMING_LANGUAGES = {"haskell", "hs", "lhs", "python", "py", "python3", "c", "cpp", "c++", "java", "javascript",
                         "js", "typescript", "ts", "go", "rust", "ruby", "php", "csharp", "c#", "scala", "ocaml",
                         "fsharp", "f#", "kotlin", "swift", "sql", "bash", "sh", "shell", "perl", "r", "lua",
                         "elm", "purescript", "idris", "agda", "lisp", "scheme", "racket", "clojure", "erlang",
                         "elixir"}


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
    """Drop code that is not in cfg require_language. Rows without code pass.

    Whole-code rows (CODE_KINDS) declared in another programming language are dropped; declared
    in the wanted one they are dropped only on evidence of another language (a one-line
    `factorial = product . enumFromTo 1` has too few markers to look like anything); undeclared
    they must look like the wanted language. A prose row's `language` is often the language of
    its text ("en"), so prose is judged by its fenced blocks alone: dropped when some block is in
    another language and none is in the wanted one."""
    wanted = cfg["require_language"]
    if not wanted:
        return None
    min_score = cfg["language_min_score"]
    if row["kind"] not in CODE_KINDS:
        verdicts = [_block_language(tag, code, wanted, min_score) for tag, code in fenced_blocks(row["response"])]
        return f"language_not_{wanted}" if "other" in verdicts and "wanted" not in verdicts else None
    code = row["response"]
    if not code.strip():
        return None
    declared = row["language"].strip().lower()
    if declared in _names(wanted):
        return f"language_not_{wanted}" if _other_language(code, wanted, min_score) else None
    if declared in PROGRAMMING_LANGUAGES:
        return f"language_not_{wanted}"
    return None if looks_like(code, wanted, min_score) else f"language_not_{wanted}"


def _names(language: str) -> set[str]:
    return {language} | LANGUAGE_TAGS.get(language, set())


def _other_language(code: str, wanted: str, min_score: float) -> bool:
    """Clear evidence of another language: one family scores at least min_score and more than
    the wanted language."""
    scores = language_scores(code)
    mine = scores.pop(wanted, 0.0)
    return any(score >= min_score and score > mine for score in scores.values())


def _block_language(tag: str, code: str, wanted: str, min_score: float) -> str:
    """"wanted", "other" or "unknown" for one fenced block: its tag when it names a language,
    else its markers (a GHCi session or pseudo-code is unknown, not another language)."""
    tag = tag.strip().lower().lstrip("{.").split(":")[0]
    if tag in _names(wanted):
        return "wanted"
    if tag in PROGRAMMING_LANGUAGES:
        return "other"
    if looks_like(code, wanted, min_score):
        return "wanted"
    return "other" if _other_language(code, wanted, min_score) else "unknown"
