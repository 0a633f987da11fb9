"""Near-duplicate clusters from MinHash signatures: LSH banding -> verified pairs -> union-find.

Every candidate pair that shares a band bucket is VERIFIED before it may join a cluster, so a
lucky band collision never removes a row: by the Jaccard estimated from the full signatures
(fraction of equal positions), whose noise (sd ~0.03 at 256 bins) misjudges pairs near the
threshold both ways; so when the caller can give the rows' shingle sets (the dedup stage does),
pairs whose estimate is within 3 standard errors of the threshold are decided by their exact
Jaccard instead. Clusters are connected components of verified pairs
(single linkage, as in bigcode/datatrove): a chain a~b~c clusters a with c even when a and c
differ more; lineage reports each removed row's own similarity to the kept row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

_BAND_BASE = np.uint64(0x100000001B3)  # FNV prime: mixes the r values of a band into one key
# (fp_weight, fn_weight) of the banding choice. With exact verification an extra candidate costs
# one set comparison while a missed one is a kept duplicate, so recall is weighted up.
EXACT_WEIGHTS = (0.2, 0.8)
ESTIMATE_WEIGHTS = (0.5, 0.5)


def _integrate(fn, lo: float, hi: float, steps: int = 200) -> float:
    xs = np.linspace(lo, hi, steps + 1)
    return float(np.trapezoid(fn(xs), xs)) if hasattr(np, "trapezoid") else float(np.trapz(fn(xs), xs))


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm minimising the weighted area of false positives
    (pairs below threshold that collide) plus false negatives (pairs above that do not), the
    criterion of datasketch's MinHashLSH._optimal_param."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"near dedup threshold must be in (0, 1), got {threshold}")
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = _integrate(lambda s: 1 - (1 - s**rows) ** bands, 0.0, threshold)
            fn = _integrate(lambda s: (1 - s**rows) ** bands, threshold, 1.0)
            error = fp_weight * fp + fn_weight * fn
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """uint64 bucket key per (document, band): shape (n, bands)."""
    keys = np.zeros((sigs.shape[0], bands), dtype=np.uint64)
    block = sigs[:, : bands * rows].astype(np.uint64).reshape(sigs.shape[0], bands, rows)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * _BAND_BASE + block[:, :, r] + np.uint64(1)
    return keys


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Unique (i, j) index pairs, i < j, that share at least one band bucket: shape (m, 2)."""
    keys = band_keys(sigs, bands, rows)
    found = []
    for band in range(bands):
        order = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[order, band]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        lengths = np.diff(np.r_[starts, len(order)])
        pair_starts = starts[lengths == 2]  # the common case, done without a Python loop
        found.append(np.stack([order[pair_starts], order[pair_starts + 1]], axis=1))
        for start, length in zip(starts[lengths > 2].tolist(), lengths[lengths > 2].tolist()):
            bucket = order[start : start + length]
            left, right = np.triu_indices(length, k=1)
            found.append(np.stack([bucket[left], bucket[right]], axis=1))
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    codes = np.unique(pairs[:, 0] * len(sigs) + pairs[:, 1])  # one int64 per pair: fast unique
    return np.stack([codes // max(1, len(sigs)), codes % max(1, len(sigs))], axis=1)


def estimated_jaccard(sigs: np.ndarray, pairs: np.ndarray, chunk: int = 65536) -> np.ndarray:
    """Fraction of equal signature positions for each pair (float64, shape (m,))."""
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        out[start : start + chunk] = (sigs[part[:, 0]] == sigs[part[:, 1]]).mean(axis=1)
    return out


def connected_components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Union-find (path halving, union by smaller root index): root label per index, where a
    cluster's label is its smallest member index."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs.tolist():
        root_i, root_j = find(i), find(j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)
    return np.array([find(x) for x in range(n)])


@dataclass
class NearDuplicates:
    labels: np.ndarray  # cluster root per row; rows alone in their cluster are their own root
    pairs: np.ndarray  # verified pairs (m, 2)
    similarity: np.ndarray  # estimated Jaccard per verified pair
    candidates: int  # candidate pairs before verification
    bands: int
    rows: int


def exact_jaccard(shingles_of: Callable[[int], np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """|A & B| / |A | B| of each pair's shingle sets; shingles_of(i) is row i's sorted unique
    shingle hashes (1.0 for two empty sets)."""
    out = np.empty(len(pairs), dtype=np.float64)
    for k, (i, j) in enumerate(pairs.tolist()):
        a, b = shingles_of(i), shingles_of(j)
        shared = len(np.intersect1d(a, b, assume_unique=True))
        union = len(a) + len(b) - shared
        out[k] = shared / union if union else 1.0
    return out


def find_near_duplicates(sigs: np.ndarray, threshold: float, bands: int | None = None,
                         rows: int | None = None, weights: tuple[float, float] = ESTIMATE_WEIGHTS,
                         shingles_of: Callable[[int], np.ndarray] | None = None) -> NearDuplicates:
    """Cluster rows whose verified Jaccard >= threshold: estimated from the signatures, and exact
    near the threshold when `shingles_of` (row index -> sorted unique shingle hashes) is given. bands/rows
    default to `optimal_bands(threshold, num_perm, *weights)`."""
    if bands is None or rows is None:
        bands, rows = optimal_bands(threshold, sigs.shape[1], *weights)
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands*rows = {bands * rows} exceeds num_perm {sigs.shape[1]}")
    candidates = candidate_pairs(sigs, bands, rows)
    similarity = estimated_jaccard(sigs, candidates)
    if shingles_of is not None:
        # The estimate decides where it is clear: more than 3 standard errors (of a Jaccard
        # estimated from num_perm positions) from the threshold. Only the pairs near the
        # threshold, where it errs, are compared exactly; that is a fifth of LSH's output on
        # bench/near_dedup.py, and recomputing shingles is the dear part.
        stderr = np.sqrt(np.maximum(similarity * (1 - similarity), 1e-12) / sigs.shape[1])
        unclear = np.abs(similarity - threshold) <= 3 * stderr
        similarity[unclear] = exact_jaccard(shingles_of, candidates[unclear])
    keep = similarity >= threshold
    labels = connected_components(len(sigs), candidates[keep])
    return NearDuplicates(labels, candidates[keep], similarity[keep], len(candidates), bands, rows)
