"""The dedup stage over all sources: exact content hashes, then MinHash-LSH near duplicates.

`run(clean_paths, signature_paths, out_path, clusters_path, stats_path, cfg)`; the two path
lists are parallel (source i's clean file and its signatures file from `dedup.signatures.run`).

cfg keys (defaults):
  exact: true                  drop rows whose whitespace-normalised prompt+response hash repeats
  near: true                   drop MinHash near duplicates (LSH candidates whose verified
                               Jaccard >= threshold)
  threshold: 0.7               Jaccard threshold (bigcode's)
  verify: exact                how LSH candidates are verified: by the Jaccard estimated from
                               their signatures, and with `exact`, for pairs whose estimate is
                               within 3 standard errors of the threshold, by recomputing the two
                               rows' shingle sets (same tokens and n-gram size as the signatures);
                               `estimate` trusts the signatures alone (noisy near the threshold)
  bands / rows: null           LSH banding; by default chosen from threshold and num_perm by
                               minimising fp_weight*false-positive + fn_weight*false-negative area
  fp_weight / fn_weight:       weights of that choice; default 0.2 / 0.8 with exact verification
                               (an extra candidate costs one set comparison, a missed one is a
                               kept duplicate), 0.5 / 0.5 with `estimate`
  keep_priority: [source_rank, score, stars, license, length]
                               which row of a cluster is kept, compared key by key; ties go to the
                               smallest id. source_rank: position in source_priority (unlisted
                               sources after listed ones); score / stars: higher meta value wins;
                               license: position in license_priority; length: longer wins.
  source_priority: []          source names, most trusted first
  license_priority: []         license strings, most preferred first
Outputs: kept rows sorted by id; clusters_path (.json -> JSON list, else Parquet) with one row
per cluster: cluster_id, kept_id, removed_ids, reason ("exact"/"near"), similarity (per removed
id, estimated Jaccard to the kept row; 1.0 for exact).
"""

from __future__ import annotations

import functools
import json
from collections import Counter

import numpy as np
import pyarrow as pa

from budgetai.stages.dedup.exact import duplicate_groups
from budgetai.stages.dedup.clusters import write_clusters
from budgetai.stages.dedup.signatures import read_signatures, signature_text
from budgetai.stages.dedup.near import ESTIMATE_WEIGHTS, EXACT_WEIGHTS, exact_jaccard, find_near_duplicates
from budgetai.stages.dedup.shingles import ngram_hashes
from budgetai.core.records import empty_table, read_table, write_table
from budgetai.core.stats import StageStats

DEFAULT_KEEP_PRIORITY = ["source_rank", "score", "stars", "license", "length"]
PRIORITY_KEYS = set(DEFAULT_KEEP_PRIORITY)


def run(clean_paths: list, signature_paths: list, out_path, clusters_path, stats_path,
        cfg: dict | None = None) -> StageStats:
    """Deduplicate the union of clean sources; writes rows, lineage and balanced stats."""
    cfg = cfg or {}
    table, hashes, sigs, params = _load_aligned(clean_paths, signature_paths)
    rows = table.to_pylist()
    rank = priority_function(cfg)
    order_key = [rank(row) for row in rows]
    removed: dict[int, str] = {}
    clusters: list[dict] = []
    if cfg.get("exact", True):
        for members in duplicate_groups(hashes):
            _record_cluster(members, "exact", order_key, rows, removed, clusters, lambda k, r: 1.0)
    near_info = {}
    if cfg.get("near", True) and len(rows) > 1:
        near_info = _near_clusters(sigs, params, rows, order_key, removed, clusters, cfg)
    kept = sorted((i for i in range(len(rows)) if i not in removed), key=lambda i: rows[i]["id"])
    write_table(table.take(pa.array(kept, pa.int64())), out_path)
    write_clusters(clusters, clusters_path)
    stats = _stats(rows, removed, kept, clusters, near_info)
    stats.write(stats_path)
    return stats


def priority_function(cfg: dict):
    """row -> sortable tuple; the smallest tuple in a cluster is the row that is kept."""
    keys = list(cfg.get("keep_priority", DEFAULT_KEEP_PRIORITY))
    unknown = [k for k in keys if k not in PRIORITY_KEYS]
    if unknown:
        raise ValueError(f"dedup cfg keep_priority: unknown keys {unknown}; use {sorted(PRIORITY_KEYS)}")
    sources = {s: i for i, s in enumerate(cfg.get("source_priority", []))}
    licenses = {s: i for i, s in enumerate(cfg.get("license_priority", []))}

    def rank(row: dict) -> tuple:
        meta = _meta(row)
        values = {
            "source_rank": sources.get(row["source"], len(sources)),
            "score": -_number(meta.get("score")),
            "stars": -_number(meta.get("stars")),
            "license": licenses.get(row["license"], len(licenses)),
            "length": -(len(row["prompt"]) + len(row["response"])),
        }
        return tuple(values[k] for k in keys) + (row["id"],)

    return rank


