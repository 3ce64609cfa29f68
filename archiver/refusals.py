"""Requests Scrapy refuses to send (robots.txt, off-site), told apart so that a crawl reports them."""

from __future__ import annotations

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware

from archiver.items import CrawlFailure

# The messages of the IgnoreRequest raised by Scrapy 2.19's RobotsTxtMiddleware and OffsiteMiddleware.
ROBOTS_MESSAGE = "Forbidden by robots.txt"
OFFSITE_MESSAGE = "Filtered offsite request"


class OffsiteAtDownload(OffsiteMiddleware):
    """Scrapy's off-site filter, applied when a request is about to be downloaded, not when it is scheduled.

    Scrapy 2.19 drops an off-site request in its `request_scheduled` handler, where no errback is
    called: a start URL redirected to another host vanished with only a DEBUG line. Filtered in
    `process_request` instead (the same rule, the same IgnoreRequest), it reaches the spider's errback.
    """

    def request_scheduled(self, request, spider) -> None:
        """Let the request be scheduled; `process_request` filters it before it is downloaded."""


def refusal(request, message: str) -> CrawlFailure:
    """The failure to record for a request Scrapy refused: kind "robots", "offsite" or "ignored",
    under the URL that was asked for (before any redirect)."""
    asked = (request.meta.get("redirect_urls") or [request.url])[0]
    via = f" (redirected to {request.url})" if asked != request.url else ""
    if message.startswith(ROBOTS_MESSAGE):
        return CrawlFailure(asked, "robots", f"refused by robots.txt{via}")
    if message.startswith(OFFSITE_MESSAGE):
        return CrawlFailure(asked, "offsite", f"redirected off-site to {request.url}" if via else message)
    return CrawlFailure(asked, "ignored", message + via)
