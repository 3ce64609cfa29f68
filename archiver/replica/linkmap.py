"""LinkMap: every HTML page of a served replica reachable from its home page, and which page links where."""

from __future__ import annotations

import http.client
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsel import Selector


@dataclass
class LinkMap:
    """Pages reached by following every <a href> and <link href> on the server's own host."""

    pages: dict[str, str]                 # path -> HTML ("" when the answer was not a 200 HTML page)
    linked_from: dict[str, set[str]]      # path -> paths of the pages linking to it (fragments and queries dropped)


def fetch(port: int, path: str, method: str = "GET") -> tuple[int, http.client.HTTPResponse, str]:
    """(status, response, body text) of one request to 127.0.0.1:`port`, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response, body


def local_paths(body: str, base_url: str) -> list[str]:
    """Paths of the links of a page that stay on the server (absolute on `base_url` or root-relative)."""
    hrefs = Selector(body).css("a::attr(href), link::attr(href)").getall()
    return [urlsplit(h).path for h in hrefs if h.startswith((base_url + "/", "/")) and not h.startswith("//")]


def map_links(server, start: str = "/") -> LinkMap:
    """Crawl a running ReplicaServer from `start`; a few hundred pages take about a second."""
    pages: dict[str, str] = {}
    linked_from: dict[str, set[str]] = defaultdict(set)
    queue = [start]
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        status, response, body = fetch(server.port, path)
        html = status == 200 and (response.getheader("Content-Type") or "").startswith("text/html")
        pages[path] = body if html else ""
        for target in local_paths(body, server.base_url) if html else ():
            linked_from[target].add(path)
            queue.append(target)
    return LinkMap(pages, dict(linked_from))
