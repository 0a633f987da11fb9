import hashlib
import json

import pytest

from budgetai.sources.downloads.url import DownloadError, download_url, record_path
from tests.sources.downloads.servers import RangeFileServer

BODY = bytes(range(256)) * 4096  # 1 MiB, not all one byte, so a misplaced splice changes the hash
SHA = hashlib.sha256(BODY).hexdigest()


def test_a_cut_connection_resumes_where_it_stopped(tmp_path):
    with RangeFileServer({"/dump.7z": BODY}) as server:
        server.cuts = [300_000, 200_000]  # the first two responses stop midway
        target = tmp_path / "sources/so/dump.7z"
        record = download_url(server.base_url + "/dump.7z", target, sha256=SHA, terms="no LLM training")
    assert target.read_bytes() == BODY
    assert record["sha256"] == SHA and record["sha256_checked"] and record["bytes"] == len(BODY)
    # resumed twice, each time after most of what the cut response had sent (whole 64 KiB reads)
    first, second = record["resumed_at_bytes"]
    assert 300_000 - 65_536 < first <= 300_000 and 200_000 - 65_536 < second - first <= 200_000
    ranges = [r["headers"].get("range") for r in server.requests]
    assert ranges == [None, f"bytes={first}-", f"bytes={second}-"]
    assert all(r["headers"].get("if-range") == '"v1"' for r in server.requests[1:])
    assert json.loads(record_path(target).read_text())["terms"] == "no LLM training"
    assert not list((target.parent / ".partial").iterdir())


def test_a_partial_file_left_by_a_killed_job_is_continued(tmp_path):
    """What a rerun after a failed job sees: the .part file, not the output."""
    target = tmp_path / "dump.7z"
    part = tmp_path / ".partial" / "dump.7z.part"
    part.parent.mkdir()
    part.write_bytes(BODY[:123_456])
    (tmp_path / ".partial" / "dump.7z.part.json").write_text(json.dumps({"etag": '"v1"'}))
    with RangeFileServer({"/dump.7z": BODY}) as server:
        download_url(server.base_url + "/dump.7z", target, sha256=SHA)
    assert target.read_bytes() == BODY
    assert [r["headers"].get("range") for r in server.requests] == ["bytes=123456-"]


def test_a_changed_file_is_fetched_anew_not_spliced(tmp_path):
    target = tmp_path / "dump.7z"
    part = tmp_path / ".partial" / "dump.7z.part"
    part.parent.mkdir()
    part.write_bytes(b"old version " * 1000)
    (tmp_path / ".partial" / "dump.7z.part.json").write_text(json.dumps({"etag": '"v0"'}))
    with RangeFileServer({"/dump.7z": BODY}, etag='"v1"') as server:
        record = download_url(server.base_url + "/dump.7z", target)
    assert target.read_bytes() == BODY and record["sha256"] == SHA


def test_a_wrong_checksum_fails_naming_the_key_and_keeps_nothing(tmp_path):
    with RangeFileServer({"/dump.7z": BODY}) as server:
        with pytest.raises(DownloadError, match="download.sha256"):
            download_url(server.base_url + "/dump.7z", tmp_path / "dump.7z", sha256="0" * 64)
    assert not (tmp_path / "dump.7z").exists()
    assert not (tmp_path / ".partial" / "dump.7z.part").exists()


def test_a_missing_file_fails_without_retrying(tmp_path):
    with RangeFileServer({}) as server:
        with pytest.raises(DownloadError, match="HTTP 404"):
            download_url(server.base_url + "/nope.7z", tmp_path / "nope.7z")
    assert len(server.requests) == 1
