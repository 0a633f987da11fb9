"""The clean stage, one source at a time: rewrite rows (normalise, strip tags, scrub PII), then
drop rows by the first filter that rejects them, counting every drop by reason.

`run(in_path, out_path, stats_path, cfg) -> StageStats`. cfg keys (defaults):
  normalise: true            NFC, CRLF -> LF, no trailing spaces, <= 2 blank lines in a row
  expand_tabs: null          tab width to expand tabs to; null keeps tabs (Haskell layout)
  strip_language_tag: true   drop a first response line that is only a language name ("haskell")
  strip_comments: false      remove comments from code-kind responses (Haskell/Python by `language`)
  scrub_pii: true            emails, public IPs, keys -> placeholders (budgetai.stages.clean.pii); rows changed
                             are counted in stats.extra["pii_rows_changed"]
  prompt_required_kinds: [qa, problem_solution, instruction]   kinds whose empty prompt drops the row
  min_prompt_chars: 10, max_prompt_chars: 20000                 (min only for prompt_required_kinds)
  min_response_chars: 10, max_response_chars: 400000
                             the bound is against generated or minified files, not long modules
                             (training splits those into examples): twice the largest hand-written
                             module in haskell/containers (Data/Sequence/Internal.hs, 201 KB)
  dedup_in_source: true      drop later rows whose whitespace-normalised prompt+response repeats
  code_quality: {}           cfg for clean.filters.code_quality.code_quality_reason on code kinds' responses
                             and on fenced code in other kinds; false disables
  require_language: null     "haskell" (or "python"): drop code that does not look like it
  language_min_score: 3.0    Haskell evidence needed by that check (clean.filters.language)
  compile_check: false       drop Haskell code that GHC does not typecheck (clean.filters.typecheck:
                             sandboxed, parallel, cached by content hash)
  compile_kinds: [problem_solution, instruction]   kinds whose code is type-checked
  compile_cache_dir: results/cache/typecheck       verdicts by content hash, reused by reruns
  compile_workers: 2         GHC processes at a time
  quarantine_path: null      where to write rows that are not valid records (always counted)
Drop reasons: empty_response, empty_prompt, {prompt,response}_too_{short,long},
duplicate_in_source, code_<code_quality reason>, language_not_<lang>, does_not_typecheck.
Quarantine reasons: invalid_kind, empty_license, invalid_meta.
"""

from __future__ import annotations

import copy
import json
from collections import Counter

from budgetai.stages.clean.filters import row_checks, typecheck
from budgetai.stages.clean.pii import scrub
from budgetai.stages.clean.text import normalise_text, strip_comments, strip_language_tag
from budgetai.stages.dedup.exact import content_hash
from budgetai.core.records import COLUMNS, KINDS, read_table, write_records
from budgetai.core.stats import StageStats, write_quarantine

DEFAULTS = {
    "normalise": True, "expand_tabs": None, "strip_language_tag": True, "strip_comments": False,
    "scrub_pii": True, "prompt_required_kinds": ["qa", "problem_solution", "instruction"],
    "min_prompt_chars": 10, "max_prompt_chars": 20_000, "min_response_chars": 10,
    "max_response_chars": 400_000, "dedup_in_source": True, "code_quality": {},
    "require_language": None, "language_min_score": 3.0, "compile_check": False,
    "compile_kinds": ["problem_solution", "instruction"], "compile_cache_dir": "results/cache/typecheck",
    "compile_workers": 2, "quarantine_path": None,
}


def resolve_cfg(cfg: dict | None) -> dict:
    """cfg with defaults filled in; unknown keys are an error (a typo would silently do nothing)."""
    cfg = dict(cfg or {})
    unknown = sorted(set(cfg) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"clean cfg: unknown keys {unknown}; known keys are {sorted(DEFAULTS)}")
    return {**copy.deepcopy(DEFAULTS), **cfg}


