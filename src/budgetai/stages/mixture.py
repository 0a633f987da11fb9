"""Per-experiment training mixture over the shared splits: which sources, how much of each.

`run(train_path, val_path, out_train, out_val, stats_path, cfg) -> StageStats`. cfg keys
(defaults):
  sources: all          list of source names, or "all"
  weights: {}           per-source relative sampling weight (default 1.0): 0.5 keeps a seeded half
                        of the source's rows, 2.0 repeats every row twice, 1.5 repeats a seeded
                        half; repeated copies get ids "<id>#rep<k>" so ids stay unique
  kind_weights: {}      per-kind weight (qa, problem_solution, code, text, instruction; default 1.0),
                        multiplied with the source's: {code: 0.2, instruction: 2} trains on a fifth
                        of the whole modules and every instruction twice
  caps: {}              per-source maximum rows (after weighting)
  max_rows: null        maximum train rows overall (after shuffling all sources together)
  max_tokens: null      maximum train tokens overall (rows are taken in shuffled order until the
                        next one would exceed it)
  tokenizer: null       a tokenizer name/path for transformers.AutoTokenizer; null counts chars/4
  seed: 0               every sampling decision; a source's sample depends only on the seed and
                        its own rows, so adding a source does not change another's sample
  exclude_mined: false  train rows mined from code modules (meta.mined, budgetai.stages.mining)
                        are dropped ("mined_excluded"): the mined_instructions ablation
The val split gets only the source selection (the same rows in every experiment that picks the
same sources, so validation losses compare). Stats: rows_in counts rows read plus the repeated
copies made (so the books balance); extra holds rows_read, repeated_copies, rows and tokens per
source and split.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter

from budgetai.core.config.stages import MixtureSettings, resolve
from budgetai.core.records import read_table, write_records
from budgetai.core.stats import StageStats

def resolve_cfg(cfg: dict | None) -> dict:
    cfg = resolve(MixtureSettings, cfg, "mixture")
    for key in ("weights", "kind_weights"):
        bad = {s: w for s, w in cfg[key].items() if not (isinstance(w, (int, float)) and w >= 0)}
        if bad:
            raise ValueError(f"mixture cfg {key} must be numbers >= 0, got {bad}")
    return cfg


def run(train_path, val_path, out_train, out_val, stats_path, cfg: dict | None = None) -> StageStats:
    """Write the experiment's train and val files and balanced stats."""
    cfg = resolve_cfg(cfg)
    train, val = read_table(train_path).to_pylist(), read_table(val_path).to_pylist()
    stats = StageStats("mixture", rows_in=len(train) + len(val))
    selected = _selected(cfg, {r["source"] for r in train + val})
    count_tokens = token_counter(cfg["tokenizer"])
    _drop(stats, "source_not_selected", sum(r["source"] not in selected for r in train + val))
    chosen = _without_mined([r for r in train if r["source"] in selected], cfg, stats)
    mixed, copies = weighted_sample(chosen, cfg, stats)
    mixed = _apply_budgets(mixed, cfg, stats, count_tokens)
    val_kept = [r for r in val if r["source"] in selected]
    stats.rows_in += copies
    stats.rows_out = write_records(mixed, out_train) + write_records(val_kept, out_val)
    stats.extra = {"rows_read": len(train) + len(val), "repeated_copies": copies,
                   "sources": sorted(selected),
                   "sources_without_rows": sorted(selected - {r["source"] for r in train + val}), "train": _summary(mixed, count_tokens),
                   "val": _summary(val_kept, count_tokens)}
    stats.write(stats_path)
    return stats


def _selected(cfg: dict, present: set[str]) -> set[str]:
    if cfg["sources"] == "all":
        return present
    if isinstance(cfg["sources"], str):
        raise ValueError(f"mixture cfg sources must be 'all' or a list, got {cfg['sources']!r}")
    return set(cfg["sources"])


