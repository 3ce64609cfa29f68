"""Requests Scrapy refuses to send (robots.txt, off-site), told apart so that a crawl reports them."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from archiver.items import CrawlFailure
from archiver.middlewares.redirect_loops import LOOP_MESSAGE
from archiver.url_syntax import DEFAULT_PORTS

# The messages of the IgnoreRequest raised by Scrapy 2.19's RobotsTxtMiddleware and OffsiteMiddleware.
ROBOTS_MESSAGE = "Forbidden by robots.txt"
OFFSITE_MESSAGE = "Filtered offsite request"


class OffsiteAtDownload(OffsiteMiddleware):
    """Scrapy's off-site filter, applied when a request is about to be downloaded, not when it is scheduled.

    Scrapy 2.19 drops an off-site request in its `request_scheduled` handler, where no errback is
    called: a start URL redirected to another host vanished with only a DEBUG line. Filtered in
    `process_request` instead (the same IgnoreRequest), it reaches the spider's errback. A start page
    that moved to https, or gained or lost its "www.", is the same blog and is followed.
    """

    def request_scheduled(self, request, spider) -> None:
        """Let the request be scheduled; `process_request` filters it before it is downloaded."""

    def process_request(self, request, spider=None) -> None:
        """Scrapy's check, except that a redirect is always checked: a start or feed request (`dont_filter`)
        redirected to another host would otherwise be fetched there."""
        if request.meta.get("redirect_urls") and not request.meta.get("allow_offsite") \
                and not self.should_follow(request, self.crawler.spider):
            self.stats.inc_value("offsite/filtered")
            raise IgnoreRequest(f"{OFFSITE_MESSAGE} to {urlparse_cached(request).hostname!r}")
        return super().process_request(request)

    def should_follow(self, request, spider) -> bool:
        """On site: the host is one of the blog's names exactly (itself and its www. twin, see
        `urls.blog_hostnames`; Scrapy's rule would also let in every subdomain, another blog of the platform),
        on the blog's port: a start URL's port for its scheme, or the scheme's default port, or any port of
        the other scheme (a blog moved from http to https). Another port of the same scheme is another server."""
        allowed = getattr(spider, "allowed_domains", None)
        if not allowed:
            return True
        parts = urlparse_cached(request)
        if (parts.hostname or "") not in allowed:
            return False
        ports = blog_ports(tuple(getattr(spider, "start_urls", ())))
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        return parts.scheme not in ports or port in ports[parts.scheme] or port == DEFAULT_PORTS.get(parts.scheme)


@lru_cache(maxsize=16)
def blog_ports(start_urls: tuple[str, ...]) -> dict[str, set[int | None]]:
    """The ports the start URLs name, by scheme."""
    ports: dict[str, set[int | None]] = {}
    for url in start_urls:
        parts = urlsplit(url)
        ports.setdefault(parts.scheme, set()).add(parts.port or DEFAULT_PORTS.get(parts.scheme))
    return ports


def refusal_failure(request, message: str) -> CrawlFailure:
    """The failure to record for a request Scrapy refused: kind "robots", "offsite" or "ignored",
    under the URL that was asked for (before any redirect)."""
    asked = (request.meta.get("redirect_urls") or [request.url])[0]
    via = f" (redirected to {request.url})" if asked != request.url else ""
    if message.startswith(ROBOTS_MESSAGE):
        return CrawlFailure(asked, "robots", f"refused by robots.txt{via}")
    if message.startswith((LOOP_MESSAGE, "HTTP ")):  # a loop, a redirect to an address that is no URL
        return CrawlFailure(asked, "http", message)
    if message.startswith(OFFSITE_MESSAGE):
        return CrawlFailure(asked, "offsite", f"redirected off-site to {request.url}" if via else message)
    return CrawlFailure(asked, "ignored", message + via)
