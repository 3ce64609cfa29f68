"""WarcCapture: every response of a crawl written, as it arrives, into WARC files rolled at a size (`crawl --warc-dir`)."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver import __version__
from archiver.crawl.run_settings import parse_size
from archiver.crawl.stop import STOP_NOW
from archiver.errors import UsageError
from archiver.items import CrawlFailure
from archiver.pipelines.storage import RECORD_FAILURE

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"  # a file being written (Heritrix's habit): renamed when closed, left so by a killed crawl
REBUILT_HEADER = "X-Archiver-Headers"  # a record whose HTTP headers were rebuilt from Scrapy's, not kept as received
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


class WarcFiles:
    """WARC files `<stem>-<nnnnn>.warc.gz` in a folder, each begun by its warcinfo record and closed once it passes
    `size` bytes; written as `<name>.open`, renamed when closed. A file is never reopened: a new one is made."""

    def __init__(self, folder: Path, stem: str, size: int, warcinfo):
        self.folder, self.stem, self.size, self.warcinfo = folder, stem, size, warcinfo
        self.number = 0
        self.file = None
        self.path: Path | None = None
        self.closed: list[Path] = []  # the files written whole, closed and renamed
        self.bytes = 0  # of every file, the open one included

    def name(self) -> str:
        return f"{self.stem}-{self.number:05d}.warc.gz"

    def write(self, data: bytes) -> None:
        """Append records (whole gzip members) to the open file, opening a new one first if none is; flushed at
        once, so a killed crawl leaves whole records; the file is closed when it passes the size. OSError as is."""
        if self.file is None:
            self.open()
        start = self.file.tell()
        try:
            self.file.write(data)
            self.file.flush()
        except OSError:
            self.abandon(start)
            raise
        self.bytes += len(data)
        if self.file.tell() >= self.size:
            self.close()

    def open(self) -> None:
        """Start the next file (exclusive creation: never one another run left) with its warcinfo record."""
        self.number += 1
        self.path = self.folder / (self.name() + OPEN_SUFFIX)
        self.file = open(self.path, "xb")  # noqa: SIM115 -- kept open across records, closed by close()
        try:
            self.file.write(self.warcinfo(self.name()))
            self.file.flush()
        except OSError:
            self.abandon(0)
            raise
        self.bytes += self.file.tell()

    def close(self) -> None:
        """Close the open file, if any, and give it its final name. OSError as is (the file then keeps `.open`)."""
        if self.file is None:
            return
        file, path, self.file = self.file, self.path, None
        file.close()
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        path.rename(final)
        self.closed.append(final)

    def abandon(self, whole: int) -> None:
        """After a failed write: cut the file back to its `whole` bytes (its records whole) and close it under its
        final name; if even that fails, leave it `.open`. Never raises: the write's error is the one reported."""
        file, self.file = self.file, None
        try:
            file.truncate(whole)
            file.close()
            if whole:
                self.path.rename(self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX)))
                self.closed.append(self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX)))
            else:
                self.path.unlink()
        except OSError as error:
            logger.warning("WARC file %s left as it is after a write error: %s", self.path, error)



def exchange_of(response, request) -> dict:
    """The HTTP exchange as received (`meta["exchange"]`, archiver.middlewares' per THE CONTRACT), else one rebuilt
    from Scrapy's headers (after its middlewares: names recased, Content-Encoding gone), marked `rebuilt`."""
    exchange = request.meta.get("exchange")
    if exchange:
        return exchange
    went_out = datetime.now(UTC) - timedelta(seconds=request.meta.get("download_latency") or 0)
    return {"protocol": response.protocol or "HTTP/1.1", "headers": header_pairs(response.headers), "headers_cut": 0,
            "request_headers": header_pairs(request.headers), "received_at": went_out.isoformat(timespec="microseconds"),
            "rebuilt": True}


