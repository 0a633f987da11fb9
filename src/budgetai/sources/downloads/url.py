"""One HTTP(S) file, resumable, with a record of what was fetched:

    record = download_url("https://host/dump.7z", "resources/downloads/sources/so/dump.7z")

Bytes go to `<dir>/.partial/<file>.part` first, outside the rule's output, so when the connection
is cut or the job is killed Snakemake's cleanup of a failed job's outputs leaves them, and the
next attempt asks only for the rest (`Range: bytes=N-`, with `If-Range` on the server's ETag or
Last-Modified so a file changed in between is fetched anew, not spliced). The finished file is
hashed (sha256), checked against the configured `sha256` if any, and moved into place; the
record (`<file>.download.json`) holds url, size, sha256, validators, the resume offsets and the
source's terms.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from budgetai.sources.http_client import USER_AGENT, retry_after_seconds
from budgetai.core.io import write_json

log = logging.getLogger(__name__)

RECORD_SUFFIX = ".download.json"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_CHUNK = 1 << 20
# Small read size: a cut connection loses at most the chunk being read, which is fetched again.
_READ = 1 << 16


class DownloadError(RuntimeError):
    """A download failed for a reason retrying will not fix (message names the URL)."""


class Interrupted(Exception):
    """The transfer stopped early (cut connection, short body, retryable status): resume it."""


def record_path(target: str | os.PathLike) -> Path:
    target = Path(target)
    return target.with_name(target.name + RECORD_SUFFIX)


def download_url(url: str, target: str | os.PathLike, *, sha256: str | None = None, terms: str | None = None,
                 max_attempts: int = 8, timeout_s: float = 60.0, max_wait_s: float = 60.0) -> dict:
    """Fetch url to target (resuming a partial file), write and return its record."""
    target = Path(target)
    part = target.parent / ".partial" / (target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    if terms:
        log.warning("%s: terms of use: %s", url, terms)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    offsets: list[int] = []
    retrying = Retrying(
        retry=retry_if_exception_type((Interrupted, requests.ConnectionError, requests.Timeout)),
        stop=stop_after_attempt(max_attempts),
        wait=wait_exponential(multiplier=0.5, max=max_wait_s),
        before_sleep=lambda state: log.warning("%s: attempt %d stopped (%s); resuming",
                                               url, state.attempt_number, state.outcome.exception()),
        reraise=True,
    )
    validators = retrying(_fetch_rest, session, url, part, offsets, timeout_s, max_wait_s)
    digest, size = _sha256(part)
    if sha256 and digest != sha256.lower():
        part.unlink()
        raise DownloadError(f"{url}: sha256 {digest} does not match the configured download.sha256 "
                            f"{sha256}; the partial file was removed, rerun to fetch it again")
    os.replace(part, target)
    _meta_path(part).unlink(missing_ok=True)
    record = {"url": url, "file": target.name, "bytes": size, "sha256": digest, "sha256_checked": bool(sha256),
              **validators, "resumed_at_bytes": [o for o in offsets if o], "terms": terms,
              "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_json(record, record_path(target))
    log.info("%s: %d bytes, sha256 %s (resumed at %s)", url, size, digest, record["resumed_at_bytes"] or "never")
    return record


def _fetch_rest(session, url: str, part: Path, offsets: list[int], timeout_s: float, max_wait_s: float) -> dict:
    """One attempt: append the missing bytes to part. Returns the server's validators."""
    have = part.stat().st_size if part.exists() else 0
    meta = json.loads(_meta_path(part).read_text()) if have and _meta_path(part).exists() else {}
    headers = {"Accept-Encoding": "identity"}  # byte offsets must be offsets into the file itself
    if have:
        headers["Range"] = f"bytes={have}-"
        if meta.get("etag") or meta.get("last_modified"):
            headers["If-Range"] = meta.get("etag") or meta["last_modified"]
    offsets.append(have)
    with session.get(url, headers=headers, stream=True, timeout=timeout_s) as response:
        if response.status_code == 416 and have and _complete_size(response) == have:
            return meta  # the partial file was already whole: the last attempt died after its last byte
        if response.status_code in RETRY_STATUSES:
            time.sleep(min(retry_after_seconds(response.headers.get("Retry-After")) or 0, max_wait_s))
            raise Interrupted(f"HTTP {response.status_code}")
        if response.status_code not in (200, 206):
            raise DownloadError(f"{url}: HTTP {response.status_code}; check the URL in the config's download.url")
        start = _range_start(response) if response.status_code == 206 else 0
        if start != have and start != 0:
            raise DownloadError(f"{url}: asked for bytes from {have}, the server sent from {start}")
        if start == 0 and have:
            log.warning("%s: the server restarted the file from byte 0 (no range support, or it changed)", url)
        validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
        _meta_path(part).write_text(json.dumps(validators))
        expected = response.headers.get("Content-Length")
        written = 0
        with part.open("ab" if start else "wb") as f:
            try:
                for chunk in response.iter_content(_READ):
                    f.write(chunk)
                    written += len(chunk)
            except requests.exceptions.ChunkedEncodingError as error:
                raise Interrupted(f"connection cut after {start + written} bytes") from error
        if expected is not None and written < int(expected):
            raise Interrupted(f"body ended after {written} of {expected} bytes")
    return validators


def _meta_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _range_start(response) -> int:
    value = response.headers.get("Content-Range", "")  # "bytes 100-199/200"
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        raise DownloadError(f"{response.url}: HTTP 206 with an unreadable Content-Range {value!r}") from None


def _complete_size(response) -> int | None:
    value = response.headers.get("Content-Range", "")  # "bytes */200"
    tail = value.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
