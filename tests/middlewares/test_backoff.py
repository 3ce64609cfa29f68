"""The backoff middleware: how long each retry waits, Retry-After honoured and capped, one wait per retry."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from archiver.middlewares.retry_backoff import RETRY_AFTER, RetryBackoff, retry_after_seconds

URL = "http://blog.example/archive/2022/02/04/titre-6362153.html"
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def crawler_with(**settings):
    """A Scrapy crawler with the project's backoff settings (and `settings` on top), its spider opened."""
    crawler = get_crawler(settings_dict={"ARCHIVER_RETRY_BACKOFF": 1.0, "ARCHIVER_RETRY_BACKOFF_MAX": 30.0,
                                         "ARCHIVER_RETRY_AFTER_MAX": 120.0, "RETRY_TIMES": 5, **settings})
    crawler.spider = crawler._create_spider()
    crawler.crawling = True
    return crawler


def answer(status: int, retry_after_header: str | None = None) -> HtmlResponse:
    headers = {"Retry-After": retry_after_header} if retry_after_header else {}
    return HtmlResponse(URL, status=status, headers=headers, body=b"<html></html>")


def waits(backoff: RetryBackoff, request: Request) -> list[float]:
    """The seconds `process_request` waits for `request` (the waiting itself recorded, not done)."""
    waited = []

    async def record(seconds):
        waited.append(seconds)

    backoff.wait = record
    asyncio.run(backoff.process_request(request))
    return waited


def test_each_retry_waits_twice_as_long_as_the_one_before_up_to_the_cap():
    backoff = RetryBackoff.from_crawler(crawler_with(ARCHIVER_RETRY_BACKOFF=0.5, ARCHIVER_RETRY_BACKOFF_MAX=3.0))
    assert [backoff.delay(retry) for retry in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@pytest.mark.parametrize("retry, asked, expected", [
    (1, 30.0, 30.0),    # the blog asks for longer than the backoff: as it asks
    (1, 500.0, 120.0),  # ... up to ARCHIVER_RETRY_AFTER_MAX
    (3, 2.0, 4.0),      # the backoff is already longer than asked
    (2, None, 2.0),     # nothing asked
])
def test_retry_after_is_waited_when_longer_than_the_backoff_and_capped(retry, asked, expected):
    assert RetryBackoff.from_crawler(crawler_with()).delay(retry, asked) == expected


@pytest.mark.parametrize("header, seconds", [
    ("120", 120.0),
    (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
    (format_datetime(NOW - timedelta(seconds=90), usegmt=True), 0.0),  # a date past: at once
    ("bientôt", None),
    (None, None),
])
def test_retry_after_reads_seconds_and_http_dates(header, seconds):
    assert retry_after_seconds(header, now=NOW) == seconds


def test_a_first_request_does_not_wait():
    assert waits(RetryBackoff.from_crawler(crawler_with()), Request(URL)) == []


def test_a_429s_retry_made_by_scrapy_waits_what_its_retry_after_asked():
    crawler = crawler_with()
    backoff, retry = RetryBackoff.from_crawler(crawler), RetryMiddleware.from_crawler(crawler)
    request, refused = Request(URL), answer(429, "7")
    second = retry.process_response(request, backoff.process_response(request, refused))  # the order Scrapy calls them
    assert (second.meta["retry_times"], second.meta[RETRY_AFTER]) == (1, 7.0)
    assert waits(backoff, second) == [7.0]
    assert crawler.stats.get_value("archiver/backoff/retry_after") == 1


def test_a_stale_retry_after_is_dropped_when_the_next_answer_has_none():
    crawler = crawler_with()
    backoff, retry = RetryBackoff.from_crawler(crawler), RetryMiddleware.from_crawler(crawler)
    second = retry.process_response(Request(URL), backoff.process_response(Request(URL), answer(503, "60")))
    third = retry.process_response(second, backoff.process_response(second, answer(500)))
    assert RETRY_AFTER not in third.meta
    assert waits(backoff, third) == [2.0]


def test_a_retry_after_on_another_status_is_ignored():
    backoff, request = RetryBackoff.from_crawler(crawler_with()), Request(URL)
    backoff.process_response(request, answer(500, "60"))
    assert RETRY_AFTER not in request.meta


def test_a_retry_waits_once_even_when_it_is_then_redirected():
    backoff = RetryBackoff.from_crawler(crawler_with())
    retried = Request(URL, meta={"retry_times": 2})
    assert waits(backoff, retried) == [2.0]
    redirected = retried.replace(url=URL.replace("titre", "nouveau-titre"))  # Scrapy's redirect copies the meta
    assert waits(backoff, redirected) == []
    assert waits(backoff, redirected.replace(meta={**redirected.meta, "retry_times": 3})) == [4.0]


def test_the_wait_sleeps_and_ends_at_once_when_the_crawl_stops():
    crawler = crawler_with()
    backoff = RetryBackoff.from_crawler(crawler)
    started = time.monotonic()
    asyncio.run(backoff.wait(0.6))
    slept = time.monotonic() - started
    crawler.crawling = False  # SIGTERM or Ctrl-C: Scrapy's graceful stop
    started = time.monotonic()
    asyncio.run(backoff.wait(60))
    assert slept >= 0.6 and time.monotonic() - started < 0.1


def test_no_retries_no_backoff():
    with pytest.raises(NotConfigured):
        RetryBackoff.from_crawler(crawler_with(RETRY_ENABLED=False))
