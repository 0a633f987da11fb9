"""The Posts.xml row reader: open a StackExchange dump in any of its packagings and iterate its
`<row>` elements with bounded memory, setting aside fragments that are not well-formed XML.

Real dumps hold one `<row .../>` per line, so a file that starts that way is read line by line:
the caller may look at each row's raw bytes first (`skip`) and account for it without an element
being built. Building elements was most of a reader's time, and a filtered read of a big dump
drops nearly every row (StackOverflow: ~0.3% of questions are tagged haskell). Each remaining
line is parsed on its own; one that is not well-formed is reported to `on_bad` with its line
number and the read goes on. A line holding several rows (a minified file) is cut before each
`<row`, so a bad row costs only itself; a line longer than MAX_LINE is reported as line_too_long
and reading resumes at its next `<row`. A file laid out otherwise (rows spread over lines) goes
through lxml's strict iterparse; if that stops on an error (a truncated download, a garbage
line), the rest of the file is read line by line as above. libxml2's own `recover=True` mode was not used:
after some errors it silently discards the rest of the file.

A compressed file whose first read fails is not a dump (random bytes, a saved HTML error page):
PostsFileError names the file, its format and its first bytes. A stream cut short after valid
data keeps the rows before the cut and reports truncated_stream; corrupt data after valid data
raises PostsFileError saying where.
"""

from __future__ import annotations

import bz2
import gzip
import io
import re
import subprocess
import sys
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

import zstandard
from lxml import etree
from tqdm import tqdm

