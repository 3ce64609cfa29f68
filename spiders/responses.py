"""What the category spider makes of one response: its page record, its selector, a download's or a redirect's failure.

For the archive, the record of the exchange (FetchedPage); for extraction, the page decoded as `reextract` and
`inspect` decode it; in words, why a download failed; and what is wrong with an old post URL's redirect.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from archiver import urls
from archiver.items import CrawlFailure, FetchedPage
from archiver.middlewares.http_exchanges import EXCHANGE


def download_reason(failure) -> str:
    """A download failure in words: Scrapy's exception, then what went wrong (Twisted's reasons unwrapped).

    "DownloadFailedError: ConnectionLost: Connection to the other side was lost in a non-clean fashion."
    rather than the list of Failure objects Scrapy's message is; a bare exception is named alone.
    """
    reasons = getattr(failure.value.__cause__, "reasons", None)
    if reasons:
        message = "; ".join(f"{reason.type.__name__}: {reason.getErrorMessage()}" for reason in reasons)
    else:
        message = failure.getErrorMessage()
    return f"{failure.type.__name__}: {message}" if message else failure.type.__name__


def content_type(response) -> str | None:
    """The response's Content-Type header, or None: with its body, what the one decoder (archiver.extract.decode,
    which `reextract` and `inspect` use too) reads a page from."""
    return _header(response.headers, b"Content-Type")


def fetched_page(response, kind: str, error: str | None = None) -> FetchedPage:
    """The record of one HTTP exchange, raw body included, for the archive's `pages` table: the body as Scrapy
    decompressed it, the exchange as received (archiver.middlewares.http_exchanges)."""
    headers = response.headers
    return FetchedPage(
        url=response.url,
        status=response.status,
        kind=kind,
        body=response.body,
        etag=_header(headers, b"ETag"),
        last_modified=_header(headers, b"Last-Modified"),
        content_type=_header(headers, b"Content-Type"),
        error=error,
        exchange=exchange_of(response),
    )


def exchange_of(response) -> dict | None:
    """The exchange the middleware recorded for this response, or None (a response that did not come through it)."""
    request = getattr(response, "request", None)
    return request.meta.get(EXCHANGE) if request is not None else None


def sent_at(response) -> datetime:
    """When the request of this response went out (aware, UTC): the exchange's `received_at`, else now less
    Scrapy's download_latency; the same instant as the stored copy's `received_at`."""
    exchange = exchange_of(response)
    if exchange and exchange.get("received_at"):
        return datetime.fromisoformat(exchange["received_at"])
    return datetime.now(UTC) - timedelta(seconds=response.meta.get("download_latency") or 0)


def _header(headers, name: bytes) -> str | None:
    """A response header as text, or None."""
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def redirect_failure(response, location: str, target: str | None, chain: list[str]) -> CrawlFailure | None:
    """What is wrong with an old post URL's redirect, if anything, recorded under the URL first asked for:
    off-site (lost), a loop, too many hops, no address, or an address that is not a post (the blog's faults)."""
    status = response.status
    if target is None and urls.absolute_or_none(location, response.url):
        return CrawlFailure(chain[0], "offsite", f"redirected off-site to {response.urljoin(location)}", status)
    if target is not None and urls.url_key(target) in {urls.url_key(url) for url in chain}:
        return CrawlFailure(chain[0], "http", f"redirect loop (HTTP {status}): {' -> '.join([*chain, target])}", status)
    if len(chain) > 5:
        return CrawlFailure(chain[0], "http", f"HTTP {status}: more than 5 redirects ({' -> '.join(chain)})", status)
    if target is None or urls.page_kind(target) != "post":
        return CrawlFailure(chain[0], "http", f"HTTP {status} to an address that is not a post: {location or '(none)'}", status)
    return None
