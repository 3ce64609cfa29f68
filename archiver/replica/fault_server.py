"""FaultServer: the replica on 127.0.0.1 with faults injected from a plan; it counts hits and records every Host."""

from __future__ import annotations

import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from . import fault_pages as pages
from .fault_plan import Burst, FaultPlan, hop_path
from .server import ReplicaHandler, ReplicaServer
from .truth import load_faults, load_ground_truth

HOP_CODES = (301, 302, 307, 308, 303)
POST_PAGE = re.compile(r"^/archive/\d{4}/\d{2}/\d{2}/[^/]+\.html$")


class FaultHandler(ReplicaHandler):
    """The replica's handler, with the plan's faults, redirects, made-up listings and page rewrites."""

    server: "_FaultHTTPServer"
    cut = False

    def respond(self, head_only: bool) -> None:
        faults = self.server.replica
        path = unquote(urlsplit(self.path).path)
        fault = faults.arrive(self.headers.get("Host", ""), self.path, path)
        try:
            if fault is None:
                return self.serve(path, head_only)
            self.inject(fault, path, head_only)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up on a slow answer
            self.close_connection = True

    def serve(self, path: str, head_only: bool) -> None:
        """A redirect of the plan, a made-up listing page, or the replica's file (rewritten as `send` goes)."""
        faults = self.server.replica
        if path in faults.hops:
            code, location = faults.hops[path]
            faults.note("redirect")
            body = f'<!DOCTYPE html>\n<html><body><a href="{location}">moved</a></body></html>\n'.encode()
            return self.send(code, {"Location": location, "Content-Type": "text/html; charset=utf-8"}, body, head_only)
        page = faults.listing(path)
        if page is not None:
            return self.send(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode(), head_only)
        super().respond(head_only)

    def inject(self, fault: Burst, path: str, head_only: bool) -> None:
        """Answer with `fault`: an error status, nothing (reset), late (timeout), or half a body (truncate)."""
        if fault.kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault.kind == "timeout":
            time.sleep(self.server.replica.plan.slow_seconds)
            self.close_connection = True
            self.serve(path, head_only)
        elif fault.kind == "truncate":
            self.cut = True
            self.serve(path, head_only)
        else:
            status = int(fault.kind)
            body = f"<!DOCTYPE html>\n<html><body><h1>{status}</h1></body></html>\n".encode()
            headers = {"Content-Type": "text/html; charset=utf-8"}
            if fault.retry_after:
                headers["Retry-After"] = retry_after_value(fault.retry_after)
            self.send(status, headers, body, head_only)

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        """Rewrite a page as the plan says, then send it whole, or half of it under the whole Content-Length."""
        if status == 200 and headers.get("Content-Type", "").startswith(("text/html", "application/atom", "application/rss")):
            body, content_type = self.server.replica.rewrite(unquote(urlsplit(self.path).path), body, headers["Content-Type"])
            headers = {**headers, "Content-Type": content_type}
        if not self.cut or head_only:
            return super().send(status, headers, body, head_only)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    replica: "FaultServer"

    def handle_error(self, request, client_address) -> None:
        """Connections the faults broke on purpose are not errors worth a traceback."""


