"""Near-duplicate detection benchmark: budgetai.stages.dedup vs datasketch MinHash + MinHashLSH.

    .venv/bin/python bench/near_dedup.py                  # 100,000 documents
    .venv/bin/python bench/near_dedup.py --docs 20000     # quicker
    .venv/bin/python bench/near_dedup.py --datasketch-docs 30000   # datasketch on a subset

A synthetic corpus of code-like documents (50-400 tokens of Zipf-distributed identifiers,
keywords, operators and numbers, in lines) with planted families: a base document plus copies
edited token by token to a true 5-gram Jaccard of ~0.75-0.95 (near duplicates) or ~0.3-0.6
(hard negatives: related but not duplicates). Ground truth: every pair in a family whose TRUE
Jaccard (exact shingle sets) is >= the threshold; pairs from different families are
non-duplicates. Both methods see the same shingles (our code tokens, 5-grams), threshold and
num_perm. Ours runs twice: as the dedup stage does by default (LSH candidates verified by their
estimated Jaccard, and those within 3 standard errors of the threshold by the exact Jaccard of
shingle sets recomputed from their text; bands chosen with fp/fn weights 0.2/0.8) and with `verify: estimate` (signatures only, weights 0.5/0.5, as
datasketch). Reported pairs: ours = verified pairs; datasketch = LSH query results as returned, and
the same after verifying each candidate with MinHash.jaccard >= threshold.
Pairwise recall/precision are against the ground truth; docs/s covers tokenising, hashing,
signatures and LSH (corpus generation excluded). If datasketch runs on a subset, its docs/s
is measured on that subset and its 100k time is an extrapolation, labelled as such.
"""

from __future__ import annotations

import argparse
import functools
import time

import numpy as np

from budgetai.stages.dedup.minhash import MinHashParams, signatures
from budgetai.stages.dedup.near import ESTIMATE_WEIGHTS, EXACT_WEIGHTS, find_near_duplicates
from budgetai.stages.dedup.shingles import code_tokens, ngram_hashes

KEYWORDS = ["where", "let", "in", "do", "case", "of", "if", "then", "else", "data", "import", "module",
            "::", "->", "<-", "=", "$", ".", "<$>", ">>=", "(", ")", "[", "]", ",", "Int", "IO", "Maybe"]


def make_corpus(n_docs: int, seed: int) -> tuple[list[str], list[list[int]]]:
    """Documents and families (lists of doc indices that were planted from one base)."""
    rng = np.random.default_rng(seed)
    vocab = KEYWORDS + [f"ident{i}" for i in range(40_000)] + [str(i) for i in range(500)]
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.1  # Zipf-like: a few tokens dominate
    weights /= weights.sum()
    n_bases = n_docs // 10
    docs, families = [], []
    while len(docs) < n_docs:
        tokens = list(rng.choice(len(vocab), size=int(rng.integers(50, 401)), p=weights))
        base = len(docs)
        docs.append(tokens)
        if len(families) < n_bases:
            family = [base]
            for target in _copy_targets(rng):
                if len(docs) < n_docs:
                    family.append(len(docs))
                    docs.append(_edit(tokens, target, rng, len(vocab)))
            families.append(family)
    return [_render(t, vocab, rng) for t in docs], families


def _copy_targets(rng) -> list[float]:
    near = list(rng.uniform(0.75, 0.95, size=int(rng.integers(1, 3))))
    return near + ([float(rng.uniform(0.3, 0.6))] if rng.random() < 0.4 else [])


def _edit(tokens: list[int], target: float, rng, vocab_size: int) -> list[int]:
    """Substitute k tokens so a 5-gram Jaccard of about `target` remains: each isolated edit
    replaces 5 of the ~len shingles, J = (S - 5k) / (S + 5k)."""
    shingles = len(tokens) - 4
    k = max(1, round(shingles * (1 - target) / (5 * (1 + target))))
    edited = list(tokens)
    for position in rng.choice(len(tokens), size=min(k, len(tokens)), replace=False):
        edited[position] = int(rng.integers(len(KEYWORDS), vocab_size))
    return edited


def _render(tokens: list[int], vocab: list[str], rng) -> str:
    words = [vocab[t] for t in tokens]
    line_breaks = set(range(8, len(words), 10))
    return "".join(w + ("\n  " if i in line_breaks else " ") for i, w in enumerate(words))