def _without_mined(rows: list[dict], cfg: dict, stats: StageStats) -> list[dict]:
    if not cfg["exclude_mined"]:
        return rows
    kept = [r for r in rows if not json.loads(r.get("meta") or "{}").get("mined")]
    _drop(stats, "mined_excluded", len(rows) - len(kept))
    return kept


def _rng(seed, *parts) -> random.Random:
    key = ":".join(str(p) for p in (seed, *parts))
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def weighted_sample(rows: list[dict], cfg: dict, stats: StageStats) -> tuple[list[dict], int]:
    """Rows after per-source weights and caps (dropped: "downsampled", "source_cap"), and the
    number of repeated copies made."""
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
    out, copies = [], 0
    for source in sorted(by_source):
        sample = []
        for part, weight in _weighted_parts(by_source[source], source, cfg):
            items = sorted(part, key=lambda r: r["id"])
            _rng(cfg["seed"], "order", source, *([items[0]["kind"]] if cfg["kind_weights"] else [])).shuffle(items)
            whole, extra = math.floor(weight), round((weight - math.floor(weight)) * len(items))
            part_sample = [_copy(r, k) for k in range(whole) for r in items] + [_copy(r, whole) for r in items[:extra]]
            copies += max(0, len(part_sample) - len(items))
            _drop(stats, "downsampled", len(items) - len(part_sample))
            sample.extend(part_sample)
        cap = cfg["caps"].get(source)
        if cap is not None and len(sample) > cap:
            stats.drop("source_cap", len(sample) - int(cap))
            sample = sample[: int(cap)]
        out.extend(sample)
    return out, copies


def _weighted_parts(rows: list[dict], source: str, cfg: dict) -> list[tuple[list[dict], float]]:
    """A source's rows with their weight: all together under the source's weight, or, with
    kind_weights, one part per kind (sampled on its own) under source weight x kind weight."""
    weight = float(cfg["weights"].get(source, 1.0))
    if not cfg["kind_weights"]:
        return [(rows, weight)]
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    return [(by_kind[kind], weight * float(cfg["kind_weights"].get(kind, 1.0))) for kind in sorted(by_kind)]


def _drop(stats: StageStats, reason: str, n: int) -> None:
    if n > 0:  # zero counts would clutter the stats with reasons that never happened
        stats.drop(reason, n)


def _copy(row: dict, k: int) -> dict:
    return row if k == 0 else {**row, "id": f"{row['id']}#rep{k}"}


def _apply_budgets(rows: list[dict], cfg: dict, stats: StageStats, count_tokens) -> list[dict]:
    _rng(cfg["seed"], "mix").shuffle(rows)
    if cfg["max_rows"] is not None and len(rows) > cfg["max_rows"]:
        stats.drop("max_rows", len(rows) - int(cfg["max_rows"]))
        rows = rows[: int(cfg["max_rows"])]
    if cfg["max_tokens"] is not None:
        total, taken = 0, 0
        for row in rows:
            total += count_tokens(row)
            if total > cfg["max_tokens"]:
                break
            taken += 1
        _drop(stats, "max_tokens", len(rows) - taken)
        rows = rows[:taken]
    return rows


def token_counter(tokenizer_name: str | None):
    """row -> token count: chars/4 (rounded up), or a transformers tokenizer's count."""
    if not tokenizer_name:
        return lambda row: -(-(len(row["prompt"]) + len(row["response"])) // 4)
    from transformers import AutoTokenizer  # heavy import, only when a tokenizer is named

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_name)
    return lambda row: len(tokenizer(row["prompt"] + "\n" + row["response"])["input_ids"])


def _summary(rows: list[dict], count_tokens) -> dict:
    per_source: dict = {}
    for row in rows:
        entry = per_source.setdefault(row["source"], Counter())
        entry["rows"] += 1
        entry["tokens"] += count_tokens(row)
    return {s: dict(c) for s, c in sorted(per_source.items())}
