"""Code-aware tokens and hashed token n-grams, shared by MinHash, decontamination and splitting.

Tokens are identifiers (Haskell primes allowed: `go'`), numbers, and runs of operator characters
(`::`, `->`, `>>=`), lowercased. Operators are KEPT as tokens: in Haskell they carry much of the
meaning (`<$>` vs `>>=`), and two snippets differing only in operators are not duplicates.
Whitespace and layout are ignored, so re-indented copies shingle identically.

N-grams are hashed to uint64 with a polynomial over per-token xxhash values, vectorised in numpy,
so the same text always gives the same hashes on every machine and in every job.
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

TOKEN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_']*|\d+|[^\sA-Za-z0-9_]+")
# An odd 64-bit multiplier: the polynomial base that mixes the n tokens of a shingle.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.empty(0, dtype=np.uint64)


def code_tokens(text: str) -> list[str]:
    """Lowercased identifier / number / operator-run tokens of `text`."""
    return TOKEN_RE.findall(text.lower())


def token_hashes(tokens: list[str]) -> np.ndarray:
    """Stable uint64 hash per token (xxh64, seed 0)."""
    hash_token = xxhash.xxh64_intdigest
    return np.fromiter((hash_token(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))


def ngram_hashes(text: str, n: int) -> np.ndarray:
    """Unique uint64 hashes of the token n-grams of `text` (sorted).

    A text shorter than n tokens yields one hash of all its tokens, so short documents still
    get a signature; an empty text yields an empty array."""
    return np.unique(positional_ngram_hashes(code_tokens(text), n))


def positional_ngram_hashes(tokens: list[str], n: int) -> np.ndarray:
    """Hash of the n-gram starting at each token position (len(tokens) - n + 1 values, or one
    value for 1..n-1 tokens), so a match can be traced back to its tokens."""
    hashes = token_hashes(tokens)
    if len(hashes) == 0:
        return _EMPTY
    return rolling_ngram_hashes(hashes, min(n, len(hashes)))


def rolling_ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every window of n consecutive token hashes (len(hashes) - n + 1 values)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return _EMPTY
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point of the hash
        for offset in range(n):
            combined = combined * _BASE + hashes[offset : offset + count]
    return combined
