"""Streaming access to a StackExchange Posts.xml dump: open any of its packagings and iterate its
`<row>` elements with bounded memory, setting aside fragments that are not well-formed XML.

Rows are parsed by lxml's strict iterparse (fast). A dump that breaks mid-file (a truncated
download, a garbage line) makes the strict parser stop; from then on the file is re-read line by
line, since real dumps hold one `<row .../>` per line, and every line that does not parse is
reported to the caller's `on_bad` callback with its line number. libxml2's own `recover=True`
mode was not used: after some errors it silently discards the rest of the file.
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
_CHUNK = 1 << 20
# Lines between rows: XML declaration, root open/close tag (`<posts>`, `<xml>`...), blank.
_FRAME_LINE = re.compile(rb"^(?:<\?xml[^>]*\?>)?\s*(?:</?[A-Za-z_][\w.-]*\s*>)?\s*$")
_READ_ERRORS = (EOFError, OSError, zstandard.ZstdError)


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


def iter_rows(path: str | Path, on_bad: OnBad) -> Iterator[etree._Element]:
    """Yield every `<row>` element of the dump in file order. An element is valid only until the
    next one is requested (it is cleared to keep memory flat), so copy what you need."""
    delivered = 0
    try:
        with open_posts(path) as stream:
            for _, element in etree.iterparse(stream, events=("end",), tag="row",
                                              huge_tree=True, remove_blank_text=True):
                yield element
                delivered += 1
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
        return
    except (etree.XMLSyntaxError, *_READ_ERRORS) as err:
        if isinstance(err, PostsFileError):
            raise
    yield from _iter_rows_by_line(path, delivered, on_bad)


def _iter_rows_by_line(path, skip_rows: int, on_bad: OnBad) -> Iterator[etree._Element]:
    """Resume after the first `skip_rows` row lines, one row per line, reporting bad lines."""
    seen_rows = 0
    line_no = 0
    with open_posts(path) as stream:
        try:
            for line_no, line in enumerate(_lines(stream), start=1):
                stripped = line.strip().lstrip(b"\xef\xbb\xbf")
                if _FRAME_LINE.match(stripped):
                    continue
                if stripped.startswith(b"<row"):
                    seen_rows += 1
                    if seen_rows <= skip_rows:
                        continue
                try:
                    yield etree.fromstring(stripped, parser=_LINE_PARSER)
                except etree.XMLSyntaxError as err:
                    on_bad(f"{path}:line {line_no}", "malformed_xml",
                           f"{err}: {stripped[:2000].decode('utf-8', 'replace')}")
        except _READ_ERRORS as err:
            on_bad(f"{path}:after line {line_no}", "truncated_stream", str(err))


_LINE_PARSER = etree.XMLParser(huge_tree=True)


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Split a binary stream on LF (CRLF is stripped by the caller) without readline support."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest
