"""Leak-free train/val/test split by group, sized so that val and test get their share of rows.

`run(in_path, train_path, val_path, test_path, stats_path, cfg) -> StageStats`.
Rows of one group (question, problem, page, repository; a row with an empty group is its own
group) always share a split. Groups are allocated source by source (a group belongs to the first,
in name order, of its rows' sources): a source's groups are walked in the order of
sha256(f"{salt}:{group}") and each goes to the held-out split (test or val) it brings closer to
that split's share of the SOURCE'S ROWS, else to train. A hash alone decides by groups, not rows:
on real data one 170-row chapter drawn into test, or a few large files, left val with 1.1% of
the rows instead of 10%. Then every source with at least one group per split gets at least one
group in each split (its smallest train group goes to an empty held-out split).
So the allocation is deterministic, depends on group names and sizes only (never on machine
paths or row order), and adding or removing a source never moves another source's rows.

Then the leak filter (budgetai.stages.leak_filter) drops train and val rows sharing token n-grams
with a TEST row ("overlaps_test_split"); the stats name the test row each one overlaps
(extra["overlapping_test_rows"]) and the split it was dropped from (extra["dropped_from"]).

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
HELD_OUT = ("test", "val")


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
    """Where a group falls by its hash alone: "train", "val" or "test". That is the split stage's
    decision only for a group alone in its source; `assign_groups` decides with the source's
    other groups and their sizes, and the split stats record where each dropped row was."""
    position = group_position(group, cfg["salt"])
    if position < cfg["train"]:
        return "train"
    return "val" if position < cfg["train"] + cfg["val"] else "test"


def group_of(row: dict) -> str:
    return row["group"] or row["id"]


def assign_groups(rows: list[dict], cfg: dict) -> dict[str, str]:
    """group -> split for every group of `rows` (see the module docstring)."""
    sizes: Counter = Counter()
    home: dict[str, str] = {}
    for row in rows:
        group = group_of(row)
        sizes[group] += 1
        home[group] = min(home.get(group, row["source"]), row["source"])
    by_source: dict[str, dict[str, int]] = {}
    for group, source in home.items():
        by_source.setdefault(source, {})[group] = sizes[group]
    decisions: dict[str, str] = {}
    for source in sorted(by_source):
        decisions.update(allocate(by_source[source], cfg))
    return decisions


def allocate(groups: dict[str, int], cfg: dict) -> dict[str, str]:
    """group -> split for the groups of one source ({group: rows})."""
    order = sorted(groups, key=lambda g: (group_position(g, cfg["salt"]), g))
    total = sum(groups.values())
    target = {name: cfg[name] * total for name in HELD_OUT}
    filled = dict.fromkeys(HELD_OUT, 0)
    decisions = {}
    for group in order:
        size = groups[group]
        # a held-out split takes the group when it ends nearer its target with it than without
        fits = [name for name in HELD_OUT if filled[name] + size / 2 <= target[name]]
        if fits:
            name = max(fits, key=lambda n: (target[n] - filled[n]) / target[n])
            filled[name] += size
            decisions[group] = name
        else:
            decisions[group] = "train"
    _represent_every_split(decisions, groups, order, cfg)
    return decisions


def _represent_every_split(decisions: dict[str, str], groups: dict[str, int], order: list[str], cfg: dict) -> None:
    """A source with a group for each split has each split: an empty held-out split (whose share
    is not 0) takes the source's smallest train group (the first in hash order among equals)."""
    if len(groups) < len(SPLITS):
        return
    for name in HELD_OUT:
        train = [g for g in order if decisions[g] == "train"]
        if cfg[name] > 0 and name not in decisions.values() and len(train) > 1:
            decisions[min(train, key=lambda g: groups[g])] = name


def run(in_path, train_path, val_path, test_path, stats_path, cfg: dict | None = None) -> StageStats:
    """Write the three splits and balanced stats (rows_out = rows over all three files)."""
    cfg = resolve_cfg(cfg)
    rows = read_table(in_path).to_pylist()
    decisions = assign_groups(rows, cfg)
    parts: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for row in rows:
        parts[decisions[group_of(row)]].append(row)
    stats = StageStats("split", rows_in=len(rows))
    overlaps = drop_test_overlaps(rows, parts, cfg, stats)
    for name, path in zip(SPLITS, (train_path, val_path, test_path)):
        stats.rows_out += write_records(parts[name], path)
    stats.extra = _extra(rows, parts, overlaps, decisions, cfg)
    stats.write(stats_path)
    return stats


def _extra(rows, parts, overlaps: dict[str, str], decisions: dict[str, str], cfg) -> dict:
    by_source: dict = {}
    groups: dict = {}
    for name, part in parts.items():
        for row in part:
            entry = by_source.setdefault(row["source"], Counter())
            entry[name] += 1
            entry[f"{name}_chars"] += len(row["prompt"]) + len(row["response"])
    for row in rows:
        groups.setdefault(row["source"], {})[group_of(row)] = decisions[group_of(row)]
        if row["id"] in overlaps:
            by_source.setdefault(row["source"], Counter())["overlaps_test_split"] += 1
    for source, entry in by_source.items():
        entry.update({f"{name}_groups": sum(1 for s in groups[source].values() if s == name) for name in SPLITS})
    total = sum(len(part) for part in parts.values())
    dropped_from = {row["id"]: decisions[group_of(row)] for row in rows if row["id"] in overlaps}
    return {"rows": {name: len(part) for name, part in parts.items()},
            "shares": {name: round(len(part) / total, 4) if total else 0.0 for name, part in parts.items()},
            "empty_group_rows": sum(1 for r in rows if not r["group"]),
            "fractions": {s: cfg[s] for s in SPLITS}, "salt": cfg["salt"],
            "overlapping_test_rows": dict(sorted(overlaps.items())),
            "dropped_from": dict(sorted(dropped_from.items())),
            "sources_missing_from": {source: [name for name in SPLITS if not entry.get(name)]
                                     for source, entry in sorted(by_source.items())
                                     if any(not entry.get(name) for name in SPLITS)},
            "by_source": {s: dict(c) for s, c in sorted(by_source.items())}}
