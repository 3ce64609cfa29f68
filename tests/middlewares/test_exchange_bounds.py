"""The exchange middleware's record of one answer: every header in order, bounded, what the bound cut counted."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request
from scrapy.http import Headers, HtmlResponse

from archiver.middlewares.http_exchanges import EXCHANGE, MAX_HEADER_CHARS, MAX_HEADERS, HttpExchanges, exchange

URL = "http://blog.example/archive/2022/02/04/titre-6362153.html"
NOW = datetime(2026, 12, 7, 17, 22, 26, 500000, tzinfo=UTC)


def answer(headers: Headers, request: Request | None = None) -> HtmlResponse:
    return HtmlResponse(URL, status=200, headers=headers, body=b"<html></html>", request=request or Request(URL),
                        protocol="HTTP/1.0")


def test_repeated_headers_keep_every_value_in_order_as_latin_1_text():
    headers = Headers()
    headers.appendlist("Set-Cookie", "a=1")
    headers["Content-Type"] = "text/html; charset=ISO-8859-1"
    headers.appendlist("Set-Cookie", "b=2")
    headers["X-Title"] = "Caf\xe9".encode("latin-1")
    got = exchange(Request(URL, headers={"User-Agent": "blog-archiver/1"}), answer(headers), now=NOW)
    assert got["headers"] == [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"],
                              ["Content-Type", "text/html; charset=ISO-8859-1"], ["X-Title", "Café"]]
    assert (got["request_headers"], got["headers_cut"], got["protocol"]) == ([["User-Agent", "blog-archiver/1"]], 0, "HTTP/1.0")


def test_headers_past_the_bound_are_left_out_and_counted():
    headers = Headers({f"X-Header-{n}": str(n) for n in range(MAX_HEADERS + 20)})
    headers["X-Long"] = "a" * (MAX_HEADER_CHARS + 1)
    got = exchange(Request(URL), answer(headers), now=NOW)
    assert len(got["headers"]) == MAX_HEADERS and got["headers"][-1] == [f"X-Header-{MAX_HEADERS - 1}", str(MAX_HEADERS - 1)]
    assert got["headers_cut"] == 21  # 20 headers past the hundredth, and X-Long with them


def test_a_value_past_the_bound_is_shortened_and_counted():
    got = exchange(Request(URL, headers={"Referer": "b" * (MAX_HEADER_CHARS + 10)}), answer(Headers({"X-Long": "a" * 9000})), now=NOW)
    assert got["headers"] == [["X-Long", "a" * MAX_HEADER_CHARS]]
    assert got["request_headers"] == [["Referer", "b" * MAX_HEADER_CHARS]]
    assert got["headers_cut"] == 2


def test_the_time_is_when_the_request_went_out_to_the_microsecond():
    request = Request(URL, meta={"download_latency": 1.25})
    assert exchange(request, answer(Headers(), request), now=NOW)["received_at"] == "2026-12-07T17:22:25.250000+00:00"


def test_the_middleware_puts_the_exchange_in_the_requests_meta_and_hands_the_response_on():
    request = Request(URL)
    response = answer(Headers({"Content-Encoding": "gzip"}), request)
    assert HttpExchanges().process_response(request, response) is response
    assert response.meta[EXCHANGE]["headers"] == [["Content-Encoding", "gzip"]]
