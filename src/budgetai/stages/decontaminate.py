"""Remove training rows that overlap an evaluation suite (token n-grams or long substrings).

`run(in_path, suites, out_path, report_path, stats_path, cfg) -> StageStats`. Each suite is
{"name", "format", "path"}, read by the loader evaluation uses (budgetai.suites.load.suite_items:
every evaluation format, plus jsonl_text and records); each problem's texts are its prompt, the
solutions it ships and its tests.
A row is removed when it shares >= min_count distinct token n-grams with one suite item
("ngram"), or when whitespace/case-normalised suite text of >= min_chars chars occurs in it
("substring"). The n-gram index over all suites is built once (sorted uint64 hashes, binary
search per row). N-grams found in >= boilerplate_items different suite items are ignored: they
are shared scaffolding (MultiPL-E's `else error "assertion failed"`), not a leaked problem.

The knobs and their defaults: budgetai.core.config.stages.DecontaminationSettings.
report_path JSON: {"removed": [{id, source, suite, item_id, how, snippet, ngram_matches}],
"by_suite": {suite: {"ngram": n, "substring": n}}, "config": {...}}.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from budgetai.stages.dedup.shingles import code_tokens, positional_ngram_hashes
from budgetai.core.config.stages import DecontaminationSettings, resolve
from budgetai.core.records import read_table, write_records
from budgetai.core.io import write_json
from budgetai.core.stats import StageStats
from budgetai.suites.load import SuiteItem, suite_items

_WHITESPACE = re.compile(r"\s+")


@dataclass
class Overlap:
    suite: str
    item_id: str
    how: str  # "ngram" or "substring"
    snippet: str
    ngram_matches: int


def normalise_for_substring(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip().lower()


def load_suite(suite: dict) -> list[SuiteItem]:
    """The items of one suite spec ({"name", "format", "path"}), read by the suite loader
    evaluation uses (budgetai.suites.load); errors name the suite, file and line."""
    missing = [k for k in ("name", "format", "path") if k not in suite]
    if missing:
        raise ValueError(f"decontaminate suite {suite!r}: missing keys {missing}")
    return suite_items(suite["name"], suite["format"], suite["path"])


class OverlapIndex:
    """N-gram hashes and long normalised texts of a set of suite items, built once."""

    def __init__(self, items: list[SuiteItem], ngram: int = 13, min_chars: int = 50, boilerplate_items: int = 5,
                 ignored: np.ndarray | None = None):
        """`ignored`: sorted n-gram hashes that are no evidence of overlap (budgetai.stages.common_ngrams)."""
        self.items, self.ngram = items, ngram
        self.hashes, self.owners = self._ngram_table(items, ngram, boilerplate_items)
        if ignored is not None and len(ignored):
            keep = ~np.isin(self.hashes, ignored, assume_unique=True)
            self.hashes, self.owners = self.hashes[keep], self.owners[keep]
        self.substrings = [(norm, index, _anchor(norm)) for index, item in enumerate(items) for text in item.texts
                           if min_chars and len(norm := normalise_for_substring(text)) >= min_chars]

    @staticmethod
    def _ngram_table(items, ngram, boilerplate_items) -> tuple[np.ndarray, np.ndarray]:
        """Sorted unique n-gram hashes and, per hash, the first item holding it."""
        per_item = [np.unique(np.concatenate([positional_ngram_hashes(code_tokens(t), ngram) for t in item.texts]))
                    for item in items if item.texts]
        owners_of = [index for index, item in enumerate(items) if item.texts]
        if not per_item:
            return np.empty(0, np.uint64), np.empty(0, np.int64)
        hashes = np.concatenate(per_item)
        owners = np.concatenate([np.full(len(h), i, dtype=np.int64) for h, i in zip(per_item, owners_of)])
        unique, first, counts = np.unique(hashes, return_index=True, return_counts=True)
        # counts = number of items holding the n-gram (hashes are unique within an item)
        keep = counts < boilerplate_items if boilerplate_items else np.ones(len(unique), bool)
        return unique[keep], owners[first[keep]]

    def find(self, text: str, min_count: int = 1) -> Overlap | None:
        """The strongest overlap of `text` with one item, or None."""
        tokens = code_tokens(text)
        positions = positional_ngram_hashes(tokens, self.ngram)
        if len(self.hashes) and len(positions):
            slot = np.minimum(np.searchsorted(self.hashes, positions), len(self.hashes) - 1)
            hit = np.flatnonzero(self.hashes[slot] == positions)
            if len(hit):
                owner_of_hit = self.owners[slot[hit]]
                counts = Counter(zip(owner_of_hit.tolist(), positions[hit].tolist()))
                per_owner = Counter(owner for owner, _ in counts)
                owner, count = per_owner.most_common(1)[0]
                if count >= min_count:
                    first = int(hit[np.flatnonzero(owner_of_hit == owner)[0]])
                    snippet = " ".join(tokens[first : first + self.ngram])
                    return Overlap(self.items[owner].suite, self.items[owner].item_id, "ngram", snippet, count)
        return self._substring(text, set(tokens))

    def _substring(self, text: str, tokens: set[str]) -> Overlap | None:
        normalised = None
        for needle, owner, anchor in self.substrings:
            if anchor is not None and anchor not in tokens:
                continue  # a text containing the needle contains its anchor token: cheap pre-check
            normalised = normalised if normalised is not None else normalise_for_substring(text)
            if needle in normalised:
                return Overlap(self.items[owner].suite, self.items[owner].item_id, "substring", needle[:200], 0)
        return None


def _anchor(needle: str) -> str | None:
    """The longest token well inside `needle` (its edge tokens may be cut mid-word where the
    needle sits in a longer text), or None when it is too short to have one."""
    inner = code_tokens(needle)[2:-2]
    return max(inner, key=len) if inner else None


def resolve_cfg(cfg: dict | None) -> dict:
    return resolve(DecontaminationSettings, cfg, "decontamination")


def run(in_path, suites: list[dict], out_path, report_path, stats_path, cfg: dict | None = None) -> StageStats:
    """Drop rows overlapping any suite; writes kept rows, the removal report and stats."""
    cfg = resolve_cfg(cfg)
    items = [item for suite in suites for item in load_suite(suite)]
    index = OverlapIndex(items, cfg["ngram"], cfg["min_chars"], cfg["boilerplate_items"])
    rows = read_table(in_path).to_pylist()
    stats = StageStats("decontaminate", rows_in=len(rows))
    kept, removed = [], []
    for row in rows:
        overlap = index.find(row["prompt"] + "\n" + row["response"], cfg["min_count"])
        if overlap is None:
            kept.append(row)
            continue
        stats.drop(f"overlaps_{overlap.suite}")
        removed.append({"id": row["id"], "source": row["source"], **overlap.__dict__})
    stats.rows_out = write_records(kept, out_path)
    by_suite = {s["name"]: Counter() for s in suites}
    for entry in removed:
        by_suite[entry["suite"]][entry["how"]] += 1
    report = {"removed": removed, "by_suite": {k: dict(v) for k, v in by_suite.items()},
              "config": {**cfg, "suites": [s["name"] for s in suites], "suite_items": len(items)}}
    write_json(report, report_path)
    stats.extra = {"by_suite": report["by_suite"], "suite_items": len(items),
                   "by_source": _by_source(rows, {e["id"] for e in removed})}
    stats.write(stats_path)
    return stats


def _by_source(rows: list[dict], removed_ids: set) -> dict:
    out: dict = {}
    for row in rows:
        entry = out.setdefault(row["source"], {"in": 0, "out": 0, "chars_out": 0})
        entry["in"] += 1
        if row["id"] not in removed_ids:
            entry["out"] += 1
            entry["chars_out"] += len(row["prompt"]) + len(row["response"])
    return dict(sorted(out.items()))
