"""Streaming access to a StackExchange Posts.xml dump: open any of its packagings and iterate its
`<row>` elements with bounded memory, setting aside fragments that are not well-formed XML.

Real dumps hold one `<row .../>` per line, so a file that starts that way is read line by line:
the caller may look at each row's raw bytes first (`skip`) and account for it without an element
being built. Building elements was most of a reader's time, and a filtered read of a big dump
drops nearly every row (StackOverflow: ~0.3% of questions are tagged haskell). Each remaining
line is parsed on its own; one that is not well-formed is reported to `on_bad` with its line
number and the read goes on. A file laid out otherwise (rows spread over lines) goes through
lxml's strict iterparse; if that stops on an error (a truncated download, a garbage line), the
rest of the file is read line by line as above. libxml2's own `recover=True` mode was not used:
after some errors it silently discards the rest of the file.
"""

from __future__ import annotations

import bz2
import gzip
import io
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

import zstandard
from lxml import etree
from tqdm import tqdm

OnBad = Callable[[str, str, str], None]  # (location, reason, raw fragment)
SkipRow = Callable[[bytes], bool]  # (a row line's bytes) -> the caller has accounted for it
_CHUNK = 1 << 20
# Line reads: small enough that a stream broken near its start still yields the rows before the
# break (a decompressor raises without returning the data of a failed read).
_LINE_READ = 1 << 14
# Lines between rows: XML declaration, root open/close tag (`<posts>`, `<xml>`...), blank.
_FRAME_LINE = re.compile(rb"^(?:<\?xml[^>]*\?>)?\s*(?:</?[A-Za-z_][\w.-]*\s*>)?\s*$")
_READ_ERRORS = (EOFError, OSError, zstandard.ZstdError)
_ROW_START = re.compile(rb"<row[\s/>]")  # not a root element named <rows>


class PostsFileError(OSError):
    """A Posts file that cannot be opened or decompressed at all."""


class _CountingReader(io.RawIOBase):
    """Passes reads through and advances a progress bar by the bytes read."""

    def __init__(self, raw: BinaryIO, progress: tqdm):
        self._raw, self._progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        self._progress.update(n or 0)
        return n

    def close(self) -> None:
        self._raw.close()
        self._progress.close()
        super().close()


def _progress(path: Path, total: int | None) -> tqdm:
    return tqdm(total=total, unit="B", unit_scale=True, desc=path.name, file=sys.stderr,
                mininterval=2.0, disable=None)


@contextmanager
def open_posts(path: str | Path) -> Iterator[BinaryIO]:
    """Open a Posts dump as an uncompressed binary stream: .xml, .gz, .bz2, .zst or .7z (streamed
    through `7z x -so`, never unpacked to disk). Raises PostsFileError naming a missing file."""
    path = Path(path)
    if not path.is_file():
        raise PostsFileError(f"{path}: StackExchange Posts file not found")
    if path.suffix.lower() == ".7z":
        with _sevenzip_stream(path) as stream:
            yield stream
        return
    raw = _CountingReader(open(path, "rb"), _progress(path, path.stat().st_size))
    buffered = io.BufferedReader(raw, _CHUNK)
    suffix = path.suffix.lower()
    if suffix == ".gz":
        stream = gzip.GzipFile(fileobj=buffered)
    elif suffix == ".bz2":
        stream = bz2.BZ2File(buffered)
    elif suffix == ".zst":
        stream = zstandard.ZstdDecompressor().stream_reader(buffered)
    else:
        stream = buffered
    try:
        yield stream
    finally:
        stream.close()
        buffered.close()


