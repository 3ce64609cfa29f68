"""Store, the last item pipeline: hands each item to the archive's writer (archiver.store.writer), and records the
crawl's run in the archive (opened with the spider, judged and closed with it)."""

from __future__ import annotations

import ctypes
import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

from archiver import store
from archiver.crawl.drift import drift_report, drifting, field_stats, reports_as_json
from archiver.field_counts import run_counts
from archiver.crawl.outcomes import Outcome, RunFacts, judge
from archiver.crawl.stop import STOP_NOW
from archiver.errors import ArchiveError
from archiver.items import CrawlFailure, Post
from archiver.pipelines.deduplicate import DuplicatePost
from archiver.store.connection import DEFAULT_BUSY_TIMEOUT
from archiver.store.runs import gone_failures, run_owner
from archiver.store.writer import BatchWriter

logger = logging.getLogger(__name__)

# The finish reason of a crawl stopped because the archive could not be written.
WRITE_FAILED = "archive_write_failed"
# A crawler signal (sent with `failure=CrawlFailure(...)`) by which another component records a failure of the run
# (archiver.extensions.warc_capture: a response not written to the WARC capture).
RECORD_FAILURE = object()


# glibc's malloc serves a block of at least this many bytes with a mapping of its own, given back to the system once
# freed. Its default threshold moves up to the largest block freed so far: after the first 600 KB month page, every
# page body, its text and its parser's buffers came from the heap, whose freed middle glibc keeps, so each burst of
# large pages added to the crawl's RSS for good. 20,004-post replica, full crawl (loaded 2-core machine): peak RSS
# 176 MB -> 154 MB (the threshold set by MALLOC_MMAP_THRESHOLD_=131072, as this does), 155 MB with this code.
MMAP_THRESHOLD, M_MMAP_THRESHOLD = 128 * 1024, -3


def map_large_blocks() -> bool:
    """Fix glibc's mmap threshold for this process at MMAP_THRESHOLD (whether it could: not glibc, nothing done)."""
    try:
        return bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (AttributeError, OSError):
        return False


def response_address(response, failure) -> tuple[str, int | None]:
    """The URL and status of the page a spider error happened on (a response, or an errback's failure)."""
    if hasattr(response, "status"):
        return response.url, response.status
    request = getattr(response, "request", None) or getattr(failure, "request", None)  # an errback's Failure
    return (request.url if request is not None else "(unknown page)"), None


