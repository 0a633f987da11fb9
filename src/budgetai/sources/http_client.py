"""The shared HTTP layer for scraped sources: cache, per-host rate limit, retries, robots.txt.

    client = open_client({"cache_dir": "results/http_cache", "min_interval_s": 2.0})
    data = client.get_json("https://example.org/api/items")

- Every successful (200/404) response is kept in an on-disk requests-cache SQLite database that
  never expires, so a rerun (or a resumed, half-finished scrape) fetches nothing twice.
- A per-host limiter keeps consecutive *network* requests to a host at least `min_interval_s`
  apart (cache hits are free): 1 s by default, `host_min_interval_s: {host: seconds}` per host.
- 429, 5xx, timeouts, connection resets and truncated bodies are retried with exponential
  backoff by tenacity, waiting `Retry-After` seconds when the server sends it. Truncated
  bodies and error pages are never cached.
- Challenge pages (Cloudflare "Just a moment...", captcha forms) raise ChallengePageError, and a
  site's own refusals in an ordinary-looking body (`refusal`, given by the source that knows the
  site: Codeforces' "Call limit exceeded" JSON) raise that refusal after the retries: both mean
  "stop and come back later", not "bad data", and neither is cached.
- `crawl=True` requests obey the host's robots.txt (urllib.robotparser) for our User-Agent.

`mirror_dir` instead of the network: MirrorClient reads the same URLs from a local directory
laid out by `mirror_relpath` (the ONE URL -> path mapping, also used by the test server):
    https://host/a/b          -> a/b
    https://host/a/ or host/  -> a/index.html, index.html
    https://host/api/x?k=v    -> api/x/k=v        (the query string becomes a file name)
"""

from __future__ import annotations

import json
import threading
import time
import urllib.robotparser
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from budgetai.sources.paths import OutsideRoot, read_text_inside

USER_AGENT = "BudgetAI/0.1 (+research crawler; contact in config)"
DEFAULT_MIN_INTERVAL_S = 1.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Markers of bot-protection interstitials; a scraper must stop on these, not parse them.
CHALLENGE_MARKERS = (
    b"<title>just a moment...</title>",
    b"cf-browser-verification",
    b"challenge-platform",
    b"cf-chl-",
    b"g-recaptcha",
    b"h-captcha",
    b'name="captcha"',
    b"id=\"captcha\"",
)


class FetchError(RuntimeError):
    """A URL could not be fetched as usable content (message names the URL)."""

    def __init__(self, message: str, url: str = "", status: int | None = None):
        super().__init__(message)
        self.url, self.status = url, status


class ChallengePageError(FetchError):
    """The server answered with a bot-challenge/captcha page instead of content."""


class RefusedAnswer(FetchError):
    """The site refused the request in an ordinary-looking body (an API's rate-limit answer)."""


# A source's check of a response body for its site's refusals: the error to raise, or None.
Refusal = Callable[[str, bytes, int], "RefusedAnswer | None"]


class TruncatedBodyError(FetchError):
    """The body is shorter than its Content-Length (connection cut mid-transfer)."""


class RobotsDisallowed(FetchError):
    """robots.txt forbids our User-Agent from crawling the URL."""


class NotJsonError(FetchError):
    """An API URL answered with something that is not JSON."""


class RetryableStatus(FetchError):
    """A 429/5xx answer; carries the server's Retry-After (seconds) when given."""

    def __init__(self, message: str, url: str, status: int, retry_after: float | None):
        super().__init__(message, url, status)
        self.retry_after = retry_after


def mirror_relpath(url: str) -> str:
    """Relative file path under a mirror directory for `url` (see module docstring)."""
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if parts.query:
        path = f"{path}/{unquote(parts.query)}"
    if has_dot_segments(path):
        raise ValueError(f"{url}: path escapes the mirror root")
    return path


def has_dot_segments(path: str) -> bool:
    """Whether a (decoded) URL path has `.` or `..` segments. urljoin resolves literal ones in
    crawled links; what is left came percent-encoded (`%2e%2e/`), passed a prefix check as
    written and would climb out of it once a server or the mirror decodes it."""
    return any(segment in ("..", ".") for segment in unquote(path).split("/"))


