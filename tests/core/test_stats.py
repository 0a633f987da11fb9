import pyarrow.parquet as pq
import pytest

from budgetai.core.stats import StageStats, UnbalancedStatsError, read_stats, write_quarantine


def test_balanced_stats_are_written_with_reasons(tmp_path):
    stats = StageStats(stage="clean", rows_in=10, rows_out=6)
    stats.drop("too_short", 3)
    stats.quarantine("bad_utf8")
    stats.write(tmp_path / "s.json")
    saved = read_stats(tmp_path / "s.json")
    assert saved["rows_dropped"] == 3 and saved["dropped_by_reason"] == {"too_short": 3}
    assert saved["rows_quarantined"] == 1 and saved["quarantined_by_reason"] == {"bad_utf8": 1}


def test_unbalanced_books_are_refused(tmp_path):
    stats = StageStats(stage="clean", rows_in=10, rows_out=6)
    stats.drop("too_short", 3)
    with pytest.raises(UnbalancedStatsError, match="rows_in=10 != out 6 \\+ dropped 3 \\+ quarantined 0"):
        stats.write(tmp_path / "s.json")
    assert not (tmp_path / "s.json").exists()


def test_quarantine_file_keeps_location_and_reason(tmp_path):
    write_quarantine([{"source": "so", "location": "Posts.xml:line 7", "reason": "invalid_attribute", "raw": "<row Id='x'/>"}],
                     tmp_path / "q.parquet")
    rows = pq.read_table(tmp_path / "q.parquet").to_pylist()
    assert rows == [{"source": "so", "location": "Posts.xml:line 7", "reason": "invalid_attribute", "raw": "<row Id='x'/>"}]


def test_empty_quarantine_file_still_exists(tmp_path):
    write_quarantine([], tmp_path / "q.parquet")
    assert pq.read_table(tmp_path / "q.parquet").num_rows == 0
