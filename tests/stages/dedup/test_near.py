import json
import random

import numpy as np
import pytest

from budgetai.stages.dedup import stage
from budgetai.stages.dedup.clusters import read_clusters
from budgetai.stages.dedup import minhash
from budgetai.stages.dedup import signatures as signature_files
from budgetai.stages.dedup.near import connected_components, find_near_duplicates, optimal_bands
from budgetai.core.records import Record, read_records, write_records
from budgetai.core.stats import read_stats

WORDS = ["map", "foldr", "xs", "acc", "go", "where", "let", "in", "::", "->", "<-", "Int", "case", "of"]


def random_code(rng: random.Random, n_tokens: int = 200) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 9999)) for _ in range(n_tokens))


def edit(text: str, n_edits: int, seed: int) -> str:
    rng = random.Random(seed)
    tokens = text.split()
    for position in rng.sample(range(len(tokens)), n_edits):
        tokens[position] = f"edited{seed}_{position}"
    return " ".join(tokens)


def record(rid: str, response: str, source: str = "s", meta: dict | None = None, prompt: str = "q",
           license: str = "MIT") -> Record:
    return Record(f"{source}:{rid}", source, "qa", prompt, response, "haskell", "", license, rid, meta or {})


def write_source(tmp_path, name: str, records: list[Record], cfg: dict) -> tuple:
    clean, sig = tmp_path / f"{name}.clean.parquet", tmp_path / f"{name}.sig.parquet"
    write_records(records, clean)
    signature_files.run(clean, sig, cfg)
    return clean, sig


def test_optimal_bands_matches_datasketch():
    lsh = pytest.importorskip("datasketch.lsh")
    for threshold, num_perm in ((0.7, 256), (0.85, 64)):
        assert optimal_bands(threshold, num_perm) == lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


def test_connected_components_labels_by_smallest_member():
    labels = connected_components(6, np.array([[4, 5], [1, 4], [2, 3]]))
    assert labels.tolist() == [0, 1, 2, 2, 1, 1]


def test_planted_near_duplicates_found_and_unrelated_rows_not_clustered():
    rng = random.Random(0)
    base = [random_code(rng) for _ in range(30)]
    planted = [edit(base[i], 3, seed=i) for i in range(10)]  # 3 edits in 200 tokens: J ~ 0.86
    far = [edit(base[i], 60, seed=100 + i) for i in range(10, 15)]  # heavily edited: J well below 0.7
    sigs = minhash.signatures(base + planted + far, minhash.MinHashParams())
    found = find_near_duplicates(sigs, 0.7)
    for i in range(10):
        assert found.labels[30 + i] == found.labels[i], f"planted pair {i} missed"
    for i in range(10, 30):
        assert (found.labels == found.labels[i]).sum() == 1, f"row {i} wrongly clustered"
    assert (found.similarity >= 0.7).all() and found.candidates >= len(found.pairs)


def test_band_collision_is_verified_not_trusted():
    # Two signatures identical in exactly one band: LSH makes them candidates, verification rejects.
    sigs = np.arange(2 * 256, dtype=np.uint32).reshape(2, 256)
    sigs[1, :10] = sigs[0, :10]
    found = find_near_duplicates(sigs, 0.7, bands=25, rows=10)
    assert found.candidates == 1 and len(found.pairs) == 0
    assert found.labels.tolist() == [0, 1]


def test_exact_verification_decides_pairs_near_the_threshold():
    """Signatures agreeing at 45 of 64 positions estimate J = 0.70, too close to a 0.7 threshold
    to trust: the shingle sets decide. Far from the threshold the estimate decides alone."""
    near = np.stack([np.arange(64), np.r_[np.arange(45), np.arange(100, 119)]]).astype(np.uint32)
    disjoint = {0: np.array([1, 2, 3], np.uint64), 1: np.array([4, 5, 6], np.uint64)}
    overlapping = {0: np.array([1, 2, 3, 4], np.uint64), 1: np.array([1, 2, 3, 5], np.uint64)}
    one_band_per_position = {"bands": 64, "rows": 1}
    assert len(find_near_duplicates(near, 0.7, **one_band_per_position).pairs) == 1  # 45/64 = 0.703
    assert len(find_near_duplicates(near, 0.7, **one_band_per_position, shingles_of=disjoint.get).pairs) == 0
    found = find_near_duplicates(near, 0.6, **one_band_per_position, shingles_of=overlapping.get)
    assert found.similarity.tolist() == [0.6]  # exact: 3 shared of 5
    identical = np.tile(np.arange(64, dtype=np.uint32), (2, 1))
    clear = find_near_duplicates(identical, 0.7, shingles_of=disjoint.get)
    assert clear.similarity.tolist() == [1.0]  # 1.0 is many standard errors above 0.7


