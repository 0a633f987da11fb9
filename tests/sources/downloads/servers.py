"""Loopback servers for download tests: a file server that honours Range and can cut the
connection midway, and a fake hub serving the endpoints huggingface_hub's snapshot_download uses."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server:
    def __init__(self):
        self.requests: list[dict] = []  # method, path, headers (lower-cased names) of every request
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append({"method": "GET", "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                server.answer(self, head=False)

            def do_HEAD(self):
                server.requests.append({"method": "HEAD", "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                server.answer(self, head=True)

        return Handler

    @staticmethod
    def send(handler, status, body: bytes, headers: dict, head=False, cut_after=None):
        handler.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            handler.send_header(key, value)
        handler.end_headers()
        if head:
            return
        if cut_after is not None:
            handler.wfile.write(body[:cut_after])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(body)


class RangeFileServer(_Server):
    """Serves `files` {path: bytes} with Range/If-Range; `cuts` [n, ...]: the next responses stop
    after n body bytes and close the connection."""

    def __init__(self, files: dict[str, bytes], etag: str = '"v1"'):
        super().__init__()
        self.files, self.etag, self.cuts = files, etag, []

    def answer(self, handler, head):
        body = self.files.get(handler.path)
        if body is None:
            return self.send(handler, 404, b"not found", {})
        start, status, headers = 0, 200, {"ETag": self.etag, "Accept-Ranges": "bytes"}
        wanted = handler.headers.get("Range")
        if wanted and handler.headers.get("If-Range", self.etag) == self.etag:
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                return self.send(handler, 416, b"", {"Content-Range": f"bytes */{len(body)}"})
            status, headers["Content-Range"] = 206, f"bytes {start}-{len(body) - 1}/{len(body)}"
        cut = self.cuts.pop(0) if self.cuts else None
        self.send(handler, status, body[start:], headers, head=head, cut_after=cut)


class FakeHub(_Server):
    """One dataset repo at one commit: /api/datasets/<repo>/revision/<rev>, /tree/<rev>, and
    /datasets/<repo>/resolve/<rev>/<file> (HEAD and GET)."""

    def __init__(self, repo: str, files: dict[str, bytes], commit: str = "a" * 40, gated: str | bool = False,
                 token: str | None = None):
        super().__init__()
        self.repo, self.files, self.commit, self.gated, self.token = repo, files, commit, gated, token

    def answer(self, handler, head):
        path = handler.path.split("?")[0]
        if self.token and handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self.send(handler, 401, b'{"error": "gated"}', {"X-Error-Code": "GatedRepo",
                                                                   "Content-Type": "application/json"})
        api = f"/api/datasets/{self.repo}/"
        if path.startswith(api + "revision/"):
            return self.json(handler, {"id": self.repo, "sha": self.commit, "gated": self.gated, "private": False,
                                       "cardData": {"license": "other"},
                                       "siblings": [{"rfilename": f} for f in self.files]})
        if path.startswith(api + "tree/"):
            return self.json(handler, [{"type": "file", "path": f, "size": len(b), "oid": self.blob_id(b),
                                        "lfs": {"oid": hashlib.sha256(b).hexdigest(), "size": len(b),
                                                "pointerSize": 130}} for f, b in self.files.items()])
        prefix = f"/datasets/{self.repo}/resolve/{self.commit}/"
        if path.startswith(prefix) and path[len(prefix):] in self.files:
            body = self.files[path[len(prefix):]]
            etag = hashlib.sha256(body).hexdigest()
            return self.send(handler, 200, body, {"X-Repo-Commit": self.commit, "ETag": f'"{etag}"',
                                                  "X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(body))},
                             head=head)
        self.send(handler, 404, b'{"error": "not found"}', {"Content-Type": "application/json",
                                                             "X-Error-Code": "EntryNotFound"})

    def json(self, handler, obj):
        self.send(handler, 200, json.dumps(obj).encode(), {"Content-Type": "application/json"})

    @staticmethod
    def blob_id(body: bytes) -> str:
        return hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()
