"""WarcCapture: every response of a crawl written, as it arrives, into WARC files rolled at a size (`crawl --warc-dir`)."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.warcwriter import WARCWriter

from archiver import store
from archiver.crawl.run_settings import parse_size
from archiver.crawl.stop import STOP_NOW
from archiver.errors import ArchiveError, UsageError
from archiver.http_statuses import NOT_MODIFIED
from archiver.items import CrawlFailure
from archiver.middlewares.http_exchanges import EXCHANGE, exchange as record_exchange
from archiver.pipelines.storage import RECORD_FAILURE
from archiver.store.web_archive import stored_copy
from archiver.warc.records import REBUILT, Copy, request_record, response_record, revisit_record, warcinfo_record
from archiver.warc.rolling import WarcFiles

logger = logging.getLogger(__name__)

FAILURE_KIND = "warc"  # the kind of the run's failure for a response not written (archiver.crawl.outcomes.LOST_KINDS)


def prepare_warc_dir(folder: str | Path) -> Path:
    """The capture's folder, created if missing; UsageError when it cannot be made or written (nothing else touched)."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".archiver-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"cannot write WARC files in {path} (--warc-dir): {error.strerror or error}") from None
    return path


def warcinfo_bytes(filename: str, run_id, start_urls: list[str]) -> bytes:
    """The warcinfo record that begins each file: the software, the blog, the run and its start URLs."""
    blog = sorted({f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/" for url in start_urls})
    fields = {"blog": " ".join(blog), "run-id": str(run_id), "start-urls": " ".join(start_urls),
              "description": "blog-archiver crawl --warc-dir: the crawl's responses as they arrived"}
    return gzipped([warcinfo_record(filename, fields)])


def exchange_records(response, request, confirmed: dict | None = None) -> tuple[list, str]:
    """A response and its request as WARC records, and what they are ("responses", or "revisits": a 304 that
    confirmed `confirmed`, the stored copy, when the time its body was received is known).

    The exchange is the one received (`meta["exchange"]`, archiver.middlewares.http_exchanges); without it, one
    made from Scrapy's headers after its middlewares (Content-Encoding gone, names recased), said so in REBUILT."""
    exchange = request.meta.get(EXCHANGE)
    rebuilt = not exchange
    if rebuilt:
        exchange = record_exchange(request, response)
    answer = Copy(response.url, response.status, response.body, exchange)
    known = (confirmed or {}).get("exchange") or {}
    if response.status == NOT_MODIFIED and known.get("received_at") and not confirmed.get("error"):
        copy = Copy(confirmed["url"], confirmed["status"], confirmed["body"], known, confirmed.get("fetched_at"),
                    confirmed.get("content_type"), confirmed.get("etag"), confirmed.get("last_modified"))
        record, kind = revisit_record(copy, exchange, exchange["received_at"], known["received_at"]), "revisits"
    else:
        record, kind = response_record(answer), "responses"
    if rebuilt:
        record.rec_headers.replace_header(REBUILT, "headers")
    return [record, request_record(answer, record)], kind


def gzipped(records: list) -> bytes:
    """Records as WARC/1.1 bytes, each a gzip member of its own."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    for record in records:
        writer.write_record(record)
    return out.getvalue()


class WarcCapture:
    """A Scrapy extension, on when ARCHIVER_WARC_DIR is set (`archiver crawl --warc-dir DIR`).

    Each response the engine receives (pages, feeds, robots.txt, images, 304s, 404s: Scrapy's `response_received`,
    after the downloader middlewares, so the body is the decompressed one) becomes a request and a response record
    (a 304 that confirms a stored copy of known date: a revisit record) in `<archive stem>-<run id>-<UTC start>-
    <nnnnn>.warc.gz`, rolled at ARCHIVER_WARC_SIZE bytes. A response that cannot be written is a failure of the run
    (kind "warc", named with its URL; the crawl then exits 4), never a page lost in silence. Stats: `warc/...`.
    """

    def __init__(self, crawler, folder: Path, size: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.folder = folder
        self.size = size
        self.files: WarcFiles | None = None
        self.in_file: list[str] = []  # the URLs of the responses in the open file (lost with it if it cannot close)
        self.reader = None  # the archive, read-only: the stored copy a 304 confirms
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("ARCHIVER_WARC_DIR"):
            raise NotConfigured
        folder, size = prepare_warc_dir(settings.get("ARCHIVER_WARC_DIR")), parse_size(settings.get("ARCHIVER_WARC_SIZE"))
        extension = cls(crawler, folder, size)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.spider_closed, signal=STOP_NOW)  # the second Ctrl-C: the reactor stops next
        return extension

    def spider_opened(self, spider=None) -> None:
        """Name the run's files (the Store has opened the run: its id is in the stats)."""
        started = datetime.now(UTC)
        run_id = self.stats.get_value("archiver/run_id") or 0
        stem = f"{Path(self.crawler.settings.get('ARCHIVE_DB')).stem}-{run_id}-{started:%Y%m%d%H%M%S}"
        start_urls = list(getattr(spider, "start_urls", []))
        self.files = WarcFiles(self.folder, stem, self.size, lambda name: warcinfo_bytes(name, run_id, start_urls))
        self.stats.set_value("warc/dir", str(self.folder))

    def response_received(self, response, request, spider=None) -> None:
        """Write the exchange (a 304: as a revisit of the stored copy it confirmed, read from the archive)."""
        if self.files is None:
            return
        confirmed = self.stored(response.url) if response.status == NOT_MODIFIED else None
        try:
            records, kind = exchange_records(response, request, confirmed)
            data = gzipped(records)
        except (ValueError, TypeError, KeyError) as error:  # a response warcio cannot frame: named, counted
            self.failed(response.url, f"not written to the WARC files in {self.folder}: {error}")
            return
        rolled = len(self.files.closed)
        try:
            self.files.write(data)
        except OSError as error:
            self.in_file = self.in_file if self.files.file is not None else []  # an abandoned file kept its records
            self.failed(response.url, f"not written to the WARC files in {self.folder}: {error.strerror or error}")
            return
        self.in_file = [] if len(self.files.closed) > rolled else [*self.in_file, response.url]
        self.stats.inc_value("warc/records", len(records))
        self.stats.inc_value(f"warc/{kind}")
        self.count_files()
        if self.closing:  # a response still in flight at the second Ctrl-C: its file closed at once, never left open
            self.close()

    def stored(self, url: str) -> dict | None:
        """The archive's stored good copy of `url` (what a 304 confirms), or None when it cannot be read."""
        try:
            if self.reader is None:
                self.reader = store.open_readonly_archive(self.crawler.settings.get("ARCHIVE_DB"))
            return stored_copy(self.reader, url)
        except (ArchiveError, sqlite3.Error) as error:
            logger.warning("the stored copy of %s could not be read (%s): its 304 is kept as received", url, error)
            return None

    def spider_closed(self, spider=None, reason=None) -> None:
        """At the spider's close, or at the second Ctrl-C (before the reactor stops): close the open file."""
        self.closing = True
        self.close()

    def close(self) -> None:
        """Close the open file, if any (a response not written if it cannot be), and the archive read for 304s."""
        if self.files is None:
            return
        try:
            self.files.close()
        except OSError as error:
            for url in self.in_file:
                self.failed(url, f"its WARC file {self.files.path} could not be closed: {error.strerror or error}")
        self.in_file = []
        self.count_files()
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def count_files(self) -> None:
        made = len(self.files.closed) + (self.files.file is not None)
        self.stats.set_value("warc/files", made)
        self.stats.set_value("warc/bytes", self.files.bytes)

    def failed(self, url: str, reason: str) -> None:
        """A response not written: counted (`warc/write_errors`) and recorded as a failure of the run (the Store logs it)."""
        self.stats.inc_value("warc/write_errors")
        self.crawler.signals.send_catch_log(signal=RECORD_FAILURE, failure=CrawlFailure(url, FAILURE_KIND, reason))