def test_run_exact_across_sources_near_lineage_priority_and_stats(tmp_path):
    rng = random.Random(1)
    cfg_sig = {"num_perm": 128}
    shared, near_base, unique = random_code(rng), random_code(rng), random_code(rng)
    a = [record("1", shared, "a"), record("2", near_base, "a", {"score": 1}), record("3", unique, "a")]
    b = [record("1", "  " + shared.replace(" ", "\n"), "b"),  # same content, other layout
         record("2", edit(near_base, 3, 7), "b", {"score": 50}),
         record("3", random_code(rng), "b")]
    paths = [write_source(tmp_path, "a", a, cfg_sig), write_source(tmp_path, "b", b, cfg_sig)]
    cfg = {"source_priority": ["b", "a"], "keep_priority": ["source_rank", "score"]}
    stats = stage.run([p[0] for p in paths], [p[1] for p in paths], tmp_path / "out.parquet",
                      tmp_path / "clusters.json", tmp_path / "stats.json", cfg)
    kept = [r.id for r in read_records(tmp_path / "out.parquet")]
    assert kept == ["a:3", "b:1", "b:2", "b:3"]  # sorted by id; b preferred by source_rank
    clusters = json.loads((tmp_path / "clusters.json").read_text())
    by_reason = {c["reason"]: c for c in clusters}
    assert by_reason["exact"]["kept_id"] == "b:1" and by_reason["exact"]["removed_ids"] == ["a:1"]
    assert by_reason["exact"]["similarity"] == [1.0]
    assert by_reason["near"]["kept_id"] == "b:2" and by_reason["near"]["removed_ids"] == ["a:2"]
    assert 0.7 <= by_reason["near"]["similarity"][0] < 1.0
    assert stats.balanced() and stats.rows_in == 6 and stats.rows_out == 4
    written = read_stats(tmp_path / "stats.json")
    assert written["dropped_by_reason"] == {"exact_duplicate": 1, "near_duplicate": 1}
    assert written["extra"]["by_source"]["a"]["out"] == 1


def test_keep_priority_score_then_length(tmp_path):
    text = random_code(random.Random(2))
    rows = [record("1", text, meta={"score": 3}), record("2", text + " ", meta={"score": 9}),
            record("3", text, meta={"score": 9}, prompt="a longer prompt")]
    clean, sig = write_source(tmp_path, "s", rows, {"num_perm": 64})
    stage.run([clean], [sig], tmp_path / "o.parquet", tmp_path / "c.parquet", tmp_path / "st.json",
              {"keep_priority": ["score", "length"]})
    assert [r.id for r in read_records(tmp_path / "o.parquet")] == ["s:3"]
    exact, near = read_clusters(tmp_path / "c.parquet")
    # 1 and 2 have equal content (2 wins on score); 3 differs only in its prompt (near; wins on length)
    assert (exact["reason"], exact["kept_id"], exact["removed_ids"]) == ("exact", "s:2", ["s:1"])
    assert (near["reason"], near["kept_id"], near["removed_ids"]) == ("near", "s:3", ["s:2"])


def test_stale_signatures_and_bad_priority_are_reported(tmp_path):
    clean, sig = write_source(tmp_path, "s", [record("1", "x y z")], {"num_perm": 16})
    write_records([record("1", "x y z"), record("2", "other")], clean)
    with pytest.raises(ValueError, match="stale"):
        stage.run([clean], [sig], tmp_path / "o.parquet", tmp_path / "c.json", tmp_path / "st.json", {})
    with pytest.raises(ValueError, match="keep_priority"):
        stage.priority_function({"keep_priority": ["popularity"]})
