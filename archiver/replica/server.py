"""ReplicaServer: serve a built replica on 127.0.0.1 with ETags, 304s, fault overrides, redirects, hit counts."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .model import BASE_TOKEN, STATIC_TOKEN, static_url
from .truth import FAULTS_FILE

TEXT_TYPES = {".html": "text/html", ".xml": "application/atom+xml", ".rss": "application/rss+xml",
              ".txt": "text/plain", ".json": "application/json", ".css": "text/css"}
BINARY_TYPES = {".gif": "image/gif", ".jpg": "image/jpeg", ".png": "image/png"}
ERROR_PAGE = "<!DOCTYPE html>\n<html><head><title>{status}</title></head><body><h1>{status} {reason}</h1></body></html>\n"


class ReplicaHandler(BaseHTTPRequestHandler):
    """GET and HEAD on the files of the replica; nothing else."""

    protocol_version = "HTTP/1.1"
    server: "_Server"

    def do_GET(self) -> None:
        self.respond(head_only=False)

    def do_HEAD(self) -> None:
        self.respond(head_only=True)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Keep test and demo output quiet."""

    def respond(self, head_only: bool) -> None:
        """Count the hit, then answer with the override status, the file, a 304 or a 404."""
        split = urlsplit(self.path)
        replica = self.server.replica
        replica.count_hit(split.path + (f"?{split.query}" if split.query else ""))
        path = unquote(split.path)
        status = replica.override(path)
        if status:
            return self.send_error_page(status, head_only)
        moved_to = replica.redirect(path)
        if moved_to:
            return self.send_redirect(replica.base_url + moved_to, head_only)
        target = replica.resolve(path)
        if target is None:
            return self.send_error_page(404, head_only)
        body = target.read_bytes()
        kind = TEXT_TYPES.get(target.suffix)
        if kind:
            body = body.replace(BASE_TOKEN.encode(), replica.base_url.encode())
            body = body.replace(STATIC_TOKEN.encode(), static_url(replica.base_url).encode())
            kind = replica.content_type(path) or kind + "; charset=utf-8"
        etag = f'"{hashlib.sha1(body).hexdigest()}"'
        mtime = target.stat().st_mtime
        headers = {"Content-Type": kind or BINARY_TYPES.get(target.suffix, "application/octet-stream"),
                   "ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        if not_modified(self.headers, etag, mtime):
            return self.send(304, headers, b"", head_only=True)
        self.send(200, headers, body, head_only)

    def send_error_page(self, status: int, head_only: bool) -> None:
        """A small HTML page for 404 and override statuses."""
        reason = self.responses.get(status, ("Error",))[0]
        body = ERROR_PAGE.format(status=status, reason=reason).encode()
        self.send(status, {"Content-Type": "text/html; charset=utf-8"}, body, head_only)

    def send_redirect(self, location: str, head_only: bool) -> None:
        """301 Moved Permanently to an absolute `location`, with a small page."""
        body = f'<!DOCTYPE html>\n<html><body><a href="{location}">{location}</a></body></html>\n'.encode()
        self.send(301, {"Location": location, "Content-Type": "text/html; charset=utf-8"}, body, head_only)

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        """Status line, headers, Content-Length, and the body unless it is a HEAD or a 304."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a crawl opens dozens of connections at once; socketserver's 5 drops their SYNs
    replica: "ReplicaServer"

    def handle_error(self, request, client_address) -> None:
        """A client gone mid-answer (a crawl killed or stopped) is no error of the server's; others are printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class ReplicaServer:
    """A threaded HTTP server for a built replica, on 127.0.0.1 and a free port; a context manager."""

    def __init__(self, site_dir, port: int = 0, host: str = "127.0.0.1"):
        self.root = Path(site_dir).resolve()
        self.host, self.port = host, port
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._faults: tuple[tuple[int, int], dict] = ((0, 0), {})

    @property
    def base_url(self) -> str:
        """"http://127.0.0.1:PORT" (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> "ReplicaServer":
        """Bind and serve in a daemon thread."""
        self._httpd = _Server((self.host, self.port), ReplicaHandler)
        self._httpd.replica = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = self._thread = None

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def count_hit(self, path: str) -> None:
        """Count one request (thread-safe)."""
        with self._lock:
            self.hits[path] += 1

    def faults(self) -> dict:
        """_faults.json as a document, re-read whenever the file changes ({} when there is none)."""
        source = self.root / FAULTS_FILE
        try:
            stat = source.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._faults[0] != key:
                self._faults = (key, json.loads(source.read_text(encoding="utf-8")))
            return self._faults[1]

    def override(self, path: str) -> int | None:
        """The status _faults.json forces for `path`."""
        return self.faults().get("overrides", {}).get(path)

    def content_type(self, path: str) -> str | None:
        """The Content-Type _faults.json forces for `path` (e.g. "text/html" with no charset), or None."""
        return self.faults().get("content_types", {}).get(path)

    def redirect(self, path: str) -> str | None:
        """The path _faults.json redirects `path` to (301), or None."""
        return self.faults().get("redirects", {}).get(path)

    def resolve(self, path: str) -> Path | None:
        """The file serving `path` (see `served_file`)."""
        return served_file(self.root, path)


def served_file(root: Path, path: str) -> Path | None:
    """The file under `root` serving a URL path (a folder's index.html), or None: hidden "_" and "." files
    and anything outside the root are never served."""
    parts = [part for part in path.split("/") if part]
    if "\x00" in path or any(part in ("..", ".") or part.startswith(("_", ".")) for part in parts):
        return None
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def not_modified(request_headers, etag: str, mtime: float) -> bool:
    """Whether a conditional request's validators match: If-None-Match wins over If-Modified-Since (RFC 9110)."""
    match = request_headers.get("If-None-Match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request_headers.get("If-Modified-Since")
    if since:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False