def run(in_path, out_path, stats_path, cfg: dict | None = None) -> StageStats:
    """Clean one source's record file; writes the kept rows and balanced stats."""
    cfg = resolve_cfg(cfg)
    rows = read_table(in_path).select(COLUMNS).to_pylist()
    stats = StageStats("clean", rows_in=len(rows))
    counters = {"rewrites": Counter(), "pii": Counter()}
    kept, quarantined, seen = [], [], set()
    # the type-check is the last filter: run it once over the survivors, in parallel
    per_row_cfg = {**cfg, "compile_check": False}
    for index, row in enumerate(rows):
        problem = invalid_reason(row)
        if problem:
            stats.quarantine(problem)
            quarantined.append({"source": row.get("source", ""), "location": f"{in_path} row {index} id {row.get('id')}",
                                "reason": problem, "raw": json.dumps(row, ensure_ascii=False)})
            continue
        row = rewrite_row(row, cfg, counters)
        reason = drop_reason(row, per_row_cfg, seen)
        if reason:
            stats.drop(reason)
        else:
            kept.append(row)
    if cfg["compile_check"]:
        kept = typecheck.drop_failing(kept, cfg, stats)
    stats.rows_out = write_records(kept, out_path)
    if cfg["quarantine_path"]:
        write_quarantine(quarantined, cfg["quarantine_path"])
    stats.extra = {**_extra(rows, kept, counters, quarantined), **stats.extra}
    stats.write(stats_path)
    return stats


def invalid_reason(row: dict) -> str | None:
    """Why a row is not a valid record (it is quarantined, not cleaned), or None."""
    if row["kind"] not in KINDS:
        return "invalid_kind"
    if not (row["license"] or "").strip():
        return "empty_license"
    try:
        meta = json.loads(row["meta"] or "{}")
    except json.JSONDecodeError:
        return "invalid_meta"
    return None if isinstance(meta, dict) else "invalid_meta"


def rewrite_row(row: dict, cfg: dict, counters: dict) -> dict:
    """The row after the configured text rewrites; counts each kind of change."""
    row = dict(row)
    if cfg["normalise"]:
        row["prompt"] = normalise_text(row["prompt"], cfg["expand_tabs"])
        row["response"] = normalise_text(row["response"], cfg["expand_tabs"])
    if cfg["strip_language_tag"]:
        row["response"], stripped = strip_language_tag(row["response"])
        counters["rewrites"]["language_tag_stripped"] += stripped
    if cfg["strip_comments"] and row["kind"] in row_checks.CODE_KINDS:
        before = row["response"]
        row["response"] = strip_comments(before, row["language"])
        counters["rewrites"]["comments_stripped"] += row["response"] != before
    if cfg["scrub_pii"]:
        changed = False
        for field in ("prompt", "response"):
            row[field], found = scrub(row[field])
            counters["pii"].update(found)
            changed = changed or bool(found)
        counters["rewrites"]["pii_rows_changed"] += changed
    return row


def drop_reason(row: dict, cfg: dict, seen: set) -> str | None:
    """The first reason to drop the row, cheapest checks first; None keeps it. Adds the row's
    content hash to `seen` when it passes the duplicate check."""
    for check in (row_checks.empty_reason, row_checks.length_reason):
        if reason := check(row, cfg):
            return reason
    if cfg["dedup_in_source"]:
        key = content_hash(row["prompt"], row["response"])
        if key in seen:
            return "duplicate_in_source"
        seen.add(key)
    if cfg["code_quality"] is not False and (reason := row_checks.code_quality_filter(row, cfg)):
        return reason
    if reason := row_checks.language_reason(row, cfg):
        return reason
    if cfg["compile_check"]:
        return typecheck.reason(row, cfg)
    return None


def _extra(rows_in, kept, counters, quarantined) -> dict:
    chars_in = sum(len(r["prompt"] or "") + len(r["response"] or "") for r in rows_in)
    chars_out = sum(len(r["prompt"]) + len(r["response"]) for r in kept)
    return {
        "chars_in": chars_in, "chars_out": chars_out,
        "language_tag_stripped": counters["rewrites"]["language_tag_stripped"],
        "comments_stripped": counters["rewrites"]["comments_stripped"],
        "pii_rows_changed": counters["rewrites"]["pii_rows_changed"],
        "pii_replacements": dict(sorted(counters["pii"].items())),
        "quarantine_samples": [{"location": q["location"], "reason": q["reason"]} for q in quarantined[:20]],
    }
