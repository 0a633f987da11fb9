"""Leak-free train/val/test split by a hash of each row's group.

`run(in_path, train_path, val_path, test_path, stats_path, cfg) -> StageStats`.
A row's split depends only on sha256(f"{salt}:{group}") mapped to [0, 1): rows of one group
(question, problem, repository) always share a split, and adding or removing other rows or whole
sources never moves a row. Rows with an empty group are grouped by their own id.
Then the leak filter (budgetai.stages.leak_filter) drops train and val rows sharing token n-grams
with a TEST row ("overlaps_test_split"); the stats name the test row each one overlaps.

cfg keys (defaults): train (0.9), val (0.05), test (0.05) fractions summing to 1; salt
("budgetai"; changing it reshuffles every split); overlap_ngram (13); overlap_min_count (1)
distinct shared n-grams that make an overlap; overlap_boilerplate_rows (5) n-grams found in this
many test rows are shared boilerplate (imports, licence headers) and ignored (0: never ignore);
overlap_common_rows (5) n-grams found in this many rows of the whole corpus are shared idioms
(input reading, imports) and ignored too (budgetai.stages.common_ngrams; 0: never ignore): a test row
copied into train shares its n-grams with one other row, far below it.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from budgetai.core.config.stages import SplitSettings, resolve
from budgetai.core.records import read_table, write_records
from budgetai.core.stats import StageStats
from budgetai.stages.leak_filter import drop_test_overlaps

SPLITS = ("train", "val", "test")


def resolve_cfg(cfg: dict | None) -> dict:
    cfg = resolve(SplitSettings, cfg, "split")
    fractions = [float(cfg[s]) for s in SPLITS]
    if any(f < 0 for f in fractions) or abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError(f"split cfg: train/val/test must be >= 0 and sum to 1, got {fractions}")
    return cfg


def group_position(group: str, salt: str) -> float:
    """Where a group falls in [0, 1): the first 8 bytes of sha256(f"{salt}:{group}")."""
    digest = hashlib.sha256(f"{salt}:{group}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_split(group: str, cfg: dict) -> str:
    """"train", "val" or "test" for a group under resolved cfg."""
    position = group_position(group, cfg["salt"])
    if position < cfg["train"]:
        return "train"
    return "val" if position < cfg["train"] + cfg["val"] else "test"


def run(in_path, train_path, val_path, test_path, stats_path, cfg: dict | None = None) -> StageStats:
    """Write the three splits and balanced stats (rows_out = rows over all three files)."""
    cfg = resolve_cfg(cfg)
    rows = read_table(in_path).to_pylist()
    parts: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for row in rows:
        parts[assign_split(row["group"] or row["id"], cfg)].append(row)
    stats = StageStats("split", rows_in=len(rows))
    overlaps = drop_test_overlaps(rows, parts, cfg, stats)
    for name, path in zip(SPLITS, (train_path, val_path, test_path)):
        stats.rows_out += write_records(parts[name], path)
    stats.extra = _extra(rows, parts, overlaps, cfg)
    stats.write(stats_path)
    return stats


def _extra(rows, parts, overlaps: dict[str, str], cfg) -> dict:
    by_source: dict = {}
    for name, part in parts.items():
        for row in part:
            entry = by_source.setdefault(row["source"], Counter())
            entry[name] += 1
            entry[f"{name}_chars"] += len(row["prompt"]) + len(row["response"])
    for row in rows:
        if row["id"] in overlaps:
            by_source.setdefault(row["source"], Counter())["overlaps_test_split"] += 1
    return {"rows": {name: len(part) for name, part in parts.items()},
            "empty_group_rows": sum(1 for r in rows if not r["group"]),
            "fractions": {s: cfg[s] for s in SPLITS}, "salt": cfg["salt"],
            "overlapping_test_rows": dict(sorted(overlaps.items())),
            "by_source": {s: dict(c) for s, c in sorted(by_source.items())}}