def header_pairs(headers) -> list[list[str]]:
    """Scrapy's Headers as [[name, value], ...] (latin-1 text, every value of a repeated header)."""
    return [[name.decode("latin-1"), value.decode("latin-1")] for name, values in headers.items() for value in values]



def warcinfo_bytes(filename: str, run_id, start_urls: list[str]) -> bytes:
    """The warcinfo record that begins each file: the software, the blog, the run and its start URLs."""
    blog = sorted({f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/" for url in start_urls})
    info = {"software": f"blog-archiver/{__version__}", "format": "WARC File Format 1.1", "blog": " ".join(blog),
            "run-id": str(run_id), "start-urls": " ".join(start_urls), "description": "archiver crawl --warc-dir"}
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return out.getvalue()


def exchange_bytes(response, request) -> tuple[bytes, str]:
    """The response and its request as WARC records (gzip members), and the stat they count in."""
    exchange = exchange_of(response, request)
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    date = warc_date(exchange["received_at"])
    extra = {"WARC-Date": date} | ({REBUILT_HEADER: "rebuilt"} if exchange.get("rebuilt") else {})
    status = StatusAndHeaders(f"{response.status} {status_phrase(response.status)}",
                              replayable(exchange["headers"], response.body), protocol=exchange["protocol"])
    answer = writer.create_warc_record(response.url, "response", payload=BytesIO(response.body), length=len(response.body),
                                       http_headers=status, warc_headers_dict=dict(extra))
    parts = urlsplit(request.url)
    line = f"{request.method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} {exchange['protocol']}"
    sent = [pair for pair in exchange["request_headers"] if pair[0].lower() != "host"]
    asked = StatusAndHeaders(line, [("Host", parts.netloc), *map(tuple, sent)], is_http_request=True)
    question = writer.create_warc_record(request.url, "request", http_headers=asked, warc_headers_dict=dict(extra))
    writer.write_request_response_pair(question, answer)
    return out.getvalue(), "responses"


def replayable(headers: list[list[str]], body: bytes) -> list[tuple[str, str]]:
    """The response's headers as a replay needs them with Scrapy's decompressed body: no Content-Encoding or
    Transfer-Encoding (kept as X-Archive-Orig-*), Content-Length the body's."""
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower in ("content-encoding", "transfer-encoding"):
            kept.append((f"X-Archive-Orig-{name}", value))
        elif lower != "content-length":
            kept.append((name, value))
    return [*kept, ("Content-Length", str(len(body)))]


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def warc_date(iso: str) -> str:
    """An ISO 8601 time with its offset as a WARC-Date (UTC, `Z`, to the microsecond)."""
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
        if self.files is None:
            return
        try:
            data, kind = exchange_bytes(response, request)
        except (ValueError, TypeError) as error:  # a response warcio cannot frame: named and counted, the crawl goes on
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
        self.stats.inc_value("warc/records", 2)
        self.stats.inc_value(f"warc/{kind}")
        self.count_files()

    def spider_closed(self, spider=None, reason=None) -> None:
        """Close the open file (once: at the second Ctrl-C, or at the spider's close)."""
        if self.files is None:
            return
        try:
            self.files.close()
        except OSError as error:
            for url in self.in_file:
                self.failed(url, f"its WARC file {self.files.path} could not be closed: {error.strerror or error}")
        self.in_file = []
        self.count_files()

    def count_files(self) -> None:
        made = len(self.files.closed) + (self.files.file is not None)
        self.stats.set_value("warc/files", made)
        self.stats.set_value("warc/bytes", self.files.bytes)

    def failed(self, url: str, reason: str) -> None:
        """A response not written: counted (`warc/write_errors`) and recorded as a failure of the run (the Store logs it)."""
        self.stats.inc_value("warc/write_errors")
        self.crawler.signals.send_catch_log(signal=RECORD_FAILURE, failure=CrawlFailure(url, FAILURE_KIND, reason))
