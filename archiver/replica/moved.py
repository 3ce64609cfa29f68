"""A blog that moved: the replica served under a .test host name (with or without "www.", over http or https),
and its old address answering 301 to the new one. For tests of start pages that redirect to the same blog.

The .test names (reserved by RFC 2606) resolve to 127.0.0.1 through `LocalNames`, a Scrapy resolver a crawl
takes with `-s TWISTED_DNS_RESOLVER=archiver.replica.moved.LocalNames`.
"""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from .server import ReplicaHandler, ReplicaServer, _Server

LOCAL_SUFFIX = ".test"


class LocalNames(CachingThreadedResolver):
    """Scrapy's resolver, with every *.test host name on 127.0.0.1 (other names resolve as usual)."""

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        if name.lower().rstrip(".").endswith(LOCAL_SUFFIX):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)


class CanonicalHostHandler(ReplicaHandler):
    """The replica's handler, answering only on the blog's host: any other Host header gets a 301 there."""

    def respond(self, head_only: bool) -> None:
        replica = self.server.replica
        replica.hosts_seen.append(self.headers.get("Host", ""))
        if (self.headers.get("Host") or "").split(":")[0].lower() != replica.public_host:
            return self.send_redirect(replica.base_url + self.path, head_only)
        super().respond(head_only)


class MovedBlogServer(ReplicaServer):
    """The replica at scheme://public_host:PORT (https with a throwaway certificate when `tls`); requests for
    another host name on the same port (the www. twin) are sent there with a 301."""

    def __init__(self, site_dir, public_host: str, *, tls: bool = False, certificate=None):
        super().__init__(site_dir)
        self.public_host, self.tls, self.certificate = public_host, tls, certificate
        self.hosts_seen: list[str] = []

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.public_host}:{self.port}"

    def start(self) -> MovedBlogServer:
        self._httpd = _Server((self.host, self.port), CanonicalHostHandler)
        self._httpd.replica = self
        self.port = self._httpd.server_address[1]
        if self.tls:
            self._httpd.socket = server_context(self.certificate, self.public_host).wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="moved-blog", daemon=True)
        self._thread.start()
        return self


class OldAddress:
    """A plain HTTP server whose every answer is a 301 to the same path at `target` (the blog's new home)."""

    def __init__(self, target: str):
        self.target = target.rstrip("/")
        self.hits = 0
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def __enter__(self) -> OldAddress:
        old = self

        class Redirect(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                old.hits += 1
                self.send_response(301)
                self.send_header("Location", old.target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                """Quiet."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        threading.Thread(target=self._httpd.serve_forever, name="old-address", daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def server_context(certificate, host: str) -> ssl.SSLContext:
    """A TLS server context for `host` from a trustme CA (`certificate`: a trustme.CA), or a fresh one."""
    import trustme  # a test dependency: only tests serve https

    authority = certificate or trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert(host, f"www.{host.removeprefix('www.')}").configure_cert(context)
    return context
