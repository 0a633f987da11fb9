"""N-grams common across a corpus: shared idioms, not evidence that one row copies another.

A leak check that drops a training row for sharing one 13-gram with a test row also drops every
row that reads input the way Codeforces solutions do (`n <- readLn :: IO Int` ...), imports what
everyone imports, or carries a licence header. Such an n-gram occurs in many rows of the corpus;
a copied test row's n-grams occur in two (the test row and its copy). So an n-gram found in at
least `min_rows` distinct rows of the whole corpus (all splits) is ignored by the check.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from budgetai.stages.dedup.shingles import code_tokens, positional_ngram_hashes


def common_ngram_hashes(texts: Iterable[str], ngram: int, min_rows: int) -> np.ndarray:
    """Sorted hashes of the n-grams occurring in at least `min_rows` of `texts` (0: none)."""
    if not min_rows:
        return np.empty(0, np.uint64)
    per_row = [np.unique(positional_ngram_hashes(code_tokens(text), ngram)) for text in texts]
    per_row = [h for h in per_row if len(h)]
    if not per_row:
        return np.empty(0, np.uint64)
    unique, counts = np.unique(np.concatenate(per_row), return_counts=True)
    return unique[counts >= min_rows]
