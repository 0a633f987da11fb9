"""The clean stage, one source at a time: rewrite rows (normalise, strip tags, scrub PII), then
drop rows by the first filter that rejects them, counting every drop by reason.

`run(in_path, out_path, stats_path, cfg) -> StageStats`; the knobs and their defaults are
budgetai.core.config.stages.CleanSettings.
Drop reasons: empty_response, empty_prompt, {prompt,response}_too_{short,long},
duplicate_in_source, code_<code_quality reason>, language_not_<lang>, does_not_typecheck.
Quarantine reasons: invalid_kind, empty_license, invalid_meta.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields

from budgetai.stages.clean.filters import row_checks, typecheck
from budgetai.stages.clean.pii import scrub
from budgetai.stages.clean.text import normalise_text, strip_comments, strip_language_tag
from budgetai.stages.dedup.exact import content_hash
from budgetai.core.config.stages import CleanSettings, CodeQualitySettings, refuse_unknown, resolve
from budgetai.core.records import COLUMNS, KINDS, read_table, write_records
from budgetai.core.stats import StageStats, write_quarantine

def resolve_cfg(cfg: dict | None) -> dict:
    """cfg with defaults filled in (budgetai.core.config.stages.CleanSettings); unknown keys are
    an error (a typo would silently do nothing)."""
    cfg = resolve(CleanSettings, cfg, "clean")
    if isinstance(cfg["code_quality"], dict):
        refuse_unknown(cfg["code_quality"], (f.name for f in fields(CodeQualitySettings)), "clean.code_quality")
    return cfg


def run(in_path, out_path, stats_path, cfg: dict | None = None, quarantine_path=None) -> StageStats:
    """Clean one source's record file; writes the kept rows, balanced stats and, given a
    quarantine_path, the rows that are not valid records (always counted)."""
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
    if quarantine_path:
        write_quarantine(quarantined, quarantine_path)
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