def ground_truth(docs: list[str], families: list[list[int]], threshold: float, ngram: int) -> tuple[set, int]:
    """(true near-duplicate pairs, number of planted hard-negative pairs)."""
    truth, negatives = set(), 0
    for family in families:
        sets = {i: set(ngram_hashes(docs[i], ngram).tolist()) for i in family}
        for a in family:
            for b in family:
                if a < b:
                    jaccard = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
                    if jaccard >= threshold:
                        truth.add((a, b))
                    else:
                        negatives += 1
    return truth, negatives


def run_ours(docs, threshold, params, verify: str) -> tuple[set, float]:
    """The dedup stage's path: signatures, LSH, candidates verified as `verify` says (exact:
    shingle sets recomputed from the candidates' text, as the stage does from its rows)."""
    start = time.perf_counter()
    sigs = signatures(docs, params)
    if verify == "exact":
        shingles_of = functools.lru_cache(maxsize=None)(lambda i: ngram_hashes(docs[i], params.ngram))
        found = find_near_duplicates(sigs, threshold, weights=EXACT_WEIGHTS, shingles_of=shingles_of)
    else:
        found = find_near_duplicates(sigs, threshold, weights=ESTIMATE_WEIGHTS)
    elapsed = time.perf_counter() - start
    return {tuple(p) for p in found.pairs.tolist()}, elapsed


def run_datasketch(docs, threshold, params) -> tuple[set, set, float]:
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=params.num_perm)
    hashes = []
    for index, text in enumerate(docs):
        tokens = code_tokens(text)
        shingles = {" ".join(tokens[i : i + params.ngram]).encode() for i in range(max(1, len(tokens) - params.ngram + 1))}
        m = MinHash(num_perm=params.num_perm, seed=params.seed)
        m.update_batch(list(shingles))
        lsh.insert(index, m)
        hashes.append(m)
    raw, verified = set(), set()
    for index, m in enumerate(hashes):
        for other in lsh.query(m):
            if other != index:
                pair = (min(index, other), max(index, other))
                raw.add(pair)
                if pair not in verified and hashes[pair[0]].jaccard(hashes[pair[1]]) >= threshold:
                    verified.add(pair)
    return raw, verified, time.perf_counter() - start


def score(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / max(1, len(truth)), hits / max(1, len(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--datasketch-docs", type=int, default=None, help="run datasketch on the first N docs only")
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--num-perm", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    params = MinHashParams(ngram=5, num_perm=args.num_perm)
    docs, families = make_corpus(args.docs, args.seed)
    truth, negatives = ground_truth(docs, families, args.threshold, params.ngram)
    print(f"corpus: {len(docs)} docs, {len(families)} families, {len(truth)} true pairs, "
          f"{negatives} planted hard-negative pairs; threshold {args.threshold}, num_perm {args.num_perm}")
    ours_docs_s = {}
    for verify in ("exact", "estimate"):
        ours, ours_s = run_ours(docs, args.threshold, params, verify)
        ours_docs_s[verify] = len(docs) / ours_s
        recall, precision = score(ours, truth)
        print(f"budgetai ({verify:8s})   : {len(docs) / ours_s:9.0f} docs/s ({ours_s:.1f} s)  recall {recall:.4f}  "
              f"precision {precision:.4f}  pairs {len(ours)}")
    subset = min(args.datasketch_docs or len(docs), len(docs))
    sub_truth = {p for p in truth if p[1] < subset}
    raw, verified, ds_s = run_datasketch(docs[:subset], args.threshold, params)
    label = "" if subset == len(docs) else f" on first {subset} docs; {len(docs)} docs extrapolated: {ds_s * len(docs) / subset:.0f} s"
    for name, found in (("datasketch (raw LSH)", raw), ("datasketch (verified)", verified)):
        recall, precision = score(found, sub_truth)
        print(f"{name:22s}: {subset / ds_s:9.0f} docs/s ({ds_s:.1f} s{label})  recall {recall:.4f}  precision {precision:.4f}  pairs {len(found)}")
    for verify, docs_s in ours_docs_s.items():
        print(f"speed-up (docs/s, ours {verify} / datasketch): {docs_s / (subset / ds_s):.1f}x")
    print("targets: >= 5x datasketch's docs/s, recall >= 0.95, precision >= 0.95 (the pipeline "
          "default is verify: exact)")


if __name__ == "__main__":
    main()
