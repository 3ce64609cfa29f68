"""Item pipelines, in order: Validate -> Clean -> Deduplicate (archiver.pipelines.checks) -> Store, the archive's writes."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from concurrent.futures import Future
from itertools import chain

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

from archiver import store
from archiver.pipelines.checks import Clean, CountingPipeline, Deduplicate, DuplicatePost, Validate, sanitise_html
from archiver.crawl.drift import drift_report, drifting, field_stats, reports_as_json
from archiver.errors import ArchiveError
from archiver.crawl.field_counts import RunFigures, run_counts
from archiver.items import CrawlFailure, FetchedPage, Post, PostAlias
from archiver.crawl.outcomes import Outcome, RunFacts, judge
from archiver.store.connection import DEFAULT_BUSY_TIMEOUT, ArchiveWriter, write_batch
from archiver.store.retries import GONE_STATUSES
from archiver.store.runs import run_owner, touch_run

__all__ = ["Clean", "CountingPipeline", "Deduplicate", "DuplicatePost", "Store", "Validate", "sanitise_html"]

logger = logging.getLogger(__name__)

NOT_MODIFIED = 304
# The finish reason of a crawl stopped because the archive could not be written.
WRITE_FAILED = "archive_write_failed"
# What the Store pipeline writes, and how it counts each kind it could not write.
UNWRITTEN_KINDS = {Post: "posts", PostAlias: "aliases", FetchedPage: "pages", CrawlFailure: "failures"}
STORED_ITEMS = tuple(UNWRITTEN_KINDS)
# What one item may raise that the archive refuses for that item alone (a value SQLite cannot hold, a
# constraint): the item becomes an "unwritable" failure and the batch goes on. Locks and I/O errors are
# the batch's (write_batch retries it).
ITEM_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError, sqlite3.ProgrammingError,
               OverflowError, ValueError, TypeError, ArchiveError)
UNWRITABLE = "unwritable"
# Batches waiting for the writer beyond which the crawl waits for it (process_item returns an awaitable).
MAX_WAITING_BATCHES = 2


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The crawl's event loop when called from it; None when the pipeline is driven directly (as tests do)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def response_address(response, failure) -> tuple[str, int | None]:
    """The URL and status of the page a spider error happened on (a response, or an errback's failure)."""
    if hasattr(response, "status"):
        return response.url, response.status
    request = getattr(response, "request", None) or getattr(failure, "request", None)  # an errback's Failure
    return (request.url if request is not None else "(unknown page)"), None


class Store:
    """Write posts, pages and failures to the archive in batches, one transaction per batch.

    The transactions run on the archive's own thread (ArchiveWriter), one at a time and in order, while the
    crawl goes on; when more than MAX_WAITING_BATCHES wait for it, the crawl waits too. Driven directly,
    outside a crawl or its event loop, each flush waits for its transaction. A batch leaves memory only once its
    transaction has committed, and is counted only then. A transaction that still fails after its retries
    stops the crawl (finish reason WRITE_FAILED): what could not be written is counted
    (`archiver/unwritten/...`), the run is closed "failed".
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = settings.get("ARCHIVE_DB")
        self.batch_size = settings.getint("ARCHIVE_BATCH_SIZE", 50)
        self.batch_seconds = settings.getfloat("ARCHIVE_BATCH_SECONDS", 5.0)
        self.busy_timeout = settings.getfloat("ARCHIVE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)
        self.retries = {"attempts": settings.getint("ARCHIVE_WRITE_ATTEMPTS", 3),
                        "backoff": settings.getfloat("ARCHIVE_WRITE_BACKOFF", 1.0)}
        self.pending: list = []  # the batch being filled
        self.waiting: deque[list] = deque()  # batches for the writer, in turn
        self.writing: list | None = None  # the batch the writer has: one at most
        self.on_written: asyncio.Future | None = None  # done when the writer is done with it, for who waits
        self.unwritten_posts: list[str] = []  # URLs of the posts a failed write lost, for crawl_failures
        self.write_error: str | None = None
        self.closing = False
        self.last_flush = time.monotonic()
        self.writer: ArchiveWriter | None = None
        self.run_id = None
        self.start_urls: list[str] = []
        self.usual: dict = {}
        self.figures = RunFigures()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        """Open the archive and this run; if the run cannot be written, the crawl closes before it starts."""
        self.writer = ArchiveWriter(self.db_path, busy_timeout=self.busy_timeout)
        self.start_urls = list(getattr(self.crawler.spider, "start_urls", []))
        self.usual = self.writer.call(store.usual_figures)  # the archive as it was before this run wrote anything
        try:
            self.run_id = self.write(lambda db: self._open_run(db, self.start_urls))
        except ArchiveError as error:
            self.write_error = str(error)
            self.stats.set_value("archiver/write_error", self.write_error)
            raise CloseSpider(WRITE_FAILED) from error
        mode = self.crawler.settings.get("ARCHIVER_CRAWL_MODE")
        for key, value in {**run_owner(), "archiver/run_id": self.run_id, "archiver/db": str(self.db_path), "archiver/mode": mode}.items():
            self.stats.set_value(key, value)

    @staticmethod
    def _open_run(db, start_urls: list[str]) -> int:
        """Close the runs of crawls that died (never a live one's), then open this run."""
        store.mark_interrupted_runs(db)
        return store.start_run(db, start_urls)

    def write(self, write):
        """`write(db)` in one transaction on the writer's thread, retried as the ARCHIVE_WRITE_* settings say;
        waits for it."""
        return self.writer.call(lambda db: write_batch(db, write, **self.retries))

    def process_item(self, item):
        """Queue the item; flush a full (or old) batch; make the crawl wait while the writer is far behind."""
        if isinstance(item, STORED_ITEMS):
            self.keep(item)
        if len(self.pending) >= self.batch_size or time.monotonic() - self.last_flush > self.batch_seconds:
            self.flush()
        if len(self.waiting) > MAX_WAITING_BATCHES:
            return self._once_caught_up(item)
        return item

    async def _once_caught_up(self, item):
        """`item`, once no more than MAX_WAITING_BATCHES wait for the writer (or none will be written)."""
        while len(self.waiting) > MAX_WAITING_BATCHES:
            await self._next_written()
        return item

    def _next_written(self) -> asyncio.Future:
        """Done when the writer is next done with a batch (shared by all who wait: one cancelled waiter
        cancels only itself)."""
        if self.on_written is None:
            self.on_written = asyncio.get_running_loop().create_future()
        return asyncio.shield(self.on_written)

    def item_dropped(self, item, response, exception, spider=None):
        """Record a dropped post as a failure of the run (duplicates are not failures)."""
        if isinstance(item, Post) and not isinstance(exception, DuplicatePost):
            self.keep(CrawlFailure(item.fetched_url or item.url, "dropped", str(exception)))

    def spider_error(self, failure, response, spider=None):
        """A spider callback or errback raised: what it had yielded is kept; the page is recorded as a
        failure (kind "spider-error"), counted, and asked again by the next crawl."""
        url, status = response_address(response, failure)
        self.keep(CrawlFailure(url, "spider-error", f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500], status))

    def item_error(self, item, response, spider=None, failure=None):
        """A pipeline raised on an item (not a DropItem): the item's page is recorded as a failure."""
        url = getattr(item, "fetched_url", None) or getattr(item, "url", None) or getattr(response, "url", "?")
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500] if failure is not None else "error"
        self.keep(CrawlFailure(url, "pipeline-error", reason))

    def keep(self, item) -> None:
        """Queue an item for the next batch, or count it lost once the archive cannot be written."""
        if self.write_error:
            self.lose([item])
        else:
            self.pending.append(item)

    def flush(self):
        """Hand everything pending to the writer as one batch (one transaction), after the batches before it."""
        self.last_flush = time.monotonic()
        if not self.pending or self.write_error:
            return
        self.waiting.append(self.pending)
        self.pending = []
        self._write_next()

    def _write_next(self) -> None:
        """Give the writer the oldest waiting batch unless it is writing one; `_written` follows once it is done."""
        if self.writing is not None or not self.waiting:
            return
        batch = self.writing = self.waiting.popleft()
        counts = run_counts(self.stats)  # as of the batches before, all committed and counted
        job = self.writer.submit(lambda db: self._write_batch(db, batch, counts))
        loop = running_loop() if self.crawler.crawling else None  # a crawl under way runs in its loop
        if loop is None:
            self._written(job)  # driven directly: wait for it
        else:
            job.add_done_callback(lambda job: loop.call_soon_threadsafe(self._written, job))

    def _written(self, job: Future) -> None:
        """The writer is done with its batch: count it, or stop the crawl if it was not written; then the next."""
        try:
            outcomes, seconds = job.result()
        except ArchiveError as error:
            self.fail(error)
        except Exception as error:  # a fault of ours: the batch is lost all the same, and the crawl stops
            logger.error("archive write failed: %r", error)
            self.fail(ArchiveError(f"cannot write to the archive: {error!r}"))
        else:
            self.stats.inc_value("archiver/write/seconds", seconds)
            self.stats.max_value("archiver/write/longest_seconds", round(seconds, 3))
            for item, outcome in zip(self.writing, outcomes):
                self._count(item, outcome)
        self.writing = None
        self._write_next()
        if self.on_written is not None:
            self.on_written.set_result(None)
            self.on_written = None

    def _write_batch(self, db, batch: list, counts: dict) -> tuple[list, float]:
        """On the writer's thread: the batch in one transaction (retried); its outcomes and how long it took."""
        started = time.monotonic()
        outcomes = write_batch(db, lambda db: self._save_all(db, batch, counts), **self.retries)
        return outcomes, time.monotonic() - started

    def _save_all(self, db, batch: list, counts: dict) -> list:
        """Save each item (inside the batch's transaction); renew the run's heartbeat and its counts (as of
        the batch before: a killed run keeps them)."""
        outcomes = [self._save(db, item) for item in batch]
        touch_run(db, self.run_id, counts)
        return outcomes

    def _save(self, db, item):
        """Save one item in a savepoint of the batch: an item the archive refuses (a value SQLite cannot hold, a
        constraint) is recorded as a failure of kind "unwritable", and the batch goes on without it."""
        try:
            with db.atomic():
                return self._save_item(db, item)
        except ITEM_ERRORS as error:
            url = item.fetched_url or item.url if isinstance(item, Post) else item.url
            reason = f"not archived: {type(error).__name__}: {error}"
            with db.atomic():
                self._save_item(db, CrawlFailure(url, "unwritable", reason))
            return UNWRITABLE

    def _save_item(self, db, item):
        """Save one item; return what happened to it (counted only after the commit). A page that answered, a
        post read, an old URL that led to a post leave the retry queue; a failure joins it (store.retries)."""
        if isinstance(item, Post):
            outcome = store.save_post(db, item, run_id=self.run_id)
            store.save_media(db, item.id, item.media)  # the images archiver.pipelines.media fetched (None: media off)
            for url in {item.url, item.fetched_url, *item.aliases} - {None}:
                store.retry_answered(db, url, run_id=self.run_id)
            return outcome
        if isinstance(item, PostAlias):
            store.retry_answered(db, item.url, run_id=self.run_id)
            return store.add_alias(db, item.url, item.post_url)
        if isinstance(item, FetchedPage):  # a post page's answer: gone (404/410), or as stored (304)
            store.save_page(db, item, run_id=self.run_id)
            if item.kind != "post":
                if item.status in GONE_STATUSES or (not item.error and 200 <= item.status < 400):
                    store.retry_answered(db, item.url, run_id=self.run_id)
                return None
            outcome = None  # a post page answers once its post is read (Post above), is gone, or is as archived
            if item.status in GONE_STATUSES:
                outcome = "gone" if store.mark_gone(db, item.url) else None
                store.retry_answered(db, item.url, run_id=self.run_id)
            elif item.status == NOT_MODIFIED and store.mark_seen(db, item.url, run_id=self.run_id, now=item.fetched_at):
                outcome = "unchanged"
                store.retry_answered(db, item.url, run_id=self.run_id)
            return outcome
        store.save_failure(db, run_id=self.run_id, url=item.url, kind=item.kind, reason=item.reason,
                           status=item.status, attempts=item.attempts)
        store.queue_retry(db, url=item.url, kind=item.kind, reason=item.reason, run_id=self.run_id, status=item.status)
        return None

    def _count(self, item, outcome) -> None:
        """Count one committed item in the crawl's stats and the run's figures."""
        if outcome == UNWRITABLE:
            logger.warning("not archived %s: the archive refused it (see crawl_failures)", getattr(item, "url", item))
            self.stats.inc_value("archiver/errors")
            self.stats.inc_value("archiver/errors/unwritable")
        elif isinstance(item, Post):
            self.stats.inc_value(f"archiver/posts/{outcome}")
            self.stats.inc_value(f"archiver/extraction/{item.extraction}")
            self.stats.inc_value("archiver/warnings", len(item.warnings))
            self.figures.add(item)
        elif isinstance(item, PostAlias):
            self.stats.inc_value("archiver/posts/aliases", int(bool(outcome)))
        elif isinstance(item, FetchedPage):
            self.stats.inc_value("archiver/pages/fetched")
            self.stats.inc_value("archiver/pages/not_modified", int(item.status == NOT_MODIFIED))
            self.stats.inc_value("archiver/pages/listings", int(item.kind not in ("post", "feed") and not item.error and item.status < 400))
            self.stats.inc_value("archiver/posts/gone", int(outcome == "gone"))
            self.stats.inc_value("archiver/posts/unchanged", int(outcome == "unchanged"))
        else:
            logger.warning("failed %s: %s", item.url, item.reason)
            self.stats.inc_value("archiver/errors")
            self.stats.inc_value(f"archiver/errors/{item.kind}")

    def fail(self, error: ArchiveError) -> None:
        """A write failed every attempt: say so, count what is lost, and stop the crawl cleanly."""
        self.write_error = str(error)
        self.stats.set_value("archiver/write_error", self.write_error)
        logger.error("archive write failed, stopping the crawl: %s", error)
        self.lose([*(self.writing or []), *chain.from_iterable(self.waiting), *self.pending])  # in the order they came
        self.writing, self.pending = None, []
        self.waiting.clear()
        self.stop_crawl()

    def stop_crawl(self) -> None:
        """Ask Scrapy's engine to close the spider (finish reason WRITE_FAILED), unless it is closing."""
        if not self.closing:
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))

    def lose(self, items: list) -> None:
        """Count items that will not reach the archive (`archiver/unwritten`, and by kind)."""
        for item in items:
            self.stats.inc_value("archiver/unwritten")
            self.stats.inc_value(f"archiver/unwritten/{UNWRITTEN_KINDS[type(item)]}")
            if isinstance(item, Post):
                self.unwritten_posts.append(item.fetched_url or item.url)

    def spider_closed(self, spider, reason):
        """Flush, then, once the writer has written everything, close the run with its counts, figures and
        outcome, whatever happened in the flush (in the crawl's loop: an awaitable Scrapy waits for)."""
        if self.writer is None:
            return None
        self.closing = True
        self.flush()
        if self.writing is not None:
            return self._close_once_written(reason)
        self._close(reason)
        return None

    async def _close_once_written(self, reason: str) -> None:
        while self.writing is not None:
            await self._next_written()
        self._close(reason)

    def _close(self, reason: str) -> None:
        if self.run_id is None:  # the run never opened: nothing to close
            self.writer.close()
            self.writer = None
        else:
            self.close_run(reason)

    def close_run(self, reason: str) -> None:
        """Record the run's outcome (and the posts a failed write lost); if even that fails, say so."""
        self.record_shortfalls()
        self.settle_waiting()
        reports = drift_report(self.figures.as_dict(), self.usual)
        for key, value in field_stats(reports).items():
            self.stats.set_value(key, value)
        fields = {"posts": self.figures.posts, "unchecked": self.figures.unchecked, "fields": reports_as_json(reports)}
        outcome = self.judge(reason, reports)
        self.stats.set_value("archiver/outcome", outcome.name)
        counts, stats = run_counts(self.stats), self.stats.get_stats()
        try:
            self.write(lambda db: self._finish(db, outcome.run_status, fields, counts, stats))
        except ArchiveError as error:
            self.stats.set_value("archiver/close_error", str(error))
            logger.error("could not close run %s in the archive (it stays running): %s", self.run_id, error)
        finally:
            self.writer.close()
            self.writer = None

    def record_shortfalls(self) -> None:
        """The categories whose pages listed fewer posts than they said (spiders/census.py): failures of the
        run, kind "short", written before the run is judged."""
        short = self.stats.get_value("archiver/census/short") or []
        if short and self.write_error is None:
            try:
                self.write(lambda db: [store.save_failure(db, run_id=self.run_id, url=category["url"], kind="short",
                                                          reason=category["reason"]) for category in short])
            except ArchiveError as error:
                self.fail(error)
            self.stats.inc_value("archiver/errors", len(short))
            self.stats.inc_value("archiver/errors/short", len(short))

    def settle_waiting(self) -> None:
        """The listing pages an earlier run failed on that were not due this run are losses of it, unless this
        run's walk read them anyway: those leave `archiver/retries/waiting` (store.retries)."""
        waiting = self.stats.get_value("archiver/retries/waiting") or []
        if waiting and self.write_error is None:
            still = self.writer.call(lambda db: store.unanswered(db, [retry["url"] for retry in waiting]))
            self.stats.set_value("archiver/retries/waiting", [retry for retry in waiting if retry["url"] in still])

    def judge(self, reason: str, reports) -> Outcome:
        """This run's outcome (archiver.crawl.outcomes) from how it ended, its stats and the failures it recorded."""
        failed = self.write_error is not None
        failures = [] if failed else self.writer.call(lambda db: store.run_failures(db, self.run_id))
        drifted = [report.field for report in drifting(reports)]
        return judge(RunFacts.from_stats(self.stats.get_stats(), finish_reason=reason, start_urls=self.start_urls,
                                         failures=failures, drifting=drifted, write_failed=failed))

    def _finish(self, db, status: str, fields: dict, counts: dict, stats: dict) -> None:
        """The run's closing writes, in one transaction."""
        for url in self.unwritten_posts:
            store.save_failure(db, run_id=self.run_id, url=url, kind="unwritten",
                               reason=f"not archived: {self.write_error}")
        store.finish_run(db, self.run_id, status=status, counts=counts, stats=stats, fields=fields)