class HostRateLimiter:
    """Keeps consecutive calls per host at least `interval_for(host)` seconds apart.
    `clock`/`sleep` are injectable so tests can run on a fake clock."""

    def __init__(self, intervals: dict[str, float], default_s: float,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.intervals, self.default_s = dict(intervals), default_s
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def interval_for(self, host: str) -> float:
        return self.intervals.get(host, self.default_s)

    def wait(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            if last is not None:
                remaining = self.interval_for(host) - (self.clock() - last)
                if remaining > 0:
                    self.sleep(remaining)
            self._last[host] = self.clock()


class RateLimitedAdapter(HTTPAdapter):
    """Transport adapter that waits on the limiter before each network send; requests-cache
    only reaches the adapter on a cache miss, so cache hits are never delayed."""

    def __init__(self, limiter: HostRateLimiter, **kwargs):
        super().__init__(**kwargs)
        self.limiter = limiter

    def send(self, request, **kwargs):
        self.limiter.wait(urlsplit(request.url).hostname or "")
        return super().send(request, **kwargs)


def challenge_reason(body: bytes) -> str | None:
    """Which challenge marker (if any) the body carries."""
    head = body[:20000].lower()
    for marker in CHALLENGE_MARKERS:
        if marker in head:
            return marker.decode()
    return None


def is_truncated(response: requests.Response) -> bool:
    """Body shorter than Content-Length (only checkable when the body is not re-encoded)."""
    declared = response.headers.get("Content-Length")
    if declared is None or response.headers.get("Content-Encoding"):
        return False
    return declared.isdigit() and len(response.content) != int(declared)


def is_cacheable(response: requests.Response, refusal: Refusal | None = None) -> bool:
    """requests-cache filter: never store challenge pages, refusals or cut bodies."""
    return not (challenge_reason(response.content) or is_truncated(response)
                or (refusal and refusal(response.url, response.content, response.status_code)))


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime  # HTTP-date form of Retry-After

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class _ClientBase:
    """What the network and mirror clients share: robots.txt checks and JSON decoding (built on
    the subclass's `get_text`)."""

    user_agent = USER_AGENT

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(root)
        if robots is None:
            robots = urllib.robotparser.RobotFileParser(root + "/robots.txt")
            try:
                text = self.get_text(root + "/robots.txt")
            except FetchError as err:
                if err.status is None or not 400 <= err.status < 500:
                    raise
                text = ""  # no robots.txt: everything is allowed (RFC 9309 2.3.1.3)
            robots.parse(text.splitlines())
            self._robots[root] = robots
        return robots.can_fetch(self.user_agent, url)

    def check_robots(self, url: str) -> None:
        if not self.allowed_by_robots(url):
            raise RobotsDisallowed(f"{url}: disallowed by robots.txt for {self.user_agent!r}", url)

    def get_json(self, url: str) -> Any:
        text = self.get_text(url)
        try:
            return json.loads(text)
        except ValueError as err:
            raise NotJsonError(f"{url}: expected JSON, got {text[:120]!r} ({err})", url) from err


class HttpClient(_ClientBase):
    """Cached, rate-limited, retrying GETs. Build with `open_client(cfg)`."""

    RETRYABLE = (requests.Timeout, requests.ConnectionError, TruncatedBodyError,
                 RetryableStatus, RefusedAnswer)

    def __init__(self, cache_dir: str | Path, limiter: HostRateLimiter, *, timeout_s: float = 30.0,
                 max_attempts: int = 5, backoff_s: float = 1.0, max_backoff_s: float = 60.0,
                 max_retry_after_s: float = 300.0, user_agent: str = USER_AGENT, refusal: Refusal | None = None):
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        self.refusal = refusal
        self.session = requests_cache.CachedSession(
            str(Path(cache_dir) / "http_cache"), backend="sqlite", wal=True,
            expire_after=requests_cache.NEVER_EXPIRE, cache_control=False,
            allowable_codes=(200, 404), allowable_methods=("GET",),
            filter_fn=lambda response: is_cacheable(response, refusal),
        )
        adapter = RateLimitedAdapter(limiter, max_retries=0)  # retries live in tenacity below
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent = user_agent
        self.limiter, self.timeout_s, self.max_attempts = limiter, timeout_s, max_attempts
        self.backoff_s, self.max_backoff_s = backoff_s, max_backoff_s
        self.max_retry_after_s = max_retry_after_s
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def get(self, url: str, *, crawl: bool = False) -> requests.Response:
        """A usable response (from cache when possible); raises a FetchError subclass."""
        if has_dot_segments(urlsplit(url).path):
            raise FetchError(f"{url}: its path has . or .. segments (an encoded link out of its "
                             f"prefix): not fetched", url, 400)
        if crawl:
            self.check_robots(url)
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts), wait=self._wait_seconds,
            retry=retry_if_exception_type(self.RETRYABLE), sleep=self.limiter.sleep, reraise=True,
        )
        return retrying(self._get_once, url)

    def get_text(self, url: str, *, crawl: bool = False) -> str:
        response = self.get(url, crawl=crawl)
        # requests assumes ISO-8859-1 for text/* without a charset; the web is UTF-8.
        if "charset" not in response.headers.get("Content-Type", "").lower():
            return response.content.decode("utf-8", errors="replace")
        return response.text

    def _get_once(self, url: str) -> requests.Response:
        try:
            response = self.session.get(url, timeout=self.timeout_s)
        except requests.exceptions.ChunkedEncodingError as err:
            raise TruncatedBodyError(f"{url}: body cut short ({err})", url) from err
        body, status = response.content, response.status_code
        if reason := challenge_reason(body):
            raise ChallengePageError(
                f"{url}: got a bot-challenge page (marker {reason!r}, HTTP {status}) instead of "
                "content; slow down, use the mirror_dir, or fetch from an allowed network", url, status)
        if self.refusal and (refused := self.refusal(url, body, status)):
            raise refused
        if is_truncated(response):
            raise TruncatedBodyError(f"{url}: got {len(body)} bytes of Content-Length "
                                     f"{response.headers['Content-Length']}", url, status)
        if status in RETRY_STATUSES:
            raise RetryableStatus(f"{url}: HTTP {status}", url, status,
                                  retry_after_seconds(response.headers.get("Retry-After")))
        if status >= 400:
            raise FetchError(f"{url}: HTTP {status}", url, status)
        return response

    def _wait_seconds(self, state: RetryCallState) -> float:
        retry_after = getattr(state.outcome.exception(), "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.max_retry_after_s)
        return min(self.backoff_s * 2 ** (state.attempt_number - 1), self.max_backoff_s)


class MirrorClient(_ClientBase):
    """Reads URLs from a local directory laid out by `mirror_relpath` (offline runs)."""

    def __init__(self, mirror_dir: str | Path, user_agent: str = USER_AGENT):
        self.root = Path(mirror_dir)
        if not self.root.is_dir():
            raise FileNotFoundError(f"mirror_dir {self.root} is not a directory")
        self.user_agent = user_agent
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def get_text(self, url: str, *, crawl: bool = False) -> str:
        if crawl:
            self.check_robots(url)
        try:  # a crawled `%2e%2e/` link or a `..` index is this URL's problem, not the source's
            path = self.root / mirror_relpath(url)
        except ValueError as err:
            raise FetchError(str(err), url, 400) from None
        if not path.is_file():
            raise FetchError(f"{url}: not in mirror (looked for {path})", url, 404)
        try:
            return read_text_inside(path, self.root)
        except OutsideRoot as err:
            raise FetchError(f"{url}: {err}", url, 403) from None


def user_agent_for(cfg: dict) -> str:
    contact = cfg.get("contact")
    return USER_AGENT.replace("contact in config", f"contact {contact}") if contact else USER_AGENT


def open_client(cfg: dict, *, refusal: Refusal | None = None, clock: Callable[[], float] = time.monotonic,
                sleep: Callable[[float], None] = time.sleep) -> HttpClient | MirrorClient:
    """MirrorClient when cfg has `mirror_dir`, else an HttpClient configured from cfg keys:
    cache_dir ("results/http_cache"), min_interval_s (1, every host), host_min_interval_s ({}),
    timeout_s (30), max_attempts (5), backoff_s (1), max_backoff_s (60), max_retry_after_s (300),
    contact; `refusal` checks bodies for the site's own refusals (see the module doc)."""
    if cfg.get("mirror_dir"):
        return MirrorClient(cfg["mirror_dir"], user_agent_for(cfg))
    default_s = float(cfg.get("min_interval_s", DEFAULT_MIN_INTERVAL_S))
    intervals = {h: float(s) for h, s in (cfg.get("host_min_interval_s") or {}).items()}
    return HttpClient(
        cfg.get("cache_dir", "results/http_cache"), HostRateLimiter(intervals, default_s, clock, sleep),
        timeout_s=float(cfg.get("timeout_s", 30.0)), max_attempts=int(cfg.get("max_attempts", 5)),
        backoff_s=float(cfg.get("backoff_s", 1.0)), max_backoff_s=float(cfg.get("max_backoff_s", 60.0)),
        max_retry_after_s=float(cfg.get("max_retry_after_s", 300.0)), user_agent=user_agent_for(cfg),
        refusal=refusal,
    )

