"""HttpExchanges: each answer's HTTP exchange as it came off the wire, for the archive and its WARC records.

Placed just before Scrapy's HttpCompressionMiddleware (590) on the way back, it sees the response as received: its
headers still say `Content-Encoding: gzip` while the body is still compressed. It puts in `response.meta["exchange"]`
(the request's meta: the spider and the media pipeline read it there):

    {"protocol": "HTTP/1.1", "headers": [[name, value], ...], "headers_cut": 0,
     "request_headers": [[name, value], ...], "received_at": "2026-12-07T17:22:25.123456+00:00"}

Headers as Scrapy holds them: names in its capitals ("Etag"), every value of a repeated header in order, values
decoded as latin-1 (any byte is a character: the wire's bytes come back with .encode("latin-1")). Bounded: at most
MAX_HEADERS headers a side, MAX_HEADER_CHARS characters a name or value; each header left out or shortened, on
either side, is counted in `headers_cut`, never dropped silently. `received_at` is when the request went out (now
less Scrapy's download_latency), to the microsecond. Never raises: an answer's exchange is a record, not a check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EXCHANGE = "exchange"  # the meta key
MAX_HEADERS = 100  # headers kept a side (a blog sends about 10; a hostile answer may send thousands)
MAX_HEADER_CHARS = 8 * 1024  # characters (latin-1: bytes) kept of a header's name or value
DEFAULT_PROTOCOL = "HTTP/1.1"  # when the download handler does not say


class HttpExchanges:
    """Record each response's exchange in `response.meta["exchange"]` (THE CONTRACT of the archive's version 11)."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_response(self, request, response):
        request.meta[EXCHANGE] = exchange(request, response)
        return response


def exchange(request, response, now: datetime | None = None) -> dict:
    """The exchange of one response to `request`, as received (see the module's docstring)."""
    headers, cut = header_pairs(response.headers)
    request_headers, request_cut = header_pairs(request.headers)
    latency = request.meta.get("download_latency") or 0
    sent = (now or datetime.now(UTC)) - timedelta(seconds=latency if isinstance(latency, (int, float)) else 0)
    return {
        "protocol": getattr(response, "protocol", None) or DEFAULT_PROTOCOL,
        "headers": headers,
        "headers_cut": cut + request_cut,
        "request_headers": request_headers,
        "received_at": sent.astimezone(UTC).isoformat(timespec="microseconds"),
    }


def header_pairs(headers) -> tuple[list[list[str]], int]:
    """Scrapy Headers as [[name, value], ...] in order, each value of a repeated header a pair of its own, bounded;
    and how many headers were left out, shortened or not decodable."""
    pairs: list[list[str]] = []
    cut = 0
    for name, values in headers.items():
        for value in values if isinstance(values, (list, tuple)) else [values]:
            if len(pairs) >= MAX_HEADERS:
                cut += 1
                continue
            (name_text, name_whole), (value_text, value_whole) = _text(name), _text(value)
            pairs.append([name_text, value_text])
            cut += not (name_whole and value_whole)
    return pairs, cut


def _text(raw) -> tuple[str, bool]:
    """A header's name or value as text, at most MAX_HEADER_CHARS long; and whether it is whole. Bytes are read
    as latin-1 (which reads any byte); anything else (a header set as a number) is shown as text, and not whole."""
    if isinstance(raw, (bytes, bytearray)):
        text, whole = bytes(raw).decode("latin-1", errors="replace"), True
    elif isinstance(raw, str):
        text, whole = raw, True
    else:
        text, whole = str(raw), False
    if len(text) > MAX_HEADER_CHARS:
        return text[:MAX_HEADER_CHARS], False
    return text, whole
