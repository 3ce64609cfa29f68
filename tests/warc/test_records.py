"""The WARC records of a copy (archiver.warc.records): replayable headers, rebuilt ones, and what each record holds."""

from __future__ import annotations

import io

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archiver.warc.records import (
    REBUILT, REVISIT_PROFILE, Copy, metadata_record, payload_digest, rebuilt_headers, replayable_headers,
    request_record, response_record, revisit_record, warc_date, warcinfo_record,
)

BODY = "<html><meta charset=iso-8859-1>Défense</html>".encode("latin-1")
EXCHANGE = {
    "protocol": "HTTP/1.1",
    "headers": [["Date", "Mon, 07 Dec 2026 17:22:25 GMT"], ["Content-Type", "text/html; charset=iso-8859-1"],
                ["Content-Encoding", "gzip"], ["Transfer-Encoding", "chunked"], ["ETag", '"v1"']],
    "headers_cut": 0,
    "request_headers": [["User-Agent", "blog-archiver/0.2.0 (+contact: a@b.c)"], ["Accept-Encoding", "gzip"]],
    "received_at": "2026-12-07T17:22:25.123456+00:00",
}
KEPT = Copy("http://blog.test/archive/2026/12/07/note-1.html", 200, BODY, exchange=EXCHANGE,
            fetched_at="2026-12-07T17:22:25+00:00")
OLD = Copy("http://blog.test/old.html", 200, b"<p>old</p>", fetched_at="2020-01-02T03:04:05+00:00",
           content_type="text/html; charset=utf-8", etag='"e1"', last_modified="Thu, 02 Jan 2020 03:04:05 GMT")


def written(*records) -> list:
    """The records as a WARC reader reads them back: (WARC headers, HTTP headers or None, payload)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    for record in records:
        writer.write_record(record)
    buffer.seek(0)
    return [(r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(buffer)]


def test_replayable_headers_drop_the_transfer_encodings_keep_the_rest_in_order_and_give_the_body_length():
    headers = [["Date", "d"], ["Content-Encoding", "gzip"], ["Content-Length", "40"], ["Vary", "Accept-Encoding"],
               ["Transfer-Encoding", "chunked"]]
    assert replayable_headers(headers, 120) == [
        ("Date", "d"), ("X-Archive-Orig-Content-Encoding", "gzip"), ("X-Archive-Orig-Content-Length", "40"),
        ("Content-Length", "120"), ("Vary", "Accept-Encoding"), ("X-Archive-Orig-Transfer-Encoding", "chunked"),
    ]


def test_replayable_headers_add_a_content_length_and_keep_a_true_one_as_it_is():
    assert replayable_headers([["Content-Type", "image/png"]], 7) == [("Content-Type", "image/png"), ("Content-Length", "7")]
    assert replayable_headers([["content-length", "7"]], 7) == [("content-length", "7")]


def test_rebuilt_headers_are_those_the_archive_kept():
    assert rebuilt_headers("text/html", '"e"', None, 12) == [("Content-Type", "text/html"), ("ETag", '"e"'),
                                                            ("Content-Length", "12")]
    assert rebuilt_headers(None, None, None, 0) == [("Content-Length", "0")]


def test_warc_dates_are_utc_with_z_and_keep_microseconds():
    assert warc_date("2026-12-07T17:22:25.123456+00:00") == "2026-12-07T17:22:25.123456Z"
    assert warc_date("2026-12-07T18:22:25+01:00") == "2026-12-07T17:22:25Z"


def test_a_response_keeps_the_received_headers_made_replayable_and_the_exact_bytes():
    (warc, http, payload), = written(response_record(KEPT))
    assert payload == BODY
    assert warc.get_header("WARC-Date") == "2026-12-07T17:22:25.123456Z"
    assert warc.get_header(REBUILT) is None
    assert http.get_header("Content-Type") == "text/html; charset=iso-8859-1"
    assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert http.get_header("Content-Length") == str(len(BODY))
    assert warc.get_header("WARC-Payload-Digest") == payload_digest(BODY)


def test_a_response_of_an_old_row_says_its_headers_and_date_are_rebuilt():
    (warc, http, payload), = written(response_record(OLD))
    assert warc.get_header(REBUILT) == "headers, date"
    assert warc.get_header("WARC-Date") == "2020-01-02T03:04:05Z"
    assert http.headers == [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"e1"'),
                            ("Last-Modified", "Thu, 02 Jan 2020 03:04:05 GMT"), ("Content-Length", "10")]
    assert payload == b"<p>old</p>"


def test_a_request_is_concurrent_to_its_response_with_the_headers_sent_else_rebuilt():
    response = response_record(KEPT)
    (_, _, _), (warc, http, _) = written(response, request_record(KEPT, response))
    assert warc.get_header("WARC-Concurrent-To") == response.rec_headers.get_header("WARC-Record-ID")
    assert warc.get_header("WARC-Date") == response.rec_headers.get_header("WARC-Date")
    assert http.protocol == "GET" and http.statusline.startswith("/archive/2026/12/07/note-1.html")
    assert http.get_header("Host") == "blog.test" and http.get_header("User-Agent").endswith("(+contact: a@b.c)")
    old = response_record(OLD)
    (_, _, _), (warc, http, _) = written(old, request_record(OLD, old, user_agent="agent/1"))
    assert warc.get_header(REBUILT) == "request-headers"
    assert http.headers == [("Host", "blog.test"), ("User-Agent", "agent/1")]


def test_a_revisit_of_a_304_holds_the_confirmed_copys_200_headers_and_names_it():
    (warc, http, payload), = written(revisit_record(KEPT, {"received_at": "2026-12-09T08:00:00.5+00:00"},
                                                    "2026-12-09T08:00:00+00:00", KEPT.exchange["received_at"]))
    assert warc.get_header("WARC-Type") == "revisit" and warc.get_header("WARC-Profile") == REVISIT_PROFILE
    assert warc.get_header("WARC-Date") == "2026-12-09T08:00:00.500000Z"
    assert warc.get_header("WARC-Refers-To-Target-URI") == KEPT.url
    assert warc.get_header("WARC-Refers-To-Date") == "2026-12-07T17:22:25.123456Z"
    assert warc.get_header("WARC-Payload-Digest") == payload_digest(BODY)
    assert http.get_statuscode() == "200" and http.get_header("Content-Length") == str(len(BODY))
    assert payload == b""


def test_metadata_and_warcinfo_records():
    response = response_record(KEPT)
    record_id = response.rec_headers.get_header("WARC-Record-ID")
    (info, _, fields), (meta, _, body) = written(warcinfo_record("blog.warc.gz", {"host": "blog.test", "empty": ""}),
                                                 metadata_record(KEPT.url, {"id": "1", "title": "Défense"}, record_id,
                                                                 "2026-12-07T17:22:25.123456Z"))
    assert b"software: blog-archiver/" in fields and b"host: blog.test" in fields and b"empty" not in fields
    assert meta.get_header("Content-Type") == "application/json" and meta.get_header("WARC-Refers-To") == record_id
    assert body.decode("utf-8") == '{"id": "1", "title": "Défense"}'
