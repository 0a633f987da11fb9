import gzip
import json

import pytest

from budgetai.suites.load import SuiteFormatError, load_suite

HUMANEVAL_ROW = {
    "task_id": "HumanEval/0", "entry_point": "add",
    "prompt": "from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    \"\"\"Add.\"\"\"\n",
    "canonical_solution": "    return a + b\n",
    "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n",
}


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_loads_real_multipl_e_haskell(shared_dir):
    problems = load_suite(shared_dir / "realdata/multipl-e/humaneval-hs-reworded.jsonl", "multipl-e")
    assert len(problems) == 156
    first = {p.id: p for p in problems}["HumanEval_0_has_close_elements"]
    assert first.language == "haskell" and first.format == "multipl-e"
    assert first.entry == "hasCloseElements"
    assert "main :: IO ()" in first.tests and "\n\n" in first.stop_tokens
    assert all(p.entry for p in problems)  # every prompt ends in a signature we can find


def test_loads_our_stdio_problems(repo_dir):
    problems = load_suite(repo_dir / "resources/problems/problems.jsonl", "stdio")
    assert len(problems) >= 22
    assert all(p.format == "stdio" and p.language == "haskell" for p in problems)
    assert all(set(t) >= {"input", "output"} for p in problems for t in p.tests)


def test_loads_gzipped_humaneval_python(tmp_path):
    path = tmp_path / "HumanEval.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(json.dumps(HUMANEVAL_ROW) + "\n")
    [problem] = load_suite(path, "humaneval-python")
    assert problem.id == "HumanEval/0" and problem.entry == "add" and problem.language == "python"
    assert problem.reference == "    return a + b\n"


def test_missing_field_names_file_line_and_field(tmp_path):
    rows = [{"id": "a", "prompt": "p", "tests": [{"input": "", "output": ""}], "language": "haskell"},
            {"id": "b", "prompt": "p", "language": "haskell"}]
    path = _jsonl(tmp_path / "s.jsonl", rows)
    with pytest.raises(SuiteFormatError, match=r"s\.jsonl:2: missing field 'tests'"):
        load_suite(path, "stdio")


@pytest.mark.parametrize("row,message", [
    ({"id": "a", "prompt": "p", "tests": [], "language": "haskell"}, "non-empty list"),
    ({"id": "a", "prompt": "p", "tests": [{"input": "1"}], "language": "haskell"}, r"tests\[0\]"),
    ({"id": "a", "prompt": "p", "tests": [{"input": "", "output": ""}], "language": "cobol"},
     "unsupported language"),
])
def test_malformed_stdio_rows(tmp_path, row, message):
    with pytest.raises(SuiteFormatError, match=message):
        load_suite(_jsonl(tmp_path / "s.jsonl", [row]), "stdio")


def test_bad_json_duplicates_unknown_format_and_missing_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = {"id": "a", "prompt": "p", "tests": [{"input": "", "output": ""}], "language": "hs"}
    bad.write_text(json.dumps(good) + '\n{not json\n')
    with pytest.raises(SuiteFormatError, match=r"bad\.jsonl:2: not valid JSON"):
        load_suite(bad, "stdio")
    row = {"id": "a", "prompt": "p", "tests": [{"input": "", "output": ""}], "language": "hs"}
    with pytest.raises(SuiteFormatError, match="duplicate problem id 'a'"):
        load_suite(_jsonl(tmp_path / "d.jsonl", [row, row]), "stdio")
    with pytest.raises(SuiteFormatError, match="unknown suite format"):
        load_suite(bad, "apps")
    with pytest.raises(SuiteFormatError, match="does not exist"):
        load_suite(tmp_path / "nope.jsonl", "stdio")