class FaultServer(ReplicaServer):
    """ReplicaServer with a FaultPlan: counts hits per path (`hits`), every request's Host (`hosts`), its
    arrivals in order (`arrivals`: time, host, path, fault) and the faults it injected (`injected`)."""

    def __init__(self, site_dir, plan: FaultPlan | None = None, port: int = 0, host: str = "127.0.0.1"):
        super().__init__(site_dir, port=port, host=host)
        self.plan = plan or FaultPlan()
        self.hosts: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.arrivals: list[tuple[float, str, str, str | None]] = []
        self.requests: Counter[str] = Counter()  # by decoded path, for bursts and draws
        self.failed: Counter[str] = Counter()  # random faults per decoded path
        self.hops: dict[str, tuple[int, str]] = {}  # path -> redirect status and absolute Location
        self.relinks: list[tuple[str, str]] = []
        self.listings: dict[str, int] = {}
        self.entries: list[dict] = []

    def start(self) -> "FaultServer":
        """Bind, work out the plan's addresses (they need the port), and serve in a daemon thread."""
        self._httpd = _FaultHTTPServer((self.host, self.port), FaultHandler)
        self._httpd.replica = self
        self.port = self._httpd.server_address[1]
        self.prepare()
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fault-server", daemon=True)
        self._thread.start()
        return self

    def prepare(self) -> None:
        """Redirect hops of the chains and loops, links to rewrite, the long category's pages and posts."""
        for target, hops in self.plan.chains.items():
            path_of = [hop_path(target, n) for n in range(hops)] + [target]
            self.hops |= {path_of[n]: (HOP_CODES[n % len(HOP_CODES)], self.base_url + path_of[n + 1]) for n in range(hops)}
            self.relinks.append((target, path_of[0]))
        for cycle in self.plan.loops:
            self.hops |= {path: (302, self.base_url + cycle[(n + 1) % len(cycle)]) for n, path in enumerate(cycle)}
        self.hops |= {path: (301, url) for path, url in self.plan.away.items()}
        long = self.plan.long_category
        if long:
            first = f"/{long.slug}/"
            self.listings = {first: 1, first + "index.html": 1} | {
                f"/archives/category/{long.slug}/index-{n}.html": n for n in range(1, long.pages + 1)}
            url = self.base_url + first
            filed = [t for t in load_ground_truth(self.root, self.base_url) if any(c["url"] == url for c in t["categories"])]
            faulty = [{"url": f["url"], "title": f["path"]} for f in load_faults(self.root, self.base_url) if url in f["listed_in"]]
            self.entries = filed[::-1] + faulty

    def arrive(self, host: str, raw_path: str, path: str) -> Burst | None:
        """Count a request and decide its fault: a burst of the plan first, else a random draw, else none."""
        with self._lock:
            self.hits[raw_path] += 1
            self.hosts[host] += 1
            number = self.requests[path]
            self.requests[path] += 1
            fault = self.plan.bursts.get(path)
            if fault is None or number >= fault.times:
                fault = self.draw(path, number)
            if fault is not None:
                self.injected[fault.kind] += 1
            self.arrivals.append((time.monotonic(), host, raw_path, fault.kind if fault else None))
            return fault

    def draw(self, path: str, number: int) -> Burst | None:
        """The random fault of a path's `number`-th request, if any (lock held)."""
        chance = self.plan.random
        if chance is None or self.failed[path] >= chance.most:
            return None
        rng = random.Random(f"{chance.seed}:{path}:{number}")
        if rng.random() >= chance.rate:
            return None
        self.failed[path] += 1
        return Burst(rng.choice(chance.kinds))

    def count_hit(self, path: str) -> None:
        """Hits are counted on arrival (`arrive`), once per request whatever is answered."""

    def note(self, what: str) -> None:
        """Count one rewrite or redirect served (thread-safe)."""
        with self._lock:
            self.injected[what] += 1

    def noted(self, what: str, page: str) -> str:
        """`page`, once `what` was counted among the faults injected."""
        self.note(what)
        return page

    def listing(self, path: str) -> str | None:
        """Page N of the long category, made up from its posts (one each, in turn), or None for any other path."""
        number, long = self.listings.get(path), self.plan.long_category
        if number is None:
            return None
        entry = self.entries[(number - 1) % len(self.entries)]
        page = pages.listing_page(f"{long.slug} (page {number})", number, long.pages, [entry], self.listing_href)
        return self.noted("long-listing", page)

    def listing_href(self, number: int) -> str | None:
        """The address of the long category's page `number`; past the last, its loop back (or None)."""
        long = self.plan.long_category
        if number > long.pages:
            return long.loop_back and self.base_url + long.loop_back
        return f"{self.base_url}/{long.slug}/" if number == 1 else f"{self.base_url}/archives/category/{long.slug}/index-{number}.html"

    def rewrite(self, path: str, body: bytes, content_type: str) -> tuple[bytes, str]:
        """A text page as the plan serves it: links changed, then padded, malformed, re-encoded; its Content-Type."""
        plan, html = self.plan, self.relink(path, body.decode("utf-8"), content_type)
        if path in plan.loop_backs:
            html = self.noted("loop-back", pages.with_links(html, [self.base_url + plan.loop_backs[path]]))
        if path in plan.padded:
            html = self.noted("padded", pages.padded(html, plan.padded[path]))
        if path in plan.malformed:
            html = self.noted(f"malformed:{plan.malformed[path]}", pages.malformed(html, plan.malformed[path]))
        encoding = plan.encodings.get(path)
        if encoding is None:
            return html.encode("utf-8"), content_type
        self.note(f"charset:{encoding.charset}/{encoding.place}")
        return pages.reencoded(html, encoding.charset, encoding.place, encoding.label)

    def relink(self, path: str, html: str, content_type: str) -> str:
        """Links to a moved page lead to its first old address (but on post pages); foreign links added (to a
        post page's head), and on the home page the first address of each redirect loop."""
        is_post = bool(POST_PAGE.match(path))
        for target, start in self.relinks if not is_post else ():
            html = pages.relinked(pages.relinked(html, self.base_url + target, self.base_url + start), target, start)
        links = [link.format(port=self.port) for link in self.plan.links]
        if content_type.startswith("text/html") and links:
            html = pages.with_head_links(html, links) if is_post else pages.with_links(html, links)
        if path == "/" and self.plan.loops:
            html = pages.with_links(html, [self.base_url + cycle[0] for cycle in self.plan.loops])
        return html


def retry_after_value(value: str) -> str:
    """A Retry-After header: seconds as given, or "+N" as the HTTP date N seconds from now."""
    return formatdate(time.time() + float(value[1:]), usegmt=True) if value.startswith("+") else value
