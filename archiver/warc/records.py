"""WARC/1.1 records (warcio) of what a crawl fetched: pure functions of a stored or live copy and its exchange.

A copy's HTTP exchange is THE CONTRACT's dict ({"protocol", "headers", "headers_cut", "request_headers",
"received_at"}, archiver.store.migrations `_v11_web_archive`), or None / nulls for a row kept before it: the headers
are then rebuilt from what is stored (Content-Type, ETag, Last-Modified, Content-Length) and the record says so in
its WARC header REBUILT. Stored bodies are already decompressed: the response keeps every header in order but
Content-Encoding and Transfer-Encoding (kept as X-Archive-Orig-*), with Content-Length the body's length, so that
pywb and ReplayWeb.page replay the bytes as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester

from archiver import __version__

WARC_VERSION = "WARC/1.1"
SOFTWARE = f"blog-archiver/{__version__}"
REBUILT = "X-Archiver-Rebuilt"  # WARC header: what the archive did not keep and the record rebuilt, e.g. "headers, date"
HEADERS_CUT = "X-Archiver-Headers-Cut"  # WARC header: how many response headers the crawl's bound left out
ORIG_PREFIX = "X-Archive-Orig-"  # the dropped transfer headers, kept under this prefix (pywb's own convention)
DROPPED = frozenset({"content-encoding", "transfer-encoding"})  # the stored body is decoded: these no longer hold
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"  # a 304 that confirmed a copy
DEFAULT_PROTOCOL = "HTTP/1.1"
BUILDER = RecordBuilder(warc_version=WARC_VERSION)


@dataclass(frozen=True)
class Copy:
    """One fetched copy of a URL: its status and body as stored, its exchange (or None), and the stored fields the
    headers are rebuilt from when the exchange was not kept."""

    url: str
    status: int
    body: bytes
    exchange: dict | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def warc_date(stamp: str) -> str:
    """A stored ISO 8601 time as a WARC-Date (UTC, "Z", microseconds when the time has them)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def replayable_headers(headers: list, body_length: int) -> list[tuple[str, str]]:
    """The response headers as received, in order, made true of the stored (decoded) body: Content-Encoding and
    Transfer-Encoding become X-Archive-Orig-*, Content-Length is the body's length (the received one, if other,
    kept as X-Archive-Orig-Content-Length)."""
    replayable, length_seen = [], False
    for name, value in headers:
        lower = name.lower()
        if lower in DROPPED:
            replayable.append((ORIG_PREFIX + name, value))
        elif lower == "content-length" and not length_seen:
            length_seen = True
            if value.strip() != str(body_length):
                replayable.append((ORIG_PREFIX + name, value))
            replayable.append((name, str(body_length)))
        elif lower != "content-length":
            replayable.append((name, value))
    if not length_seen:
        replayable.append(("Content-Length", str(body_length)))
    return replayable


