import pytest

from budgetai.stages import split
from budgetai.core.records import Record, read_records, write_records
from budgetai.core.stats import read_stats


def rows_for(source: str, n: int, per_group: int = 3) -> list[Record]:
    return [Record(f"{source}:{i}", source, "qa", f"question {source} {i // per_group} part {i}",
                   f"answer number {i} from {source} with unique words w{source}{i} and enough tokens to span an ngram", "haskell", "", "MIT",
                   f"{source}-g{i // per_group}") for i in range(n)]


def do_split(tmp_path, records, cfg=None, name="a"):
    d = tmp_path / name
    write_records(records, d / "in.parquet")
    stats = split.run(d / "in.parquet", d / "train.parquet", d / "val.parquet", d / "test.parquet", d / "s.json", cfg)
    return stats, {s: read_records(d / f"{s}.parquet") for s in split.SPLITS}


def test_no_id_or_group_in_two_splits_and_ratios(tmp_path):
    stats, parts = do_split(tmp_path, rows_for("so", 3000), {"train": 0.8, "val": 0.1, "test": 0.1})
    ids = {s: {r.id for r in rows} for s, rows in parts.items()}
    groups = {s: {r.group for r in rows} for s, rows in parts.items()}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        assert not ids[a] & ids[b] and not groups[a] & groups[b]
    assert 0.7 < len(parts["train"]) / 3000 < 0.9 and 0.05 < len(parts["test"]) / 3000 < 0.15
    assert stats.balanced() and stats.rows_out == sum(len(p) for p in parts.values())


def test_deterministic_and_stable_when_a_source_is_added(tmp_path):
    base = rows_for("so", 600)
    _, first = do_split(tmp_path, base, name="a")
    _, again = do_split(tmp_path, base, name="b")
    _, grown = do_split(tmp_path, base + rows_for("cf", 600), name="c")
    where = lambda parts: {r.id: s for s, rows in parts.items() for r in rows}
    assert where(first) == where(again)
    grown_where = where(grown)
    assert all(grown_where[i] == s for i, s in where(first).items())


def test_train_rows_overlapping_test_split_are_dropped(tmp_path):
    records = rows_for("so", 400, per_group=1)
    cfg = split.resolve_cfg({})
    test_row = next(r for r in records if split.assign_split(r.group, cfg) == "test")
    train_row = next(r for r in records if split.assign_split(r.group, cfg) == "train")
    # The train row quotes the test row's answer verbatim (a re-post): it must go.
    train_row.response += " quoting: " + test_row.response
    stats, parts = do_split(tmp_path, records)
    assert train_row.id not in {r.id for r in parts["train"]}
    assert dict(stats.dropped) == {"overlaps_test_split": 1}
    assert read_stats(tmp_path / "a" / "s.json")["extra"]["by_source"]["so"]["overlaps_test_split"] == 1


def test_bad_fractions_rejected():
    with pytest.raises(ValueError, match="sum to 1"):
        split.resolve_cfg({"train": 0.9, "val": 0.2, "test": 0.1})


IDIOM = "main = do\n  n <- readLn :: IO Int\n  xs <- map read . words <$> getLine :: IO [Int]\n"


def idiom_rows(n: int) -> list[Record]:
    """Solutions to different problems that all read their input the same way."""
    return [Record(f"cf:{i}", "cf", "problem_solution", f"Problem {i}: compute thing {i}.",
                   IDIOM + f"  print (solve{i} n xs)\n  where solve{i} a b = a * {i} + sum b - length (show {i}) + w{i}",
                   "haskell", "", "MIT", f"cf-p{i}") for i in range(n)]


def test_shared_idioms_are_not_leaks_but_a_planted_copy_is(tmp_path):
    records = idiom_rows(60)
    cfg = split.resolve_cfg({})
    test_row = next(r for r in records if split.assign_split(r.group, cfg) == "test")
    planted = Record("cf:planted", "cf", "problem_solution", "Problem copied.", test_row.response,
                     "haskell", "", "MIT", next(r.group for r in records if split.assign_split(r.group, cfg) == "train"))
    # before: one shared 13-gram of input reading dropped every train and val row
    before, _ = do_split(tmp_path, records + [planted], {"overlap_common_rows": 0}, name="before")
    train_and_val = sum(1 for r in records + [planted] if split.assign_split(r.group, cfg) != "test")
    assert dict(before.dropped) == {"overlaps_test_split": train_and_val}
    after, parts = do_split(tmp_path, records + [planted], name="after")
    assert dict(after.dropped) == {"overlaps_test_split": 1}  # the copy, and only it
    assert "cf:planted" not in {r.id for r in parts["train"]} and after.balanced()