OnBad = Callable[[str, str, str], None]  # (location, reason, raw fragment)
SkipRow = Callable[[int, bytes], bool]  # (line number, a row's bytes) -> the caller accounted for it
_CHUNK = 1 << 20
# Line reads: small enough that a stream broken near its start still yields the rows before the
# break (a decompressor raises without returning the data of a failed read).
_LINE_READ = 1 << 14
# Lines between rows: XML declaration, root open/close tag (`<posts>`, `<xml>`...), blank.
_FRAME_LINE = re.compile(rb"^(?:<\?xml[^>]*\?>)?\s*(?:</?[A-Za-z_][\w.-]*\s*>)?\s*$")
_READ_ERRORS = (EOFError, OSError, zlib.error, zstandard.ZstdError)
_ROW_START = re.compile(rb"<row[\s/>]")  # not a root element named <rows>
# Longest line kept whole. StackExchange caps a post body at 30,000 characters, a few hundred KB
# once HTML-escaped into a row, so this only catches files that are not a dump's rows; it also
# bounds the reader's memory (a line is held whole before it is parsed). It is checked after
# each read, so a line may pass it by less than one read (_LINE_READ) before it is cut.
MAX_LINE = 8 << 20
_FORMATS = {".gz": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".7z": "7z"}


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

    `skip(line, raw_row)`, when given, sees the stripped bytes of each row before it is parsed;
    True means the caller has accounted for the row from those bytes and wants no element (the
    row is then not checked for well-formedness). It is only called in line-by-line reading."""
    delivered = 0
    with open_posts(path) as stream:
        try:
            head = _read_head(stream)
        except _READ_ERRORS:  # broken in its first chunk: the line reader tells how, and where
            head = None
        if head is not None:
            rows = _Prefixed(head, stream)
            if _one_row_per_line(head):
                yield from _rows_of_lines(path, rows, 0, on_bad, skip)
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
        yield from _rows_of_lines(path, stream, delivered, on_bad, skip)


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


def _rows_of_lines(path, stream: BinaryIO, skip_rows: int, on_bad: OnBad,
                   skip: SkipRow | None) -> Iterator[tuple[int, etree._Element]]:
    """Rows of a one-row-per-line file after its first `skip_rows` row lines (a line holding
    several rows counts each); bad lines and over-long lines are reported, and so is a read error
    unless it is raised (see the module docstring). The loop runs once per row of a multi-GB
    dump, so it tests the common case first."""
    seen_rows = 0
    line_no = 0

    def too_long(at_line: int, head: bytes) -> None:
        nonlocal seen_rows
        if _ROW_START.match(head.lstrip()):
            seen_rows += 1
            if seen_rows <= skip_rows:  # lxml, which has no line cap, delivered it already
                return
        on_bad(f"{path}:line {at_line}", "line_too_long", f"longer than {MAX_LINE} bytes, skipped "
               f"to its next <row: {head.decode('utf-8', 'replace')}")

    lines = _LineReader(stream, too_long)
    try:
        for line_no, line in lines:
            stripped = line.strip()
            # A well-formed row holds one `<` (attribute values escape it); memchr finds a second
            # one far faster than a search for `<row` would.
            for row in (stripped,) if stripped.find(b"<", 1) < 0 else _row_pieces(stripped):
                if _ROW_START.match(row):
                    seen_rows += 1
                    if seen_rows <= skip_rows or (skip is not None and skip(line_no, row)):
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
        if isinstance(err, PostsFileError):
            raise
        if lines.bytes_read == 0:
            raise _not_a_dump(path, err) from err
        if not isinstance(err, EOFError):
            raise PostsFileError(f"{path}: {_format(path)} data is corrupt after line {line_no} "
                                 f"({type(err).__name__}: {err}); the rows before it were read. "
                                 f"Re-download the file.") from err
        on_bad(f"{path}:after line {line_no}", "truncated_stream", str(err))


def _format(path) -> str:
    return _FORMATS.get(Path(path).suffix.lower(), "XML")


def _not_a_dump(path, err: BaseException) -> PostsFileError:
    """The error for a file whose very first read fails: nothing in it could be decompressed."""
    with open(path, "rb") as raw:
        first = raw.read(32)
    fmt = _format(path)
    what = ("ends before any of it could be decompressed" if isinstance(err, EOFError)
            else f"is not a valid {fmt} file")
    return PostsFileError(f"{path}: {what} ({type(err).__name__}: {err}; first bytes {first!r}). "
                          f"Re-download it, or rename it if it is not {fmt}-compressed.")


def _row_pieces(line: bytes) -> list[bytes]:
    """A line holding several rows, cut before each `<row` (a `<` cannot occur inside a
    well-formed row), so that each row is parsed, skipped or reported on its own. The closing
    root tag that may follow the last row is cut off as a piece of its own."""
    starts = [m.start() for m in _ROW_START.finditer(line)]
    pieces = [line[a:b].strip() for a, b in zip([0, *starts], [*starts, len(line)])]
    last = pieces[-1]
    close = last.rfind(b"</")
    if close > 0 and not last.startswith(b"</row", close) and _FRAME_LINE.match(last[close:]):
        pieces[-1:] = [last[:close].rstrip(), last[close:]]
    return pieces


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


class _LineReader:
    """(line number, bytes) of each LF-terminated line of a binary stream, in time linear in its
    size and in memory bounded by about MAX_LINE. A line growing past MAX_LINE is handed on in
    pieces cut before a `<row` (a minified file holds every row on one line); if it holds no
    other `<row`, it is reported to `on_too_long` (line number, first bytes) and dropped up to
    its next `<row` or its end, where reading resumes. `bytes_read` tells a stream that failed
    on its first read (not a dump at all) from one that broke later."""

    def __init__(self, stream: BinaryIO, on_too_long: Callable[[int, bytes], None]):
        self._stream, self._on_too_long = stream, on_too_long
        self.bytes_read = 0
        self._line_no, self._parts, self._size = 1, [], 0
        self._skipped_tail: bytes | None = None  # while dropping a line: its last bytes

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        while chunk := self._stream.read(_LINE_READ):
            self.bytes_read += len(chunk)
            if self._skipped_tail is not None and (chunk := self._resync(chunk)) is None:
                continue
            yield from self._split(chunk)
            if self._size > MAX_LINE:
                yield from self._cut_long_line()
        if self._skipped_tail is None and (rest := b"".join(self._parts)):
            yield self._line_no, rest

    def _split(self, chunk: bytes):
        """The lines that `chunk` completes; its unfinished end is kept for the next read."""
        lines = chunk.split(b"\n")
        if len(lines) == 1:
            self._parts.append(chunk)
            self._size += len(chunk)
            return ()
        self._parts.append(lines[0])
        lines[0] = b"".join(self._parts)
        last = lines.pop()
        first, self._line_no = self._line_no, self._line_no + len(lines)
        self._parts, self._size = [last], len(last)
        return zip(range(first, self._line_no), lines)

    def _cut_long_line(self) -> Iterator[tuple[int, bytes]]:
        """Hand on the long line up to its last `<row`; drop that last row if it alone is too
        long (after the rows before it, so that they are counted first)."""
        line = b"".join(self._parts)
        cut = line.rfind(b"<row")
        while cut > 0 and not _ROW_START.match(line, cut):
            cut = line.rfind(b"<row", 0, cut)
        if cut > 0:
            yield self._line_no, line[:cut]
            line = line[cut:]
        if len(line) <= MAX_LINE:
            self._parts, self._size = [line], len(line)
            return
        self._on_too_long(self._line_no, line[:2000])
        self._parts, self._size, self._skipped_tail = [], 0, line[-4:]

    def _resync(self, chunk: bytes) -> bytes | None:
        """While dropping an over-long line: the part of `chunk` where reading resumes (the next
        `<row`, or the start of the next line), or None if the whole chunk is dropped."""
        data = self._skipped_tail + chunk  # a `<row` may straddle two reads
        newline = data.find(b"\n")
        row = _ROW_START.search(data, 0, len(data) if newline < 0 else newline + 1)
        if row is None and newline < 0:
            self._skipped_tail = data[-4:]
            return None
        self._skipped_tail = None
        if row is not None:
            return data[row.start():]
        self._line_no += 1
        return data[newline + 1:]
