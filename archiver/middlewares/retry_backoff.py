"""Backoff for Scrapy's retries: each retry of a request waits, exponentially longer, or as Retry-After asks."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep

# The answers whose Retry-After header is honoured (RFC 9110 defines it for 503 and 3xx; RFC 6585 for 429).
RETRY_AFTER_STATUSES = (429, 503)
# Request meta: the retry this request has already waited for; the Retry-After of its last answer (seconds).
WAITED = "archiver_backoff_waited"
RETRY_AFTER = "archiver_retry_after"
# While it waits, a retry checks this often whether the crawl is stopping (SIGTERM, Ctrl-C), and stops waiting.
STEP = 0.25


class RetryBackoff:
    """Delay each retry Scrapy's RetryMiddleware makes before it is sent.

    Retry n waits ARCHIVER_RETRY_BACKOFF * 2**(n-1) seconds, at most ARCHIVER_RETRY_BACKOFF_MAX; after a
    429 or 503 with Retry-After, at least what it asked, at most ARCHIVER_RETRY_AFTER_MAX. Placed after
    the RetryMiddleware (a higher number), it sees each answer first and leaves its Retry-After in the
    request's meta, which the retry copies. Counted in stats under `archiver/backoff/`.
    """

    def __init__(self, crawler, base: float, cap: float, retry_after_cap: float):
        self.crawler, self.stats = crawler, crawler.stats
        self.base, self.cap, self.retry_after_cap = base, cap, retry_after_cap

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("retries are off")
        return cls(crawler, settings.getfloat("ARCHIVER_RETRY_BACKOFF", 1.0),
                   settings.getfloat("ARCHIVER_RETRY_BACKOFF_MAX", 30.0),
                   settings.getfloat("ARCHIVER_RETRY_AFTER_MAX", 120.0))

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (1 for the first), given the last answer's Retry-After."""
        exponential = min(self.base * 2 ** (retry - 1), self.cap)
        return max(exponential, min(retry_after or 0.0, self.retry_after_cap))

    async def process_request(self, request):
        """Wait before a retry (once per retry: a redirect of a retried request does not wait again)."""
        retry = request.meta.get("retry_times", 0)
        if not retry or request.meta.get(WAITED) == retry:
            return None
        request.meta[WAITED] = retry
        seconds = self.delay(retry, request.meta.get(RETRY_AFTER))
        self.stats.inc_value("archiver/backoff/count")
        self.stats.inc_value("archiver/backoff/seconds", seconds)
        self.stats.inc_value("archiver/backoff/retry_after", int(bool(request.meta.get(RETRY_AFTER))))
        await self.wait(seconds)
        return None

    async def wait(self, seconds: float) -> None:
        """Sleep `seconds`, in steps, unless the crawl is stopping (its requests are then let through)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0 and self.crawler.crawling:
            await sleep(min(left, STEP))

    def process_response(self, request, response):
        """Keep the answer's Retry-After in the request's meta, for its retry (or drop a stale one)."""
        header = response.headers.get(b"Retry-After") if response.status in RETRY_AFTER_STATUSES else None
        asked = retry_after_seconds(header)
        if asked is None:
            request.meta.pop(RETRY_AFTER, None)
        else:
            request.meta[RETRY_AFTER] = asked
        return response

    def process_exception(self, request, exception):
        """A download error has no Retry-After: the retry backs off exponentially."""
        request.meta.pop(RETRY_AFTER, None)
        return None


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The seconds a Retry-After header asks to wait: delay-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