def rebuilt_headers(content_type: str | None, etag: str | None, last_modified: str | None,
                    body_length: int) -> list[tuple[str, str]]:
    """Response headers rebuilt from what an archive kept before exchanges were: Content-Type, ETag,
    Last-Modified (those it has), Content-Length."""
    known = (("Content-Type", content_type), ("ETag", etag), ("Last-Modified", last_modified))
    return [(name, value) for name, value in known if value] + [("Content-Length", str(body_length))]


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body ("sha1:BASE32"), as warcio writes it."""
    digester = Digester("sha1")
    digester.update(body)
    return str(digester)


def response_record(copy: Copy) -> ArcWarcRecord:
    """The `response` record of a copy: WARC-Date when its body was received (else its fetch time, rebuilt), its
    headers replayable (else rebuilt), its body as stored."""
    http, rebuilt = _http_headers(copy, copy.status)
    warc = _warc_headers(copy, rebuilt)
    return BUILDER.create_warc_record(copy.url, "response", payload=BytesIO(copy.body), length=len(copy.body),
                                      http_headers=http, warc_headers_dict=warc)


def request_record(copy: Copy, response: ArcWarcRecord, user_agent: str = SOFTWARE) -> ArcWarcRecord:
    """The `request` record of a copy: GET, the headers as sent (else Host and `user_agent`, rebuilt), at the
    response's date and WARC-Concurrent-To it."""
    parts = urlsplit(copy.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = (copy.exchange or {}).get("request_headers")
    headers = [(name, value) for name, value in sent] if sent is not None else [("User-Agent", user_agent)]
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    http = StatusAndHeaders(f"GET {target} {_protocol(copy)}", headers, is_http_request=True)
    warc = {"WARC-Type": "request", "WARC-Date": response.rec_headers.get_header("WARC-Date"),
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}
    if sent is None:
        warc[REBUILT] = "request-headers"
    return BUILDER.create_warc_record(copy.url, "request", http_headers=http, warc_headers_dict=warc)


def revisit_record(confirmed: Copy, exchange: dict | None, fetched_at: str, refers_to_date: str) -> ArcWarcRecord:
    """The `revisit` record of a 304 (its exchange, or None, and its fetch time) that confirmed a stored copy.

    Its HTTP block holds the confirmed copy's replayable headers (status 200, not 304: a 304 block replays as an
    empty 304), WARC-Refers-To-Target-URI / -Date name the copy, the payload digest is the copy's: pywb and
    ReplayWeb.page replay the copy's body at the revisit's date."""
    http, rebuilt = _http_headers(confirmed, confirmed.status)
    when = (exchange or {}).get("received_at")
    warc = {"WARC-Type": "revisit", "WARC-Date": warc_date(when or fetched_at)}
    if not when:
        rebuilt = [*rebuilt, "date"]
    if rebuilt:
        warc[REBUILT] = ", ".join(rebuilt)
    record = BUILDER.create_warc_record(confirmed.url, "revisit", http_headers=http, warc_headers_dict=warc)
    record.rec_headers.add_header("WARC-Profile", REVISIT_PROFILE)
    record.rec_headers.add_header("WARC-Refers-To-Target-URI", confirmed.url)
    record.rec_headers.add_header("WARC-Refers-To-Date", warc_date(refers_to_date))
    record.rec_headers.add_header("WARC-Payload-Digest", payload_digest(confirmed.body))
    return record


def post_urn(post_id: str) -> str:
    """The WARC-Target-URI of a post's metadata record: not its permalink, which replay tools would then answer
    with the metadata (the index sorts it before the page's response of the same second)."""
    return f"urn:blog-archiver:post:{post_id}"


def metadata_record(url: str, fields: dict, refers_to: str, date: str) -> ArcWarcRecord:
    """A `metadata` record (application/json) at target URI `url` (e.g. `post_urn`) about a response record
    `refers_to` (its WARC-Record-ID), at `date` (a WARC-Date: the response's)."""
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=False).encode("utf-8")
    warc = {"WARC-Type": "metadata", "WARC-Date": date, "WARC-Refers-To": refers_to}
    return BUILDER.create_warc_record(url, "metadata", payload=BytesIO(payload), length=len(payload),
                                      warc_content_type="application/json", warc_headers_dict=warc)


def warcinfo_record(filename: str, fields: dict) -> ArcWarcRecord:
    """The `warcinfo` record opening a WARC: `fields` (None and empty values left out) after software and format."""
    info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **fields}
    return BUILDER.create_warcinfo_record(filename, info)


def _http_headers(copy: Copy, status: int) -> tuple[StatusAndHeaders, list[str]]:
    """The copy's HTTP status line and replayable headers, and what of it was rebuilt ([] or ["headers"])."""
    received = (copy.exchange or {}).get("headers")
    if received is None:
        headers, rebuilt = rebuilt_headers(copy.content_type, copy.etag, copy.last_modified, len(copy.body)), ["headers"]
    else:
        headers, rebuilt = replayable_headers(received, len(copy.body)), []
    return StatusAndHeaders(_status_line(status), headers, protocol=_protocol(copy)), rebuilt


def _warc_headers(copy: Copy, rebuilt: list[str]) -> dict:
    """WARC-Date (received_at, else fetched_at and "date" rebuilt), and REBUILT / HEADERS_CUT when they apply."""
    exchange = copy.exchange or {}
    when = exchange.get("received_at")
    if not when:
        rebuilt = [*rebuilt, "date"]
    warc = {"WARC-Type": "response", "WARC-Date": warc_date(when or copy.fetched_at)}
    if rebuilt:
        warc[REBUILT] = ", ".join(rebuilt)
    if exchange.get("headers_cut"):
        warc[HEADERS_CUT] = str(exchange["headers_cut"])
    return warc


def _protocol(copy: Copy) -> str:
    """The copy's HTTP version ("HTTP/1.1" when not kept)."""
    return (copy.exchange or {}).get("protocol") or DEFAULT_PROTOCOL


def _status_line(status: int) -> str:
    """"200 OK": the status and its standard reason phrase."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
