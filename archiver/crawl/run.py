"""Run the category spider in this process with the project's settings, and summarise the run."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from archiver import store
from archiver.crawl.run_settings import LOCAL_SETTINGS, checked_settings  # noqa: F401 - LOCAL_SETTINGS: the demo takes it from here
from archiver.crawl.stop import Stopper
from archiver.crawl.drift import FieldReport, drifting, reports_from_json
from archiver.errors import CrawlError
from archiver.field_counts import run_counts
from archiver.crawl.outcomes import EXIT_BLOCKED, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_UNREACHABLE, OUTCOMES, RunFacts
from archiver.pipelines.media import FAILED_EXAMPLES
from archiver.store.runs import gone_failures
# The summary's text is the views' (archiver.views.crawl_summary); the demo and the tests take it from here too.
from archiver.views.crawl_summary import drift_message, failure_reason, incomplete_message, stderr_lines, summary_text  # noqa: F401

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
MEDIA_STATS = "archiver/media/"  # counted by archiver.pipelines.media.PostMedia
WARC_STATS = "warc/"  # counted by archiver.extensions.warc_capture.WarcCapture

# The outcomes after which the crawl is a failure, for callers that raise rather than exit (the demo).
FAILING = (EXIT_ERROR, EXIT_UNREACHABLE, EXIT_BLOCKED, EXIT_INTERRUPTED)


@dataclass
class CrawlSummary:
    """What a crawl did, for the one-paragraph report and the exit status."""

    db_path: str
    run_id: int | None
    finish_reason: str
    seconds: float
    counts: dict[str, int]
    methods: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    archive: dict = field(default_factory=dict)
    status: str | None = None  # the crawl_runs status (archiver.store.runs.RUN_STATUSES)
    fields: list[FieldReport] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    listings: int = 0  # listing pages (category, month, home) that answered
    pending: list[dict] = field(default_factory=list)  # listing pages earlier runs failed on, still unread
    malformed: int = 0  # distinct malformed links the listings held (skipped)
    malformed_examples: list[dict] = field(default_factory=list)  # a few: {"href": quoted, "page": URL}
    unwritten: dict[str, int] = field(default_factory=dict)  # items a failed write lost, by kind
    media: dict[str, int] = field(default_factory=dict)  # images of this run's posts: downloaded, uptodate, failed
    write_error: str | None = None  # why the archive could not be written (the crawl stopped)
    close_error: str | None = None  # why even the run could not be closed
    outcome: str = "ok"  # a name of archiver.crawl.outcomes.OUTCOMES
    responses: int = 0  # HTTP answers of any status
    refusals: int = 0  # of which 403 or 429
    mode: str | None = None  # the mode that ran: incremental, revalidate or full (a first crawl walks everything)
    gone: int = 0  # archived posts that answered 404/410: deleted on the blog (their failures are not in `failures`)
    media_failed: list[dict] = field(default_factory=list)  # the first images not downloaded: {url, reason}
    warc: dict = field(default_factory=dict)  # the WARC capture (--warc-dir): dir, files, bytes, records, write_errors
    revalidation: dict = field(default_factory=dict)  # what --revalidate saw on the listings (spiders/revalidation.py)

    @property
    def drifting(self) -> list[FieldReport]:
        return drifting(self.fields)

    @property
    def archived(self) -> int:
        """Posts this run saw and stored: new, updated or unchanged."""
        return sum(self.counts[name] for name in ("posts_new", "posts_updated", "posts_unchanged"))


def run_crawl(start_urls: list[str], db_path: str | Path, overrides: dict | None = None) -> CrawlSummary:
    """Crawl from the start URLs into the archive; blocks until the crawl ends."""
    from spiders.category import CategorySpider

    settings = checked_settings(db_path, overrides)
    store.open_archive(db_path).close()  # fail early, with a clear message, on a bad archive path
    process = CrawlerProcess(settings)
    if str(settings.get("LOG_LEVEL")).upper() not in ("DEBUG", "INFO", "10", "20"):
        # Scrapy's robots.txt middleware logs an unreachable robots.txt as an ERROR with a traceback; the
        # pages behind it fail too, and the summary names each with its reason: no traceback under cron.
        logging.getLogger(ROBOTS_LOGGER).setLevel(logging.CRITICAL)
    crawler = process.create_crawler(CategorySpider)
    started = time.monotonic()
    stopper = Stopper(crawler)  # Ctrl-C / SIGTERM: ours, not Scrapy's (archiver.crawl.stop)
    stopper.install()
    try:
        process.crawl(crawler, start_urls=list(start_urls))  # installs the reactor the handlers hand their work to
        stopper.started()
        process.start(install_signal_handlers=False)
    finally:
        stopper.uninstall()
    return crawl_summary(crawler.stats, db_path, time.monotonic() - started)


def crawl_summary(stats, db_path: str | Path, seconds: float) -> CrawlSummary:
    """A CrawlSummary from a finished crawler's stats and the archive."""
    values = stats.get_stats()
    run_id = values.get("archiver/run_id")
    db = store.open_archive(db_path)
    try:
        gone = {row["id"] for row in gone_failures(db, run_id)} if run_id else set()
        failures = [row for row in store.run_failures(db, run_id) if row["id"] not in gone] if run_id else []
        run = (store.get_run(db, run_id) if run_id else None) or {}
        archive = store.archive_stats(db)
    finally:
        db.close()
    prefix, lost = "archiver/extraction/", "archiver/unwritten/"
    answers = RunFacts.from_stats(values, finish_reason="")
    return CrawlSummary(
        db_path=str(db_path),
        run_id=run_id,
        finish_reason=values.get("finish_reason", "unknown"),
        seconds=seconds,
        counts=run_counts(stats),
        methods={key[len(prefix) :]: n for key, n in values.items() if key.startswith(prefix)},
        failures=failures,
        archive=archive,
        status=run.get("status"),
        fields=reports_from_json((run.get("fields") or {}).get("fields")),
        start_urls=run.get("start_urls") or [],
        listings=values.get("archiver/pages/listings", 0),
        pending=values.get("archiver/retries/waiting", []) if run_id else [],  # no run: nothing lost, an error
        malformed=values.get("archiver/links/malformed", 0),
        malformed_examples=values.get("archiver/links/malformed_examples", []),
        unwritten={key[len(lost) :]: n for key, n in values.items() if key.startswith(lost)},
        media={key[len(MEDIA_STATS):]: n for key, n in values.items() if key.startswith(MEDIA_STATS)},
        write_error=values.get("archiver/write_error"),
        close_error=values.get("archiver/close_error"),
        outcome="error" if run_id is None or values.get("archiver/close_error") else values.get("archiver/outcome", "interrupted"),
        responses=answers.responses,
        refusals=answers.refusals,
        mode=values.get("archiver/mode/effective") or values.get("archiver/mode"),
        gone=values.get("archiver/posts/gone", 0),
        media_failed=values.get(FAILED_EXAMPLES, []),
        warc={key[len(WARC_STATS):]: value for key, value in values.items() if key.startswith(WARC_STATS)},
        revalidation=values.get("archiver/revalidation") or {},
    )


def raise_if_failed(summary: CrawlSummary) -> None:
    """Raise CrawlError when the crawl failed or stopped (error, interrupted, unreachable, blocked)."""
    if OUTCOMES[summary.outcome].exit_status in FAILING:
        raise CrawlError(failure_reason(summary))