def _meta(row: dict) -> dict:
    try:
        meta = json.loads(row["meta"] or "{}")
    except json.JSONDecodeError as err:
        raise ValueError(f"row {row['id']!r}: meta is not JSON ({err})") from err
    return meta if isinstance(meta, dict) else {}


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _record_cluster(members, reason, order_key, rows, removed, clusters, similarity_to) -> None:
    members = sorted(members, key=lambda i: order_key[i])
    keeper, losers = members[0], members[1:]
    for index in losers:
        removed[index] = reason
    clusters.append({
        "cluster_id": f"{reason}-{len(clusters):06d}",
        "kept_id": rows[keeper]["id"],
        "removed_ids": [rows[i]["id"] for i in losers],
        "reason": reason,
        "similarity": [round(float(similarity_to(keeper, i)), 4) for i in losers],
    })


def _near_clusters(sigs, params, rows, order_key, removed, clusters, cfg) -> dict:
    survivors = np.array([i for i in range(len(rows)) if i not in removed], dtype=np.int64)
    verify = cfg.get("verify", "exact")
    if verify not in ("exact", "estimate"):
        raise ValueError(f"dedup cfg verify: {verify!r}; use 'exact' or 'estimate'")

    @functools.lru_cache(maxsize=None)
    def shingles_of_row(index: int) -> np.ndarray:
        row = rows[index]
        return ngram_hashes(signature_text(row["prompt"], row["response"]), params["ngram"])

    exact = verify == "exact"
    found = find_near_duplicates(sigs[survivors], float(cfg.get("threshold", 0.7)),
                                 cfg.get("bands"), cfg.get("rows"), _weights(cfg, exact),
                                 (lambda local: shingles_of_row(int(survivors[local]))) if exact else None)
    groups: dict[int, list[int]] = {}
    for local, label in enumerate(found.labels.tolist()):
        groups.setdefault(label, []).append(int(survivors[local]))

    def similarity(kept: int, other: int) -> float:
        if exact:
            return float(exact_jaccard(shingles_of_row, np.array([[kept, other]]))[0])
        return float((sigs[kept] == sigs[other]).mean())

    for members in groups.values():
        if len(members) > 1:
            _record_cluster(members, "near", order_key, rows, removed, clusters, similarity)
    return {"bands": found.bands, "rows": found.rows, "verify": verify,
            "candidate_pairs": found.candidates, "verified_pairs": int(len(found.pairs))}


def _weights(cfg: dict, exact: bool) -> tuple[float, float]:
    default_fp, default_fn = EXACT_WEIGHTS if exact else ESTIMATE_WEIGHTS
    return float(cfg.get("fp_weight", default_fp)), float(cfg.get("fn_weight", default_fn))


def _load_aligned(clean_paths, signature_paths):
    """Concatenated clean rows with their content hashes and signatures in the same order."""
    if len(clean_paths) != len(signature_paths):
        raise ValueError(f"dedup: {len(clean_paths)} clean files but {len(signature_paths)} signature files")
    tables, hashes, sigs, params_seen = [], [], [], None
    for clean_path, sig_path in zip(clean_paths, signature_paths):
        table = read_table(clean_path)
        ids, content, signature, params = read_signatures(sig_path)
        if params_seen is not None and params != params_seen:
            raise ValueError(f"{sig_path}: minhash params {params} differ from {params_seen}; "
                             "recompute all signatures with one setting")
        params_seen = params
        position = {row_id: i for i, row_id in enumerate(ids)}
        clean_ids = table.column("id").to_pylist()
        missing = [i for i in clean_ids if i not in position]
        if missing or len(ids) != len(clean_ids):
            raise ValueError(f"{sig_path}: signatures do not match {clean_path} (e.g. missing {missing[:3]}); "
                             "they are stale, rerun the signatures rule")
        take = [position[i] for i in clean_ids]
        tables.append(table)
        hashes.extend(content[i] for i in take)
        sigs.append(signature[take])
    table = pa.concat_tables(tables) if tables else empty_table()
    _check_unique_ids(table, clean_paths)
    params = params_seen or {"num_perm": 1, "ngram": 5}
    sigs = np.concatenate(sigs) if sigs else np.empty((0, params["num_perm"]), np.uint32)
    return table, hashes, sigs, params


def _check_unique_ids(table: pa.Table, paths) -> None:
    counts = Counter(table.column("id").to_pylist())
    repeated = [i for i, c in counts.items() if c > 1]
    if repeated:
        raise ValueError(f"dedup inputs {list(map(str, paths))}: ids occur more than once, e.g. {repeated[:3]}")


def _stats(rows, removed, kept, clusters, near_info) -> StageStats:
    stats = StageStats("dedup", rows_in=len(rows), rows_out=len(kept))
    for reason in removed.values():
        stats.drop(f"{reason}_duplicate")
    by_source: dict = {}
    for index, row in enumerate(rows):
        entry = by_source.setdefault(row["source"], {"in": 0, "out": 0, "dropped": Counter(), "chars_out": 0})
        entry["in"] += 1
        if index in removed:
            entry["dropped"][f"{removed[index]}_duplicate"] += 1
        else:
            entry["out"] += 1
            entry["chars_out"] += len(row["prompt"]) + len(row["response"])
    sizes = [1 + len(c["removed_ids"]) for c in clusters]
    stats.extra = {
        "clusters": {"exact": sum(c["reason"] == "exact" for c in clusters),
                     "near": sum(c["reason"] == "near" for c in clusters),
                     "largest": max(sizes, default=0)},
        "lsh": near_info,
        "by_source": {s: {**e, "dropped": dict(e["dropped"])}
                      for s, e in sorted(by_source.items())},
    }
    return stats
