"""The static server a benchmark uses: nginx when it is on PATH, else the threaded Python one."""

from __future__ import annotations

import shutil
import time

from benchmarks.nginx_server import NginxServer
from benchmarks.site import ServedSite
from benchmarks.static_server import StaticServer


def static_server(site: ServedSite, prefer_nginx: bool = True):
    """A server (a context manager with `requests` and `name`) for the served replica, on its port."""
    if prefer_nginx and shutil.which("nginx"):
        return NginxServer(site.root, site.port, site.overrides)
    return StaticServer(site.root, site.port, site.overrides)


def requests_since(server, before: int) -> int:
    """Requests the server answered since it had answered `before` (its log settled first)."""
    time.sleep(0.2)  # nginx writes a request's log line just after its answer
    return server.requests - before
