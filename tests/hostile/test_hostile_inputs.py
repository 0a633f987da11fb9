"""Hostile inputs the data readers survive: each test is named after the attack.

A reader must never read outside what the user pointed it at, never crash on a name or a byte
it did not expect, never take time worse than linear in its input, and never lose a row without
counting it. A file that is not what its name says is an error naming the file, not an empty
success.
"""

import bz2
import gzip
import logging
import os
import re
import sys
import zlib

import pyarrow.parquet as pq
import pytest

from budgetai.stages.ingest import ingest
from budgetai.stages.ingest_plan import input_files
from budgetai.core.records import read_records
from budgetai.sources import local_code, stackexchange
from budgetai.sources.stackexchange.posts_xml import MAX_LINE, PostsFileError
from budgetai.core.stats import StageStats

MODULE = "-- | Stack helpers.\nmodule Stack where\n\npush :: a -> [a] -> [a]\npush = (:)\n"
BAD_NAME = os.fsdecode(b"bad\xff.hs")  # what the OS hands Python for a non-UTF-8 name
HEADER = b'<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'


def read_all(reader, cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(reader.read("src", cfg, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


def question(id):
    return (f'<row Id="{id}" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" Score="1" '
            f'Body="&lt;p&gt;Q{id}&lt;/p&gt;" Title="Question {id}" Tags="&lt;haskell&gt;" />').encode()


def answer(id, parent=1):
    return (f'<row Id="{id}" PostTypeId="2" ParentId="{parent}" CreationDate="2015-02-01T00:00:00.000" '
            f'Score="1" Body="&lt;p&gt;A{id}&lt;/p&gt;" />').encode()


def posts_lines(*rows: bytes) -> bytes:
    return HEADER + b"".join(b"  " + row + b"\n" for row in rows) + b"</posts>\n"


@pytest.fixture
def code_root(tmp_path):
    root = tmp_path / "code"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg/Stack.hs").write_text(MODULE)
    return root


def test_symlink_to_etc_passwd_is_quarantined_outside_root(tmp_path, code_root):
    """A checkout is untrusted: a link in it must not turn a private file into training data."""
    passwd = tmp_path / "etc/passwd"
    passwd.parent.mkdir()
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (code_root / "passwd.hs").symlink_to(passwd)
    records, stats, quarantine = read_all(local_code, {"root": str(code_root), "license": "MIT"})
    assert [r.meta["path"] for r in records] == ["pkg/Stack.hs"]
    assert not any("root:x:0:0" in r.response for r in records)
    assert stats.quarantined == {"outside_root": 1}
    assert quarantine[0]["reason"] == "outside_root" and quarantine[0]["location"].endswith("passwd.hs")


def test_symlinked_directory_outside_root_is_not_walked(tmp_path, code_root):
    """A link to a directory (to /, say) would make the walk read a whole other tree, so the
    walk does not enter linked directories even when a glob names them."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Secret.hs").write_text(MODULE.replace("Stack", "Secret"))
    (code_root / "vendor").symlink_to(elsewhere, target_is_directory=True)
    cfg = {"root": str(code_root), "license": "MIT", "globs": ["*/*.hs", "vendor/*.hs"]}
    records, stats, _ = read_all(local_code, cfg)
    assert [r.meta["path"] for r in records] == ["pkg/Stack.hs"]
    assert stats.rows_in == 1


@pytest.mark.skipif(sys.getfilesystemencoding() != "utf-8", reason="needs a UTF-8 file system encoding")
def test_non_utf8_file_name_is_quarantined_with_a_warning(tmp_path, code_root, caplog):
    """A name that is not UTF-8 cannot go into a record (Parquet strings are UTF-8): the file
    is counted and named in the log, and the rest of the tree is still ingested."""
    (code_root / "pkg" / BAD_NAME).write_text(MODULE)
    cfg = {"kind": "local_code", "root": str(code_root), "license": "MIT"}
    with caplog.at_level(logging.WARNING, logger="budgetai.sources.local_code"):
        stats = ingest("mine", cfg, tmp_path / "raw.parquet", tmp_path / "s.json", tmp_path / "q.parquet")
    assert [r.meta["path"] for r in read_records(tmp_path / "raw.parquet")] == ["pkg/Stack.hs"]
    assert stats.quarantined == {"undecodable_name": 1}
    assert pq.read_table(tmp_path / "q.parquet").column("reason").to_pylist() == ["undecodable_name"]
    assert repr(b"bad\xff.hs")[2:-1] in caplog.text  # the name's bytes, as repr shows them


@pytest.mark.skipif(sys.getfilesystemencoding() != "utf-8", reason="needs a UTF-8 file system encoding")
def test_non_utf8_file_name_is_kept_out_of_snakemake_inputs(code_root):
    """Snakemake encodes every input path as UTF-8 when it writes its locks, so one such name
    among a rule's inputs stops the whole workflow before any job runs."""
    (code_root / "pkg" / BAD_NAME).write_text(MODULE)
    inputs = input_files({"kind": "local_code", "root": str(code_root), "license": "MIT"})
    assert inputs == [str(code_root / "pkg/Stack.hs")]


def test_minified_posts_with_a_bad_row_in_the_middle_keeps_every_other_row(tmp_path):
    """All rows on one line (a minified export): one bad row must cost only itself, not every
    row after it on that line."""
    rows = [question(1), answer(2), b'<row Id="3" PostTypeId="2" ParentId="1" Body="<<bad" />',
            answer(4), answer(5)]
    path = tmp_path / "Posts.xml"
    path.write_bytes(HEADER.replace(b"\n", b"") + b"".join(rows) + b"</posts>")
    records, stats, quarantine = read_all(stackexchange, {"path": str(path), "answers": "all"})
    assert [r.id for r in records] == ["src:2", "src:4", "src:5"]
    assert stats.rows_in == 5 and stats.quarantined == {"malformed_xml": 1}
    assert '<row Id="3"' in quarantine[0]["raw"]


def test_over_long_line_is_quarantined_and_the_reader_resyncs_at_the_next_row(tmp_path):
    """A line with no end in sight (a broken export, a hostile file) must not grow memory
    without bound: past MAX_LINE it is counted as line_too_long and reading goes on at the
    next `<row`, even on the same line."""
    huge = b'<row Id="3" PostTypeId="2" ParentId="1" Body="' + b"x" * (MAX_LINE + (1 << 20)) + b'" />'
    path = tmp_path / "Posts.xml"
    path.write_bytes(posts_lines(question(1), answer(2), huge + answer(4), answer(5)))
    records, stats, quarantine = read_all(stackexchange, {"path": str(path), "answers": "all"})
    assert [r.id for r in records] == ["src:2", "src:4", "src:5"]
    assert stats.quarantined == {"line_too_long": 1}
    assert quarantine[0]["location"] == f"{path}:line 5" and len(quarantine[0]["raw"]) < 10_000


def test_gzip_of_zeros_without_a_newline_is_one_line_too_long(tmp_path):
    """40 MiB without a newline took 77 s (each read re-copied the line so far, quadratic);
    the whole stream is now one counted line_too_long and no records."""
    path = tmp_path / "Posts.xml.gz"
    path.write_bytes(gzip.compress(bytes(MAX_LINE + (1 << 20)), compresslevel=1))
    records, stats, _ = read_all(stackexchange, {"path": str(path)})
    assert records == [] and stats.quarantined == {"line_too_long": 1}


@pytest.mark.parametrize("suffix, format_name", [(".gz", "gzip"), (".bz2", "bzip2"), (".zst", "zstd")])
def test_random_bytes_named_as_a_compressed_dump_are_an_error(tmp_path, suffix, format_name):
    """Bytes that do not decompress at all are a wrong file, not a dump with zero rows."""
    path = tmp_path / f"Posts.xml{suffix}"
    path.write_bytes(bytes(range(256)) * 16)
    expected = re.escape(str(path)) + rf": is not a valid {format_name} file.*first bytes"
    with pytest.raises(PostsFileError, match=expected):
        read_all(stackexchange, {"path": str(path)})


def test_html_error_page_saved_as_gz_fails_ingest_and_writes_nothing(tmp_path):
    """A download that saved the server's error page must fail the ingest job and leave no
    outputs, so no later stage takes the source for an empty one; the message shows the page."""
    path = tmp_path / "Posts.xml.gz"
    path.write_bytes(b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n")
    cfg = {"kind": "stackexchange", "path": str(path)}
    with pytest.raises(PostsFileError, match=r"not a valid gzip file.*<!DOCTYPE html>"):
        ingest("so", cfg, tmp_path / "raw.parquet", tmp_path / "s.json", tmp_path / "q.parquet")
    assert not any(tmp_path.glob("*.parquet")) and not (tmp_path / "s.json").exists()


def test_corrupt_deflate_stream_at_the_start_is_an_error_naming_the_file(tmp_path):
    """A gzip header followed by deflate garbage used to escape as a bare zlib.error."""
    path = tmp_path / "Posts.xml.gz"
    path.write_bytes(gzip.compress(b"x")[:10] + b"\xff" * 4096)
    with pytest.raises(PostsFileError, match=re.escape(str(path)) + ": is not a valid gzip file"):
        read_all(stackexchange, {"path": str(path)})


def test_corrupt_deflate_stream_after_valid_rows_is_a_read_error_naming_the_file(tmp_path):
    """Corruption after good data means the rest of the dump is unreadable: the job fails
    naming the file and where, instead of a bare zlib.error or a quiet partial success."""
    xml = posts_lines(question(1), *(answer(i) for i in range(2, 40_000)))
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflate.compress(xml[: len(xml) // 2]) + deflate.flush(zlib.Z_FULL_FLUSH)
    path = tmp_path / "Posts.xml.gz"
    path.write_bytes(gzip.compress(b"")[:10] + body + b"\xff" * 64)  # 0xff: reserved block type
    with pytest.raises(PostsFileError, match=re.escape(str(path)) + r": gzip data is corrupt after line \d+"):
        read_all(stackexchange, {"path": str(path), "answers": "all"})


def test_compressed_dump_cut_before_its_first_block_is_an_error(tmp_path):
    """bzip2 decodes whole 900 kB blocks: a download cut inside the first one holds no row at
    all, which is a failed download to redo, not an empty dump."""
    data = bz2.compress(posts_lines(question(1), answer(2)))
    path = tmp_path / "Posts.xml.bz2"
    path.write_bytes(data[: len(data) // 2])
    expected = re.escape(str(path)) + ": ends before any of it could be decompressed"
    with pytest.raises(PostsFileError, match=expected):
        read_all(stackexchange, {"path": str(path)})


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress)])
def test_stream_cut_short_after_valid_rows_keeps_its_rows_and_counts_the_cut(tmp_path, suffix, compress):
    """A download cut short is still worth its rows: they are read and the cut is quarantined
    as truncated_stream, as before."""
    data = compress(posts_lines(question(1), *(answer(i) for i in range(2, 20_000))))  # > 1 bz2 block
    path = tmp_path / f"Posts.xml{suffix}"
    path.write_bytes(data[: len(data) // 2])
    records, stats, _ = read_all(stackexchange, {"path": str(path), "answers": "all"})
    assert records and stats.quarantined == {"truncated_stream": 1}
