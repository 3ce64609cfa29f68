"""Redirect loops, told apart: Scrapy's duplicate filter drops the request that closes a loop without a word."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from archiver import urls
from archiver.http_statuses import REDIRECT_STATUSES

LOOP_MESSAGE = "redirect loop"


class RedirectLoops:
    """Refuse a redirect whose target is an address of its own chain (A -> B -> A), so that the request's
    errback records it; placed after Scrapy's RedirectMiddleware (a higher number), it sees the 3xx first.
    Requests whose redirects the spider follows itself (`handle_httpstatus_list`) are left to it. A redirect to
    an address that is no URL is refused the same way, named."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_response(self, request, response):
        if response.status not in REDIRECT_STATUSES or response.status in request.meta.get("handle_httpstatus_list", ()):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        try:
            absolute = response.urljoin(location.decode("latin-1"))
        except ValueError as error:  # "Location: http://[oops/": refused here, with its reason, not a traceback
            raise IgnoreRequest(f"HTTP {response.status} to a malformed address: {urls.shown(location.decode('latin-1'))} "
                                f"({error})") from None
        target = urls.url_key(safe_url_string(absolute))
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if target in {urls.url_key(url) for url in chain}:
            hops = " -> ".join([*chain, absolute])
            raise IgnoreRequest(f"{LOOP_MESSAGE} (HTTP {response.status}): {hops}")
        return response
