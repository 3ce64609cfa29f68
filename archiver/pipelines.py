"""Item pipelines, in order: Validate -> Clean -> Deduplicate (archiver.checks) -> Store, the archive's writes."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

from archiver import store
from archiver.checks import Clean, CountingPipeline, Deduplicate, DuplicatePost, Validate, sanitise_html
from archiver.drift import drift_report, drifting, field_stats, reports_as_json
from archiver.errors import ArchiveError
from archiver.figures import RunFigures, run_counts
from archiver.items import CrawlFailure, FetchedPage, Post, PostAlias
from archiver.outcomes import Outcome, RunFacts, judge, run_status
from archiver.store.connection import DEFAULT_BUSY_TIMEOUT, write_batch
from archiver.store.runs import run_owner, touch_run

__all__ = ["Clean", "CountingPipeline", "Deduplicate", "DuplicatePost", "Store", "Validate", "run_status", "sanitise_html"]

logger = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)
NOT_MODIFIED = 304
# The finish reason of a crawl stopped because the archive could not be written.
WRITE_FAILED = "archive_write_failed"
# What the Store pipeline writes, and how it counts each kind it could not write.
UNWRITTEN_KINDS = {Post: "posts", PostAlias: "aliases", FetchedPage: "pages", CrawlFailure: "failures"}
STORED_ITEMS = tuple(UNWRITTEN_KINDS)


class Store:
    """Write posts, pages and failures to the archive in batches, one transaction per batch.

    A batch leaves memory only once its transaction has committed, and is counted only then. A
    transaction that still fails after its retries stops the crawl (finish reason WRITE_FAILED):
    what could not be written is counted (`archiver/unwritten/...`), the run is closed "failed".
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
        self.pending: list = []
        self.unwritten_posts: list[str] = []  # URLs of the posts a failed write lost, for crawl_failures
        self.write_error: str | None = None
        self.closing = False
        self.last_flush = time.monotonic()
        self.db = None
        self.run_id = None
        self.start_urls: list[str] = []
        self.usual: dict = {}
        self.figures = RunFigures()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        """Open the archive and this run; if the run cannot be written, the crawl closes before it starts."""
        self.db = store.open_archive(self.db_path, busy_timeout=self.busy_timeout)
        self.start_urls = list(getattr(self.crawler.spider, "start_urls", []))
        self.usual = store.usual_figures(self.db)  # the archive as it was before this run wrote anything
        try:
            self.run_id = self.write(lambda db: self._open_run(self.start_urls))
        except ArchiveError as error:
            self.write_error = str(error)
            self.stats.set_value("archiver/write_error", self.write_error)
            raise CloseSpider(WRITE_FAILED) from error
        mode = self.crawler.settings.get("ARCHIVER_CRAWL_MODE")
        for key, value in {**run_owner(), "archiver/run_id": self.run_id, "archiver/db": str(self.db_path), "archiver/mode": mode}.items():
            self.stats.set_value(key, value)

    def _open_run(self, start_urls: list[str]) -> int:
        """Close the runs of crawls that died (never a live one's), then open this run."""
        store.mark_interrupted_runs(self.db)
        return store.start_run(self.db, start_urls)

    def write(self, write):
        """`write(db)` in one transaction, retried as the ARCHIVE_WRITE_* settings say."""
        return write_batch(self.db, write, **self.retries)

    def process_item(self, item):
        if isinstance(item, STORED_ITEMS):
            self.keep(item)
        if len(self.pending) >= self.batch_size or time.monotonic() - self.last_flush > self.batch_seconds:
            self.flush()
        return item

    def item_dropped(self, item, response, exception, spider=None):
        """Record a dropped post as a failure of the run (duplicates are not failures)."""
        if isinstance(item, Post) and not isinstance(exception, DuplicatePost):
            self.keep(CrawlFailure(item.fetched_url or item.url, "dropped", str(exception)))

    def keep(self, item) -> None:
        """Queue an item for the next batch, or count it lost once the archive cannot be written."""
        if self.write_error:
            self.lose([item])
        else:
            self.pending.append(item)

    def flush(self):
        """Write everything pending in one transaction; count it once committed, or stop the crawl."""
        self.last_flush = time.monotonic()
        if not self.pending or self.write_error:
            return
        batch, started = list(self.pending), time.monotonic()
        try:
            outcomes = self.write(lambda db: self._save_all(batch))
        except ArchiveError as error:
            self.fail(error)
            return
        del self.pending[: len(batch)]
        seconds = time.monotonic() - started
        self.stats.inc_value("archiver/write/seconds", seconds)
        self.stats.max_value("archiver/write/longest_seconds", round(seconds, 3))
        for item, outcome in zip(batch, outcomes):
            self._count(item, outcome)

    def _save_all(self, batch: list) -> list:
        """Save each item (inside the batch's transaction); renew the run's heartbeat and its counts (as of
        the batch before: a killed run keeps them)."""
        outcomes = [self._save(item) for item in batch]
        touch_run(self.db, self.run_id, run_counts(self.stats))
        return outcomes

    def _save(self, item):
        """Save one item; return what happened to it (counted only after the commit)."""
        if isinstance(item, Post):
            outcome = store.save_post(self.db, item, run_id=self.run_id)
            store.save_media(self.db, item.id, item.media)  # the images archiver.media fetched (None: media off)
            return outcome
        if isinstance(item, PostAlias):
            return store.add_alias(self.db, item.url, item.post_url)
        if isinstance(item, FetchedPage):  # a post page's answer: gone (404/410), or as stored (304)
            store.save_page(self.db, item, run_id=self.run_id)
            if item.kind == "post" and item.status in GONE_STATUSES:
                return "gone" if store.mark_gone(self.db, item.url) else None
            if item.kind == "post" and item.status == NOT_MODIFIED:
                return "unchanged" if store.mark_seen(self.db, item.url, run_id=self.run_id) else None
            return None
        store.save_failure(self.db, run_id=self.run_id, url=item.url, kind=item.kind, reason=item.reason,
                           status=item.status, attempts=item.attempts)
        return None

    def _count(self, item, outcome) -> None:
        """Count one committed item in the crawl's stats and the run's figures."""
        if isinstance(item, Post):
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
        self.lose(self.pending)
        self.pending = []
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
        """Flush, then close the run with its counts, figures and outcome, whatever happened in the flush."""
        if self.db is None:
            return
        self.closing = True
        try:
            self.flush()
        finally:
            if self.run_id is None:  # the run never opened: nothing to close
                self.db.close()
                self.db = None
            else:
                self.close_run(reason)

    def close_run(self, reason: str) -> None:
        """Record the run's outcome (and the posts a failed write lost); if even that fails, say so."""
        reports = drift_report(self.figures.as_dict(), self.usual)
        for key, value in field_stats(reports).items():
            self.stats.set_value(key, value)
        fields = {"posts": self.figures.posts, "unchecked": self.figures.unchecked, "fields": reports_as_json(reports)}
        outcome = self.judge(reason, reports)
        self.stats.set_value("archiver/outcome", outcome.name)
        try:
            self.write(lambda db: self._finish(outcome.run_status, fields))
        except ArchiveError as error:
            self.stats.set_value("archiver/close_error", str(error))
            logger.error("could not close run %s in the archive (it stays running): %s", self.run_id, error)
        finally:
            self.db.close()
            self.db = None

    def judge(self, reason: str, reports) -> Outcome:
        """This run's outcome (archiver.outcomes) from how it ended, its stats and the failures it recorded."""
        failed = self.write_error is not None
        failures = [] if failed else store.run_failures(self.db, self.run_id)
        drifted = [report.field for report in drifting(reports)]
        return judge(RunFacts.from_stats(self.stats.get_stats(), finish_reason=reason, start_urls=self.start_urls,
                                         failures=failures, drifting=drifted, write_failed=failed))

    def _finish(self, status: str, fields: dict) -> None:
        """The run's closing writes, in one transaction."""
        for url in self.unwritten_posts:
            store.save_failure(self.db, run_id=self.run_id, url=url, kind="unwritten",
                               reason=f"not archived: {self.write_error}")
        store.finish_run(self.db, self.run_id, status=status, counts=run_counts(self.stats),
                         stats=self.stats.get_stats(), fields=fields)

