import random
from collections import Counter

import pytest

from budgetai.stages import split
from budgetai.core.records import Record, read_records, write_records
from budgetai.core.stats import StageStats, read_stats
from budgetai.sources import local_code, textbook


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


def decided(records, cfg=None) -> dict[str, str]:
    """group -> split as the split stage decides it for these records."""
    return split.assign_groups([r.to_row() for r in records], split.resolve_cfg(cfg or {}))


def test_train_rows_overlapping_test_split_are_dropped(tmp_path):
    records = rows_for("so", 400, per_group=1)
    where = decided(records)
    test_row = next(r for r in records if where[r.group] == "test")
    train_row = next(r for r in records if where[r.group] == "train")
    # The train row quotes the test row's answer verbatim (a re-post): it must go.
    train_row.response += " quoting: " + test_row.response
    stats, parts = do_split(tmp_path, records)
    assert train_row.id not in {r.id for r in parts["train"]}
    assert dict(stats.dropped) == {"overlaps_test_split": 1}
    extra = read_stats(tmp_path / "a" / "s.json")["extra"]
    assert extra["by_source"]["so"]["overlaps_test_split"] == 1
    assert extra["overlapping_test_rows"] == {train_row.id: test_row.id} and extra["dropped_from"] == {train_row.id: "train"}


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
    where = decided(records)
    test_row = next(r for r in records if where[r.group] == "test")
    planted = Record("cf:planted", "cf", "problem_solution", "Problem copied.", test_row.response,
                     "haskell", "", "MIT", next(r.group for r in records if where[r.group] == "train"))
    # before: one shared 13-gram of input reading dropped every train and val row
    before, _ = do_split(tmp_path, records + [planted], {"overlap_common_rows": 0}, name="before")
    train_and_val = sum(1 for r in records + [planted] if where[r.group] != "test")
    assert dict(before.dropped) == {"overlaps_test_split": train_and_val}
    after, parts = do_split(tmp_path, records + [planted], name="after")
    assert dict(after.dropped) == {"overlaps_test_split": 1}  # the copy, and only it
    assert "cf:planted" not in {r.id for r in parts["train"]} and after.balanced()


SHARES = {"train": 0.75, "val": 0.10, "test": 0.15}


def skewed_source(source: str, sizes: list[int]) -> list[Record]:
    """One group per size: a book's chapters, a repository's directories."""
    return [Record(f"{source}:{g}:{i}", source, "text", f"{source} {g} {i}", f"row {i} of group {g} of {source}",
                   "en", "", "MIT", f"{source}:g{g}") for g, size in enumerate(sizes) for i in range(size)]


def shares_by_source(records, where) -> dict[str, dict[str, float]]:
    counts: dict[str, Counter] = {}
    for r in records:
        counts.setdefault(r.source, Counter())[where[r.group]] += 1
    return {src: {s: c[s] / sum(c.values()) for s in split.SPLITS} for src, c in counts.items()}


def test_val_and_test_get_their_share_of_rows_when_groups_are_skewed():
    """Two big chapters among small sections, files of skewed sizes, a source of 3 groups: by a
    hash of groups alone, this book's val held 0 rows and the tiny source was in one split."""
    rng = random.Random(7)
    book = skewed_source("book", [170, 89] + [rng.randint(5, 40) for _ in range(13)])
    code = skewed_source("code", [max(1, int(rng.lognormvariate(1.5, 1.0))) for _ in range(60)])
    tiny = skewed_source("tiny", [2, 3, 2])
    records = book + code + tiny
    where = decided(records, SHARES)
    shares = shares_by_source(records, where)
    for source in ("book", "code"):
        for name, share in SHARES.items():
            assert abs(shares[source][name] - share) < 0.03, (source, shares[source])
    assert all(shares["tiny"][name] > 0 for name in split.SPLITS)  # every split has one of its 3 groups
    assert where["book:g0"] == "train" and where["book:g1"] == "train"  # 170 and 89 rows exceed any held-out share


def test_adding_a_source_never_moves_another_sources_rows_and_row_order_does_not_matter():
    rng = random.Random(3)
    book = skewed_source("book", [rng.randint(1, 60) for _ in range(40)])
    before = decided(book, SHARES)
    added = decided(book + skewed_source("more", [rng.randint(1, 90) for _ in range(25)]), SHARES)
    assert {g: added[g] for g in before} == before
    shuffled = book[:]
    rng.shuffle(shuffled)
    assert decided(shuffled, SHARES) == before


def test_a_group_in_two_sources_is_one_group():
    rows = skewed_source("a", [3] * 20) + [Record("b:x", "b", "text", "p", "r", "en", "", "MIT", "a:g5")]
    where = decided(rows, SHARES)
    splits_of_g5 = {where[r.group] for r in rows if r.group == "a:g5"}
    assert len(splits_of_g5) == 1


def test_split_stats_report_shares_and_missing_sources(tmp_path):
    records = skewed_source("book", [20] * 30) + skewed_source("one", [5])
    stats, parts = do_split(tmp_path, records, SHARES)
    extra = stats.extra
    assert sum(extra["rows"].values()) == 605 and abs(extra["shares"]["val"] - 0.10) < 0.02
    assert extra["sources_missing_from"] == {"one": ["val", "test"]}  # one group: one split
    assert extra["by_source"]["book"]["val_groups"] == 3 and extra["by_source"]["book"]["test_groups"] == 5


def test_real_book_and_code_get_their_val_share(shared_dir):
    """Learn You a Haskell (15 chapter files), haskell/containers and haskell/happy, split
    0.75/0.10/0.15. By a hash of groups alone: val 6 of 1,243 rows (0.5%), none of the book or
    containers; test 316 (25.4%)."""
    real = shared_dir / "realdata"
    rows = [r.to_row() for r in textbook.read("lyah", {"license": "CC-BY-NC-SA-3.0", "paths": [
        str(real / "textbook/learn-you-a-haskell/source_md/*.md")]}, StageStats("i"), [])]
    for name, license in (("containers", "BSD-3-Clause"), ("happy", "BSD-2-Clause")):
        rows += [r.to_row() for r in local_code.read(name, {"license": license, "root": str(real / "code" / name)},
                                                     StageStats("i"), [])]
    where = split.assign_groups(rows, split.resolve_cfg(SHARES))
    counts = {}
    for row in rows:
        counts.setdefault(row["source"], Counter())[where[split.group_of(row)]] += 1
    assert counts == {"lyah": {"train": 830, "val": 111, "test": 171},
                      "containers": {"train": 58, "val": 8, "test": 13},
                      "happy": {"train": 39, "val": 5, "test": 8}}
