"""MinHash signatures of texts (`signatures(texts, MinHashParams)`); budgetai.stages.dedup.signatures
writes them per source.

Shingles are token n-grams from `dedup.shingles` (identifiers, numbers and operator runs,
lowercased; layout ignored). The signature is one-permutation MinHash with optimal
densification (Li, Owen & Zhang 2012; Shrivastava 2017): each shingle is hashed ONCE (a
splitmix64 finaliser, seeded), the hash's top bits pick one of num_perm bins and its low 32 bits
are the value; a bin keeps its minimum. Bins no shingle fell into borrow the value of another bin
along a probe sequence that depends only on (bin, attempt, seed), so every document probes the
same way and P(signature values equal at a position) is still the Jaccard similarity. Classic
MinHash applies num_perm hash functions to every shingle; this applies one, which makes
signatures ~num_perm times cheaper while LSH banding and Jaccard estimates work unchanged.

cfg keys (defaults): ngram (5) tokens per shingle; num_perm (256) bins; seed (1) hash seed;
batch_shingles (1048576) shingles hashed per numpy batch (memory: ~40 bytes per shingle).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

from budgetai.stages.dedup.shingles import code_tokens, positional_ngram_hashes, rolling_ngram_hashes, token_hashes

EMPTY_SIGNATURE_VALUE = np.uint32(0xFFFFFFFF)
SCHEME = "oph-densified-v1"
# Probe attempts tried per empty bin before the deterministic fallback; each attempt finds a
# filled bin with probability (filled bins / num_perm), so only documents with a handful of
# shingles get that far.
_PROBES = 256
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class MinHashParams:
    ngram: int = 5
    num_perm: int = 256
    seed: int = 1
    batch_shingles: int = 1 << 20

    @classmethod
    def from_cfg(cls, cfg: dict | None) -> "MinHashParams":
        cfg = cfg or {}
        params = cls(**{k: int(cfg[k]) for k in ("ngram", "num_perm", "seed", "batch_shingles") if k in cfg})
        if params.ngram < 1 or params.num_perm < 1 or params.batch_shingles < 1:
            raise ValueError(f"minhash cfg: ngram, num_perm, batch_shingles must be >= 1, got {params}")
        return params

    def probe_table(self) -> np.ndarray:
        """(num_perm, _PROBES) bins that an empty bin borrows from, attempt by attempt."""
        rng = np.random.default_rng([self.seed, self.num_perm])
        return rng.integers(0, self.num_perm, size=(self.num_perm, _PROBES))


def signatures(texts: list[str], params: MinHashParams) -> np.ndarray:
    """uint32 array (len(texts), num_perm). A text with no tokens gets all 0xFFFFFFFF."""
    out = np.full((len(texts), params.num_perm), EMPTY_SIGNATURE_VALUE, dtype=np.uint32)
    batch: list[int] = []
    batch_tokens: list[list[str]] = []
    size = 0
    for index, text in enumerate(texts):
        tokens = code_tokens(text)
        if not tokens:
            continue
        batch.append(index)
        batch_tokens.append(tokens)
        size += len(tokens)
        if size >= params.batch_shingles:
            out[batch] = _batch_signatures(batch_tokens, params)
            batch, batch_tokens, size = [], [], 0
    if batch:
        out[batch] = _batch_signatures(batch_tokens, params)
    return out


def _batch_signatures(token_lists: list[list[str]], params: MinHashParams) -> np.ndarray:
    """Signatures of documents that each have at least one token."""
    doc_of_shingle, shingles = _batch_shingles(token_lists, params.ngram)
    hashed = _splitmix64(shingles, params.seed)
    bins = ((hashed >> np.uint64(32)) * np.uint64(params.num_perm)) >> np.uint64(32)
    values = (hashed & _MASK32).astype(np.uint32)
    sigs = np.full((len(token_lists), params.num_perm), EMPTY_SIGNATURE_VALUE, dtype=np.uint32)
    np.minimum.at(sigs.reshape(-1), doc_of_shingle * params.num_perm + bins.astype(np.int64), values)
    return _densify(sigs, params)


def _batch_shingles(token_lists: list[list[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram hash) of every shingle of a batch, hashed in one vectorised pass
    over the concatenated tokens; the values equal `shingles.ngram_hashes` per document."""
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    flat = token_hashes(list(chain.from_iterable(token_lists)))
    ends = np.cumsum(lengths)
    positions = np.arange(max(0, len(flat) - n + 1))
    doc_at = np.repeat(np.arange(len(token_lists)), lengths)[: len(positions)]
    inside = positions + n <= ends[doc_at]  # the n-gram does not run into the next document
    docs, hashes = [doc_at[inside]], [rolling_ngram_hashes(flat, n)[inside]]
    for doc in np.flatnonzero(lengths < n):  # shorter than n: one shingle of all its tokens
        docs.append(np.array([doc]))
        hashes.append(positional_ngram_hashes(token_lists[doc], n))
    return np.concatenate(docs), np.concatenate(hashes)


def _splitmix64(x: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64's finaliser of x + seed * golden ratio: a bijection of uint64 that mixes every
    input bit into every output bit."""
    with np.errstate(over="ignore"):
        z = x + np.uint64((seed * 0x9E3779B97F4A7C15) % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _densify(sigs: np.ndarray, params: MinHashParams) -> np.ndarray:
    """Fill empty bins from the original filled bins along the shared probe sequence; after
    _PROBES misses, from the next filled bin to the right (wrapping), also deterministic."""
    original = sigs.copy()
    probes = params.probe_table()
    rows, cols = np.nonzero(original == EMPTY_SIGNATURE_VALUE)
    for attempt in range(_PROBES):
        if rows.size == 0:
            return sigs
        borrowed = original[rows, probes[cols, attempt]]
        hit = borrowed != EMPTY_SIGNATURE_VALUE
        sigs[rows[hit], cols[hit]] = borrowed[hit]
        rows, cols = rows[~hit], cols[~hit]
    for row, col in zip(rows.tolist(), cols.tolist()):
        filled = np.flatnonzero(original[row] != EMPTY_SIGNATURE_VALUE)
        sigs[row, col] = original[row, filled[np.searchsorted(filled, col) % len(filled)]]
    return sigs