def _sevenzip_member(path: Path) -> tuple[str, int | None]:
    """The archive member to read: the only file, or the one named Posts.xml."""
    listing = subprocess.run(["7z", "l", "-slt", "-ba", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise PostsFileError(f"{path}: 7z cannot list the archive: {listing.stderr.strip()}")
    members = []
    for block in listing.stdout.split("\n\n"):
        fields = dict(line.split(" = ", 1) for line in block.splitlines() if " = " in line)
        if "Path" in fields and fields.get("Folder", "-") != "+":
            members.append((fields["Path"], int(fields["Size"]) if fields.get("Size") else None))
    posts = [m for m in members if Path(m[0]).name.lower() == "posts.xml"]
    if len(members) == 1 or len(posts) == 1:
        return (members if len(members) == 1 else posts)[0]
    raise PostsFileError(f"{path}: expected one file or one Posts.xml in the archive, "
                         f"found {[m[0] for m in members]}")


@contextmanager
def _sevenzip_stream(path: Path) -> Iterator[BinaryIO]:
    member, size = _sevenzip_member(path)
    proc = subprocess.Popen(["7z", "x", "-so", str(path), member],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stream = io.BufferedReader(_CountingReader(proc.stdout, _progress(path, size)), _CHUNK)
    finished = False
    try:
        yield stream
        finished = True
    finally:
        if not finished:  # the consumer stopped early: do not wait for 7z to write everything
            proc.kill()
        rc = proc.wait()
        err = proc.stderr.read().decode(errors="replace").strip()
        proc.stderr.close()
        if finished and rc != 0:
            raise PostsFileError(f"{path}: 7z exited with status {rc}: {err}")


def iter_rows(path: str | Path, on_bad: OnBad,
              skip: SkipRow | None = None) -> Iterator[tuple[int, etree._Element]]:
    """Yield (line number, element) for every `<row>` of the dump in file order. An element is
    valid only until the next one is requested (it is cleared to keep memory flat), so copy what
    you need.

    `skip(raw_row)`, when given, sees the stripped bytes of each row line before it is parsed;
    True means the caller has accounted for the row from those bytes and wants no element (the
    row is then not checked for well-formedness). It is only called in line-by-line reading."""
    delivered = 0
    with open_posts(path) as stream:
        try:
            head = _read_head(stream)
        except _READ_ERRORS:  # broken within its first chunk: the line reader reports where
            head = None
        if head is not None:
            rows = _Prefixed(head, stream)
            if _one_row_per_line(head):
                yield from _rows_of_lines(path, _lines(rows), 0, on_bad, skip)
                return
            try:
                for _, element in etree.iterparse(rows, events=("end",), tag="row",
                                                  huge_tree=True, remove_blank_text=True):
                    yield element.sourceline, element
                    delivered += 1
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                return
            except (etree.XMLSyntaxError, *_READ_ERRORS) as err:
                if isinstance(err, PostsFileError):
                    raise
    with open_posts(path) as stream:
        yield from _rows_of_lines(path, _lines(stream), delivered, on_bad, skip)


def _read_head(stream: BinaryIO) -> bytes:
    """The stream's first chunk (decompressors may return less per read)."""
    head = b""
    while len(head) < _CHUNK and (chunk := stream.read(_CHUNK - len(head))):
        head += chunk
    return head


def _one_row_per_line(head: bytes) -> bool:
    """Whether the first row in the file's first chunk is a whole `<row .../>` line."""
    first_row = _ROW_START.search(head)
    end = head.find(b"\n", first_row.start()) if first_row else -1
    if end < 0:
        return False
    line = head[first_row.start():end].rstrip()
    return line.endswith(b"/>") or line.endswith(b"</row>")


def _rows_of_lines(path, lines: Iterator[bytes], skip_rows: int, on_bad: OnBad,
                   skip: SkipRow | None) -> Iterator[tuple[int, etree._Element]]:
    """Rows of a one-row-per-line file after its first `skip_rows` row lines; bad lines are
    reported. The loop runs once per row of a multi-GB dump, so it tests the common case first."""
    seen_rows = 0
    line_no = 0
    try:
        for line_no, line in enumerate(lines, start=1):
            row = line.strip()
            if _ROW_START.match(row):
                seen_rows += 1
                if seen_rows <= skip_rows or (skip is not None and skip(row)):
                    continue
            elif _FRAME_LINE.match(row.lstrip(b"\xef\xbb\xbf")):
                continue
            try:
                element = etree.fromstring(row, parser=_LINE_PARSER)
            except etree.XMLSyntaxError as err:
                on_bad(f"{path}:line {line_no}", "malformed_xml",
                       f"{err}: {row[:2000].decode('utf-8', 'replace')}")
                continue
            yield line_no, element
    except _READ_ERRORS as err:
        on_bad(f"{path}:after line {line_no}", "truncated_stream", str(err))


_LINE_PARSER = etree.XMLParser(huge_tree=True)


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to choose how to parse it): gives them
    back, then the rest. Pipes (7z) cannot seek back."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        cut = len(self._head) if size is None or size < 0 else size
        data, self._head = self._head[:cut], self._head[cut:]
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Split a binary stream on LF (CRLF is stripped by the caller) without readline support."""
    rest = b""
    while chunk := stream.read(_LINE_READ):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest
