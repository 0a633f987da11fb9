from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetai.sources import hf_dataset
from budgetai.core.stats import StageStats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hf"


def run(cfg):
    stats, quarantine = StageStats("hf"), []
    records = list(hf_dataset.read("ds", {"license": "CC-BY-4.0", **cfg}, stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


def test_lima_conversations_take_the_first_exchange():
    records, stats, quarantine = run({"path": str(FIXTURES / "lima.jsonl"), "format": "conversations"})
    assert [r.id for r in records] == ["ds:0", "ds:1", "ds:3"]
    assert records[0].prompt.startswith("How do I reverse") and "foldl" in records[0].response
    assert records[1].meta["turns"] == 4 and "deepseq" not in records[1].response
    assert records[2].response.startswith("Counting word frequencies")  # ShareGPT-style dict turns
    assert stats.quarantined == {"missing_field": 2}
    assert [q["location"].rsplit(" ", 2)[-2:] for q in quarantine] == [["row", "2"], ["row", "4"]]
    assert "assistant turn" in quarantine[0]["reason"] and "'conversations'" in quarantine[1]["reason"]


def test_flytech_columns_with_templates():
    records, stats, quarantine = run({
        "path": str(FIXTURES / "python_codes.json"), "format": "columns", "language": "python",
        "prompt_template": "{instruction}\n\n{input}", "response_template": "{output}"})
    assert len(records) == 3 and records[0].prompt == "Write a Python function that returns the squares of a list of numbers."
    assert records[1].prompt.endswith("s = 'functional'") and records[1].language == "python"
    assert records[0].kind == "instruction"
    assert quarantine[0]["reason"] == "row 2: missing field 'output'"


def test_samsum_csv_with_id_column():
    records, stats, quarantine = run({
        "path": str(FIXTURES / "samsum.csv"), "format": "columns", "id_column": "id", "kind": "text",
        "prompt_template": "Summarize this dialogue:\n\n{dialogue}", "response_template": "{summary}"})
    assert [r.id for r in records] == ["ds:d-001", "ds:d-002", "ds:d-004"]
    assert "Ben: Yes" in records[0].prompt and records[0].group == "ds:d-001" and records[0].kind == "text"
    assert "row 2" in quarantine[0]["reason"] and "summary" in quarantine[0]["reason"]


def test_parquet_and_max_rows(tmp_path):
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"q": ["a?", "b?", "c?"], "a": ["A", "", "C"]}), path)
    records, stats, _ = run({"path": str(path), "prompt_template": "{q}", "response_template": "{a}"})
    assert [r.response for r in records] == ["A", "C"] and stats.dropped == {"empty_prompt_or_response": 1}
    records, stats, _ = run({"path": str(path), "prompt_template": "{q}", "response_template": "{a}", "max_rows": 1})
    assert len(records) == 1 and stats.rows_in == 1


def test_configuration_errors_are_explicit(tmp_path):
    with pytest.raises(ValueError, match="license"):
        list(hf_dataset.read("ds", {"path": str(FIXTURES / "samsum.csv")}, StageStats("x"), []))
    with pytest.raises(ValueError, match="unsupported file type"):
        run({"path": str(tmp_path / "x.txt"), "prompt_template": "{a}", "response_template": "{b}"})
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\n{broken\n')
    records, stats, quarantine = run({"path": str(bad), "prompt_template": "{a}", "response_template": "{a}"})
    assert len(records) == 1 and stats.quarantined == {"invalid_json": 1}  # one bad row, not the source
    assert quarantine[0]["location"] == "bad.jsonl row 1" and "not valid JSON" in quarantine[0]["reason"]


def test_moved_file_keeps_urls_and_groups_and_group_column_shares_a_split(tmp_path):
    rows = pa.table({"task": ["fizz", "fizz", "buzz"], "code": ["a", "b", "c"],
                     "link": ["https://x.example/fizz", "https://x.example/fizz", "https://x.example/buzz"]})
    runs = []
    for where in ("one/place", "another"):
        path = tmp_path / where / "tasks.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(rows, path)
        records, _, _ = run({"path": str(path), "prompt_template": "Solve {task}", "response_template": "{code}",
                             "group_column": "task"})
        runs.append([(r.id, r.url, r.group) for r in records])
        assert not any(str(tmp_path) in field for row in runs[-1] for field in row)
    assert runs[0] == runs[1] == [("ds:0", "tasks.parquet", "ds:fizz"), ("ds:1", "tasks.parquet", "ds:fizz"),
                                  ("ds:2", "tasks.parquet", "ds:buzz")]
    records, _, _ = run({"path": str(path), "prompt_template": "Solve {task}", "response_template": "{code}",
                         "url_column": "link"})
    assert [r.url for r in records] == list(rows.column("link").to_pylist())
