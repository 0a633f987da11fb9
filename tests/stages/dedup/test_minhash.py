import random

import numpy as np
import pytest

from budgetai.stages.dedup import minhash
from budgetai.stages.dedup import signatures as signature_files
from budgetai.stages.dedup.shingles import code_tokens, ngram_hashes
from budgetai.core.records import Record, write_records


def random_code(rng: random.Random, n_tokens: int = 150) -> str:
    words = ["map", "foldr", "xs", "acc", "go", "where", "let", "in", "::", "->", "<-", "Int", "case", "of"]
    return " ".join(rng.choice(words) + str(rng.randint(0, 999)) for _ in range(n_tokens))


def test_tokens_keep_operators_and_ignore_layout():
    assert code_tokens("go' :: [Int] -> Int\n  where  x = 1") == ["go'", "::", "[", "int", "]", "->", "int", "where", "x", "=", "1"]
    assert np.array_equal(ngram_hashes("f x = x + 1", 3), ngram_hashes("f   x\n=   x +\t1", 3))


def test_signatures_are_deterministic_and_seeded():
    texts = [random_code(random.Random(i)) for i in range(5)]
    params = minhash.MinHashParams(num_perm=64)
    first, second = minhash.signatures(texts, params), minhash.signatures(texts, params)
    assert first.dtype == np.uint32 and first.shape == (5, 64)
    assert np.array_equal(first, second)
    # batching must not change results
    small_batches = minhash.MinHashParams(num_perm=64, batch_shingles=7)
    assert np.array_equal(first, minhash.signatures(texts, small_batches))
    other_seed = minhash.signatures(texts, minhash.MinHashParams(num_perm=64, seed=99))
    assert not np.array_equal(first, other_seed)


def test_estimated_jaccard_tracks_true_jaccard():
    rng = random.Random(3)
    params = minhash.MinHashParams(num_perm=256, ngram=3)
    for edits in (5, 20, 60):
        tokens = random_code(rng, 300).split()
        edited = list(tokens)
        for position in rng.sample(range(len(tokens)), edits):
            edited[position] = "zz" + str(position)
        a, b = " ".join(tokens), " ".join(edited)
        sa, sb = set(ngram_hashes(a, 3).tolist()), set(ngram_hashes(b, 3).tolist())
        true = len(sa & sb) / len(sa | sb)
        sigs = minhash.signatures([a, b], params)
        estimate = (sigs[0] == sigs[1]).mean()
        sigma = (true * (1 - true) / 256) ** 0.5
        assert abs(estimate - true) < 4 * sigma + 0.01, (edits, true, estimate)


def test_sparse_documents_are_densified_consistently():
    """A document with fewer shingles than bins leaves bins empty; densification fills every
    bin, identically for identical shingle sets, whatever else is in the batch."""
    params = minhash.MinHashParams(num_perm=128, ngram=5)
    one_shingle, few = "f x = y", "go acc (x:xs) = go (acc + x) xs where y = 2"
    alone = minhash.signatures([one_shingle, few], params)
    in_batch = minhash.signatures([random_code(random.Random(1)), few, one_shingle], params)
    assert (alone != 0xFFFFFFFF).all()
    assert len(set(alone[0].tolist())) == 1  # one shingle: every bin borrows its value
    assert np.array_equal(alone[1], in_batch[1]) and np.array_equal(alone[0], in_batch[2])


def test_estimates_are_unbiased_over_many_pairs():
    """Mean estimate over 40 pairs at a known Jaccard sits within 3 standard errors of it."""
    rng = random.Random(7)
    params = minhash.MinHashParams(num_perm=64, ngram=1)
    errors = []
    for _ in range(40):
        shared = [f"s{rng.randint(0, 10**9)}" for _ in range(60)]
        a = shared + [f"a{rng.randint(0, 10**9)}" for _ in range(20)]
        b = shared + [f"b{rng.randint(0, 10**9)}" for _ in range(20)]
        sigs = minhash.signatures([" ".join(a), " ".join(b)], params)
        errors.append((sigs[0] == sigs[1]).mean() - 60 / 100)
    standard_error = (0.6 * 0.4 / 64 / 40) ** 0.5
    assert abs(np.mean(errors)) < 3 * standard_error, np.mean(errors)


def test_empty_text_gets_sentinel_signature():
    sigs = minhash.signatures(["", "x y z"], minhash.MinHashParams(num_perm=8))
    assert (sigs[0] == 0xFFFFFFFF).all() and not (sigs[1] == 0xFFFFFFFF).all()


def test_run_writes_signature_file_with_params(tmp_path):
    records = [Record(f"s:{i}", "s", "code", "", random_code(random.Random(i)), "haskell", "", "MIT", f"g{i}")
               for i in range(4)]
    write_records(records, tmp_path / "clean.parquet")
    signature_files.run(tmp_path / "clean.parquet", tmp_path / "sig.parquet", {"num_perm": 32, "ngram": 4})
    ids, hashes, sigs, params = signature_files.read_signatures(tmp_path / "sig.parquet")
    assert ids == [f"s:{i}" for i in range(4)]
    assert len(set(hashes)) == 4 and all(len(h) == 32 for h in hashes)
    assert sigs.shape == (4, 32) and params == {"scheme": minhash.SCHEME, "ngram": 4, "num_perm": 32, "seed": 1}


def test_bad_cfg_and_missing_file_are_named(tmp_path):
    with pytest.raises(ValueError, match="num_perm"):
        minhash.MinHashParams.from_cfg({"num_perm": 0})
    with pytest.raises(FileNotFoundError, match="sig.parquet"):
        signature_files.read_signatures(tmp_path / "sig.parquet")