class Store:
    """Write posts, pages and failures to the archive in batches of ARCHIVE_BATCH_SIZE items (or of
    ARCHIVE_BATCH_SECONDS), one transaction each, on the archive's writer thread while the crawl goes on
    (archiver.store.writer); the crawl waits when the writer falls behind. A transaction that still fails after
    its retries stops the crawl (finish reason WRITE_FAILED): what could not be written is counted
    (`archiver/unwritten/...`), the run is closed "failed".
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.closing = False
        self.writer: BatchWriter | None = None
        self.run_id = None
        self.start_urls: list[str] = []
        self.usual: dict = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.close_now, signal=STOP_NOW)
        crawler.signals.connect(pipeline.record_failure, signal=RECORD_FAILURE)
        return pipeline

    async def open_spider(self):
        """`open_archive`, in a coroutine: its error comes when Scrapy awaits it with the other pipelines' (a plain
        method that raised would leave theirs never awaited, and a RuntimeWarning on the user's terminal)."""
        self.open_archive()

    def open_archive(self):
        """Open the archive and this run; if the run cannot be written, the crawl closes before it starts."""
        settings = self.crawler.settings
        map_large_blocks()
        self.writer = BatchWriter(
            settings.get("ARCHIVE_DB"), self.stats,
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE", 50), batch_seconds=settings.getfloat("ARCHIVE_BATCH_SECONDS", 5.0),
            busy_timeout=settings.getfloat("ARCHIVE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT),
            attempts=settings.getint("ARCHIVE_WRITE_ATTEMPTS", 3), backoff=settings.getfloat("ARCHIVE_WRITE_BACKOFF", 1.0),
            in_crawl=lambda: self.crawler.crawling, on_failure=lambda: self.stop_crawl())
        self.start_urls = list(getattr(self.crawler.spider, "start_urls", []))
        self.usual = self.writer.call(store.usual_figures)  # the archive as it was before this run wrote anything
        try:
            self.run_id = self.writer.open_run(self.start_urls)
        except ArchiveError as error:
            self.writer.error = str(error)
            self.stats.set_value("archiver/write_error", self.writer.error)
            raise CloseSpider(WRITE_FAILED) from error
        mode = settings.get("ARCHIVER_CRAWL_MODE")
        for key, value in {**run_owner(), "archiver/run_id": self.run_id, "archiver/db": str(settings.get("ARCHIVE_DB")), "archiver/mode": mode}.items():
            self.stats.set_value(key, value)

    def process_item(self, item):
        """Hand the item to the writer (batches of ARCHIVE_BATCH_SIZE); the crawl waits while the writer is far behind."""
        self.writer.add(item)
        return self._once_caught_up(item) if self.writer.far_behind() else item

    async def _once_caught_up(self, item):
        """`item`, once the writer is no longer far behind (or none will be written)."""
        await self.writer.until(lambda: not self.writer.far_behind())
        return item

    @property
    def writing(self) -> list | None:
        """The batch the writer is writing, if any."""
        return self.writer.writing

    @property
    def waiting(self):
        """The batches waiting for the writer, in turn."""
        return self.writer.waiting

    def item_dropped(self, item, response, exception, spider=None):
        """Record a dropped post as a failure of the run (duplicates are not failures)."""
        if isinstance(item, Post) and not isinstance(exception, DuplicatePost):
            self.writer.keep(CrawlFailure(item.fetched_url or item.url, "dropped", str(exception)))

    def spider_error(self, failure, response, spider=None):
        """A spider callback or errback raised: what it had yielded is kept; the page is recorded as a
        failure (kind "spider-error"), counted, and asked again by the next crawl."""
        url, status = response_address(response, failure)
        self.writer.keep(CrawlFailure(url, "spider-error", f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500], status))

    def item_error(self, item, response, spider=None, failure=None):
        """A pipeline raised on an item (not a DropItem): the item's page is recorded as a failure."""
        url = getattr(item, "fetched_url", None) or getattr(item, "url", None) or getattr(response, "url", "?")
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500] if failure is not None else "error"
        self.writer.keep(CrawlFailure(url, "pipeline-error", reason))

    def record_failure(self, failure: CrawlFailure) -> None:
        """A failure another component sent (RECORD_FAILURE), recorded with the run's."""
        if self.writer is not None:
            self.writer.keep(failure)

    def stop_crawl(self) -> None:
        """Ask Scrapy's engine to close the spider (finish reason WRITE_FAILED), unless it is closing."""
        if not self.closing:
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))

    def spider_closed(self, spider, reason):
        """Flush, then, once the writer has written everything, close the run with its counts, figures and
        outcome, whatever happened in the flush (in the crawl's loop: an awaitable Scrapy waits for)."""
        if self.writer is None:
            return None
        self.closing = True
        self.writer.flush()
        if self.writer.writing is not None:
            return self._close_once_written(reason)
        self._close(reason)
        return None

    async def _close_once_written(self, reason: str) -> None:
        await self.writer.until(lambda: self.writer is None or self.writer.writing is None)
        self._close(reason)

    async def close_now(self, reason: str) -> None:
        """The second Ctrl-C: once the batch being written is done, write what is pending and close the run
        (interrupted, with its counts) before the reactor stops, whatever the spider's close was waiting for."""
        if self.writer is None:
            return
        self.closing = True
        await self.writer.until(lambda: self.writer is None or self.writer.writing is None)
        if self.writer is not None:
            self.writer.in_crawl = lambda: False  # from here on a batch is written, and counted, before flush returns
            self.writer.flush()
            self._close(reason)

    def _close(self, reason: str) -> None:
        """Close the run (if it opened), then the writer (once: a second Ctrl-C may have closed them)."""
        if self.writer is None:
            return
        try:
            if self.run_id is not None:
                self.close_run(reason)
        finally:
            self.writer.close()
            self.writer = None

    def close_run(self, reason: str) -> None:
        """Record the run's outcome (and the posts a failed write lost); if even that fails, say so."""
        self.record_shortfalls()
        self.settle_waiting()
        self.discount_gone()
        reports = drift_report(self.writer.figures.as_dict(), self.usual)
        for key, value in field_stats(reports).items():
            self.stats.set_value(key, value)
        figures = self.writer.figures
        fields = {"posts": figures.posts, "unchecked": figures.unchecked, "fields": reports_as_json(reports)}
        outcome = self.judge(reason, reports)
        self.stats.set_value("archiver/outcome", outcome.name)
        try:
            self.writer.close_run(outcome.run_status, fields, run_counts(self.stats), self.stats.get_stats())
        except ArchiveError as error:
            self.stats.set_value("archiver/close_error", str(error))
            logger.error("could not close run %s in the archive (it stays running): %s", self.run_id, error)
            return
        self.writer.compact_search_index()

    def record_shortfalls(self) -> None:
        """The categories whose pages listed fewer posts than they said (spiders/census.py): failures of the
        run, kind "short", written before the run is judged."""
        short = self.stats.get_value("archiver/census/short") or []
        if short and self.writer.error is None:
            try:
                self.writer.write(lambda db: [store.save_failure(db, run_id=self.run_id, url=category["url"], kind="short",
                                                                 reason=category["reason"]) for category in short])
            except ArchiveError as error:
                self.writer.fail(error)
            self.stats.inc_value("archiver/errors", len(short))
            self.stats.inc_value("archiver/errors/short", len(short))

    def discount_gone(self) -> None:
        """An archived post that answered 404/410 is gone (counted `archiver/posts/gone`), not an error: its HTTP
        failure, recorded as any other, leaves the run's error count (`archiver/errors/gone`: how many)."""
        if self.writer.error is None:
            gone = len(self.writer.call(lambda db: gone_failures(db, self.run_id)))
            if gone:
                self.stats.inc_value("archiver/errors", -gone)
                self.stats.inc_value("archiver/errors/http", -gone)
                self.stats.set_value("archiver/errors/gone", gone)

    def settle_waiting(self) -> None:
        """The listing pages an earlier run failed on that were not due this run are losses of it, unless this
        run's walk read them anyway: those leave `archiver/retries/waiting` (store.retries)."""
        waiting = self.stats.get_value("archiver/retries/waiting") or []
        if waiting and self.writer.error is None:
            still = self.writer.call(lambda db: store.unanswered(db, [retry["url"] for retry in waiting]))
            self.stats.set_value("archiver/retries/waiting", [retry for retry in waiting if retry["url"] in still])

    def judge(self, reason: str, reports) -> Outcome:
        """This run's outcome (archiver.crawl.outcomes) from how it ended, its stats and the failures it recorded."""
        failed = self.writer.error is not None
        failures = [] if failed else self.writer.call(lambda db: store.run_failures(db, self.run_id))
        drifted = [report.field for report in drifting(reports)]
        return judge(RunFacts.from_stats(self.stats.get_stats(), finish_reason=reason, start_urls=self.start_urls,
                                         failures=failures, drifting=drifted, write_failed=failed))
