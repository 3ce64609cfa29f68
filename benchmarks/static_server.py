"""A threaded static file server (HTTP/1.1 keep-alive, ETag, Last-Modified, 304), counting its requests.

The benchmark's fallback when nginx is not installed: it serves a rewritten replica (benchmarks.site) as
files, with no per-request rewriting, and answers the fault overrides' statuses (e.g. 500) like ReplicaServer.
"""

from __future__ import annotations

import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/atom+xml", ".rss": "application/rss+xml",
         ".txt": "text/plain; charset=utf-8", ".json": "application/json", ".css": "text/css",
         ".gif": "image/gif", ".jpg": "image/jpeg", ".png": "image/png"}


def file_etag(stat) -> str:
    """An ETag made as nginx makes it: the modification time and the size, in hexadecimal."""
    return f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'


def not_modified(headers, etag: str, mtime: float) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110)."""
    match = headers.get("If-None-Match")
    if match is not None:
        return "*" in match or etag in {tag.strip().removeprefix("W/") for tag in match.split(",")}
    since = headers.get("If-Modified-Since")
    try:
        return bool(since) and int(mtime) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


class StaticHandler(BaseHTTPRequestHandler):
    """GET and HEAD on the files under the server's root."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: Nagle would hold the body for an ACK (~40 ms)
    server: "StaticServer"

    def do_GET(self) -> None:
        self.respond(head_only=False)

    def do_HEAD(self) -> None:
        self.respond(head_only=True)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Quiet: requests are counted, not logged."""

    def respond(self, head_only: bool) -> None:
        """Count the request, then answer with the forced status, the file, a 304 or a 404."""
        self.server.count()
        path = unquote(urlsplit(self.path).path)
        target = self.server.resolve(path)
        forced = self.server.overrides.get(path)
        if forced or target is None:
            return self.send(forced or 404, {"Content-Type": "text/html"}, b"<h1>error</h1>", head_only)
        stat = target.stat()
        etag = file_etag(stat)
        headers = {"Content-Type": TYPES.get(target.suffix, "application/octet-stream"), "ETag": etag,
                   "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        if not_modified(self.headers, etag, stat.st_mtime):
            return self.send(304, headers, b"", head_only=True)
        self.send(200, headers, target.read_bytes(), head_only)

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        """Status line, headers, Content-Length (not on a 304), then the body unless HEAD or 304."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)


class StaticServer(ThreadingHTTPServer):
    """Serves `root` on 127.0.0.1:port in a daemon thread; `requests` counts what it answered; a context manager."""

    daemon_threads = True
    request_queue_size = 256
    name = "Python ThreadingHTTPServer (benchmarks/static_server.py)"

    def __init__(self, root: Path, port: int, overrides: dict[str, int] | None = None):
        super().__init__(("127.0.0.1", port), StaticHandler)
        self.root, self.overrides, self.requests = Path(root).resolve(), overrides or {}, 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, name="static-server", daemon=True)

    def count(self) -> None:
        with self._lock:
            self.requests += 1

    def resolve(self, path: str) -> Path | None:
        """The file for `path` (a directory's index.html); None for hidden files ("_", ".") or outside the root."""
        parts = [part for part in path.split("/") if part]
        if "\x00" in path or any(part.startswith(("_", ".")) for part in parts):
            return None
        target = self.root.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def handle_error(self, request, client_address) -> None:
        """A client gone mid-answer is no error worth printing."""

    def __enter__(self) -> "StaticServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
