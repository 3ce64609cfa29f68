"""Small local servers and addresses for tests: a one-handler HTTP server, a closed port, a replica post with comments."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from archiver.replica import load_ground_truth


@contextmanager
def tiny_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small HTTP server on 127.0.0.1 answering with `handler`; yields its address (`http://127.0.0.1:PORT/`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def commented_post(site_root: Path) -> tuple[str, Path]:
    """The path of a replica post with comments, and its file."""
    truth = load_ground_truth(site_root, "")
    path = next(record["url"] for record in truth if record["comments"] and "<section id=\"comments\"" in
                (site_root / record["url"].lstrip("/")).read_text(encoding="utf-8"))
    return path, site_root / path.lstrip("/")
