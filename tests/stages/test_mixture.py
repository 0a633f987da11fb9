from collections import Counter

import pytest

from budgetai.stages import mixture
from budgetai.core.records import Record, read_records, write_records


def rows(source: str, n: int) -> list[Record]:
    return [Record(f"{source}:{i}", source, "qa", "q" * 20, "a" * 80, "haskell", "", "MIT", f"{source}{i}")
            for i in range(n)]


def mix(tmp_path, cfg, name="m"):
    write_records(rows("so", 100) + rows("cf", 40) + rows("book", 10), tmp_path / "train.parquet")
    write_records(rows("so", 5) + rows("cf", 5), tmp_path / "val.parquet")
    d = tmp_path / name
    stats = mixture.run(tmp_path / "train.parquet", tmp_path / "val.parquet", d / "train.parquet",
                        d / "val.parquet", d / "stats.json", cfg)
    return stats, read_records(d / "train.parquet"), read_records(d / "val.parquet")


def test_curated_only_vs_all(tmp_path):
    _, train_all, val_all = mix(tmp_path, {}, "all")
    stats, train, val = mix(tmp_path, {"sources": ["cf", "book"]}, "curated")
    assert len(train_all) == 150 and len(val_all) == 10
    assert Counter(r.source for r in train) == {"cf": 40, "book": 10}
    assert {r.source for r in val} == {"cf"}
    assert dict(stats.dropped) == {"source_not_selected": 105} and stats.balanced()


def test_weights_caps_budgets_are_seeded_and_balanced(tmp_path):
    cfg = {"weights": {"so": 0.5, "book": 2.5}, "caps": {"cf": 30}, "seed": 7}
    stats, train, _ = mix(tmp_path, cfg, "a")
    _, again, _ = mix(tmp_path, cfg, "b")
    counts = Counter(r.source for r in train)
    assert counts == {"so": 50, "cf": 30, "book": 25}
    assert [r.id for r in train] == [r.id for r in again]
    assert len({r.id for r in train}) == len(train)  # repeated copies get unique ids
    assert stats.extra["repeated_copies"] == 15
    assert dict(stats.dropped) == {"downsampled": 50, "source_cap": 10} and stats.balanced()
    _, other_seed, _ = mix(tmp_path, {**cfg, "seed": 8}, "c")
    assert [r.id for r in other_seed] != [r.id for r in train]


def test_max_rows_and_max_tokens(tmp_path):
    stats, train, _ = mix(tmp_path, {"max_rows": 60}, "rows")
    assert len(train) == 60 and stats.dropped["max_rows"] == 90
    stats, train, _ = mix(tmp_path, {"max_tokens": 25 * 10}, "tokens")  # 100 chars = 25 tokens a row
    assert len(train) == 10 and stats.dropped["max_tokens"] == 140 and stats.balanced()


def test_adding_a_source_keeps_other_sources_sample(tmp_path):
    cfg = {"weights": {"so": 0.3}}
    _, before, _ = mix(tmp_path, {**cfg, "sources": ["so"]}, "x")
    _, after, _ = mix(tmp_path, cfg, "y")
    assert {r.id for r in before} == {r.id for r in after if r.source == "so"}


def test_bad_cfg(tmp_path):
    with pytest.raises(ValueError, match="weights"):
        mixture.resolve_cfg({"weights": {"so": -1}})
    with pytest.raises(ValueError, match="unknown key"):
        mixture.resolve_cfg({"sorces": ["so"]})


def test_kind_weights_multiply_the_source_weight_and_balance(tmp_path):
    code = [Record(f"so:c{i}", "so", "code", "q" * 20, "a" * 80, "haskell", "", "MIT", f"c{i}") for i in range(20)]
    instructions = [Record(f"so:i{i}", "so", "instruction", "q" * 20, "a" * 80, "haskell", "", "MIT", f"i{i}")
                    for i in range(10)]
    write_records(code + instructions, tmp_path / "train.parquet")
    write_records(code[:2], tmp_path / "val.parquet")
    cfg = {"weights": {"so": 2.0}, "kind_weights": {"code": 0.25, "instruction": 1.5}}
    stats = mixture.run(tmp_path / "train.parquet", tmp_path / "val.parquet", tmp_path / "t.parquet",
                        tmp_path / "v.parquet", tmp_path / "s.json", cfg)
    train = read_records(tmp_path / "t.parquet")
    assert Counter(r.kind for r in train) == {"code": 10, "instruction": 30}  # 20 x 0.5, 10 x 3
    assert len({r.id for r in train}) == len(train) and stats.balanced()
    assert stats.dropped["downsampled"] == 10 and stats.extra["repeated_copies"] == 20
    with pytest.raises(ValueError, match="kind_weights"):
        mixture.resolve_cfg({"kind_weights": {"code": -1}})


def test_exclude_mined_drops_mined_train_rows_only(tmp_path):
    mined = [Record(f"so:m{i}", "so", "instruction", "q" * 20, "a" * 80, "haskell", "", "MIT", f"so{i}",
                    meta={"mined": "definition", "parent_id": f"so:{i}"}) for i in range(7)]
    write_records(rows("so", 10) + mined, tmp_path / "train.parquet")
    write_records(rows("so", 3) + mined[:2], tmp_path / "val.parquet")
    d = tmp_path / "out"
    stats = mixture.run(tmp_path / "train.parquet", tmp_path / "val.parquet", d / "train.parquet",
                        d / "val.parquet", d / "stats.json", {"exclude_mined": True})
    assert {r.id for r in read_records(d / "train.parquet")} == {f"so:{i}" for i in range(10)}
    assert len(read_records(d / "val.parquet")) == 5  # val keeps the parent's rows, so losses compare
    assert dict(stats.dropped) == {"mined_excluded": 7} and stats.balanced()
