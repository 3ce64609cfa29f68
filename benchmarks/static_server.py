"""A threaded static file server (HTTP/1.1 keep-alive, ETag, Last-Modified, 304), counting its requests.

The benchmark's fallback when nginx is not installed: it serves a rewritten replica (benchmarks.site) as
files, with no per-request rewriting, and answers the fault overrides' statuses (e.g. 500) like ReplicaServer.
"""

from __future__ import annotations

import threading
from email.utils import formatdate
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from archiver.replica.server import ReplicaHandler, not_modified, served_file

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/atom+xml", ".rss": "application/rss+xml",
         ".txt": "text/plain; charset=utf-8", ".json": "application/json", ".css": "text/css",
         ".gif": "image/gif", ".jpg": "image/jpeg", ".png": "image/png"}


def file_etag(stat) -> str:
    """An ETag made as nginx makes it: the modification time and the size, in hexadecimal."""
    return f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'


class StaticHandler(ReplicaHandler):
    """GET and HEAD on the files under the server's root (the replica server's answers, without its rewriting)."""

    disable_nagle_algorithm = True  # headers and body are two writes: Nagle would hold the body for an ACK (~40 ms)
    server: "StaticServer"

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
        return served_file(self.root, path)

    def handle_error(self, request, client_address) -> None:
        """A client gone mid-answer is no error worth printing."""

    def __enter__(self) -> "StaticServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
