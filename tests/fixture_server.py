"""A real loopback HTTP server for scraper tests: serves a mirror directory with the same
URL -> file mapping the MirrorClient uses, counts requests, and injects faults per path.

    with FixtureServer(root) as server:
        server.fail("/api/problemset.problems", "429", "503")   # next two requests fail
        server.fail_always("/x", "challenge")
        ... server.url("/api/problemset.problems") ... server.hits["/api/problemset.problems"]

Faults: "429" (with Retry-After: retry_after_s), "503", "timeout" (sleeps timeout_sleep_s before
answering), "truncate" (announces the full Content-Length, sends half), "challenge" (a
Cloudflare "Just a moment..." page, HTTP 403), "call_limit" (Codeforces FAILED JSON, HTTP 503).
"""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from budgetai.sources.http_client import mirror_relpath

CHALLENGE_HTML = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
                  b"<div id=\"challenge-platform\">Checking your browser</div></body></html>")
CALL_LIMIT_JSON = json.dumps({"status": "FAILED", "comment": "Call limit exceeded"}).encode()


class FixtureServer:
    def __init__(self, root: str | Path, retry_after_s: float = 1.0, timeout_sleep_s: float = 1.5):
        self.root = Path(root)
        self.retry_after_s, self.timeout_sleep_s = retry_after_s, timeout_sleep_s
        self.hits: Counter = Counter()  # request target (path?query) -> count
        self.log: list[tuple[float, str]] = []  # (time.monotonic(), target) per request
        self.user_agents: list[str] = []
        self._faults: dict[str, deque] = defaultdict(deque)
        self._always: dict[str, str] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def url(self, target: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{target}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(self, target: str, *faults: str) -> None:
        """The next len(faults) requests for target get these faults, in order."""
        self._faults[target].extend(faults)

    def fail_always(self, target: str, fault: str) -> None:
        self._always[target] = fault

    def clear_faults(self) -> None:
        self._faults.clear()
        self._always.clear()

    @property
    def total_requests(self) -> int:
        return sum(self.hits.values())

    def __enter__(self) -> "FixtureServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _next_fault(self, target: str) -> str | None:
        with self._lock:
            self.hits[target] += 1
            self.log.append((time.monotonic(), target))
            if self._faults[target]:
                return self._faults[target].popleft()
            return self._always.get(target)

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                server.user_agents.append(self.headers.get("User-Agent", ""))
                fault = server._next_fault(self.path)
                if fault:
                    return self._fault(fault)
                path = server.root / mirror_relpath("http://fixture" + self.path)
                if not path.is_file():
                    return self._send(404, b"not found", "text/plain")
                ctype = mimetypes.guess_type(path.name)[0]
                if ctype is None:
                    ctype = "application/json" if self.path.startswith("/api/") else "text/html"
                self._send(200, path.read_bytes(), ctype + "; charset=utf-8")

            def _send(self, status, body, ctype, headers=(), cut=False):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers:
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(body[: len(body) // 2] if cut else body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if cut:
                    self.close_connection = True

            def _fault(self, fault):
                if fault == "429":
                    self._send(429, b"slow down", "text/plain", [("Retry-After", str(server.retry_after_s))])
                elif fault == "503":
                    self._send(503, b"unavailable", "text/plain")
                elif fault == "timeout":
                    time.sleep(server.timeout_sleep_s)
                    self._send(503, b"late", "text/plain")
                elif fault == "truncate":
                    path = server.root / mirror_relpath("http://fixture" + self.path)
                    self._send(200, path.read_bytes(), "text/html; charset=utf-8", cut=True)
                elif fault == "challenge":
                    self._send(403, CHALLENGE_HTML, "text/html; charset=utf-8")
                elif fault == "call_limit":
                    self._send(503, CALL_LIMIT_JSON, "application/json")
                else:
                    raise ValueError(f"unknown fault {fault!r}")

        return Handler
