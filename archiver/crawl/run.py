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
from archiver.crawl.drift import FieldReport, drift_line, drifting, field_table, reports_from_json
from archiver.errors import CrawlError
from archiver.field_counts import run_counts
from archiver.crawl.outcomes import EXIT_BLOCKED, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_UNREACHABLE, OUTCOMES, RunFacts
from archiver.crawl.outcomes import IMPOSTOR_KINDS, losses

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
MEDIA_STATS = "archiver/media/"  # counted by archiver.pipelines.media.PostMedia

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
    process.crawl(crawler, start_urls=list(start_urls))
    stopper = Stopper(crawler)  # Ctrl-C / SIGTERM: ours, not Scrapy's (archiver.crawl.stop)
    stopper.install()
    try:
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
        failures = store.run_failures(db, run_id) if run_id else []
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
    )


def summary_text(summary: CrawlSummary, max_failures: int = 10, *, verbose: bool = False) -> str:
    """The one-paragraph report of a crawl, then the failures with their URL and reason, then drift.

    `verbose` adds one line per checked field (found on this run's posts, the archive's share, warnings).
    """
    c = summary.counts
    methods = ", ".join(f"{n} {name}" for name, n in sorted(summary.methods.items()))
    lines = [
        f"Crawl {summary.finish_reason} in {summary.seconds:.1f} s: {c['pages_fetched']} pages fetched; "
        f"posts: {c['posts_new']} new, {c['posts_updated']} updated, {c['posts_unchanged']} unchanged, "
        f"{c['posts_dropped']} dropped; {c['errors']} errors. {c['warnings']} warning{'s' if c['warnings'] != 1 else ''}."
        + unwritten_text(summary.unwritten)
        + malformed_text(summary.malformed, summary.malformed_examples)
        + media_text(summary.media)
        + (f" Extraction: {methods}." if methods else "")
        + f" Archive: {summary.db_path} ({summary.archive.get('posts', 0)} posts, "
        f"{summary.archive.get('categories', 0)} categories)."
    ]
    for failure in summary.failures[:max_failures]:
        lines.append(f"  {failure['kind']}: {failure['url']} ({failure['reason']})")
    if len(summary.failures) > max_failures:
        lines.append(f"  ... and {len(summary.failures) - max_failures} more (see the crawl_failures table)")
    lines += [f"INCOMPLETE {loss}" for loss in losses(summary)]
    lines += [drift_line(report) for report in summary.drifting]
    if verbose and summary.fields:
        lines += ["Fields found on this run's posts, beside the archive's usual share:", *field_table(summary.fields)]
    return "\n".join(lines)


def malformed_text(count: int, examples: list[dict]) -> str:
    """` 2 malformed links skipped ('http://x:80a/' on https://blog/...).`, or "" for none."""
    if not count:
        return ""
    first = f" ({examples[0]['href']} on {examples[0]['page']}{', ...' if count > 1 else ''})" if examples else ""
    return f" {count} malformed link{'s' if count != 1 else ''} skipped{first}."


def media_text(media: dict[str, int]) -> str:
    """` Images: 12 downloaded, 30 already archived, 2 NOT DOWNLOADED (see post_media).`, or "" for none."""
    if not media:
        return ""
    failed = media.get("failed", 0)
    return (f" Images: {media.get('downloaded', 0)} downloaded, {media.get('uptodate', 0)} already archived"
            + (f", {failed} NOT DOWNLOADED (see post_media)." if failed else "."))


def unwritten_text(unwritten: dict[str, int]) -> str:
    """` 12 items NOT WRITTEN to the archive (8 posts, 4 pages).`, or "" when nothing was lost."""
    if not unwritten:
        return ""
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(unwritten.items()))
    return f" {sum(unwritten.values())} items NOT WRITTEN to the archive ({kinds})."


def incomplete_message(summary: CrawlSummary) -> str | None:
    """The one `Incomplete:` line for stderr when the crawl lost something it was asked for, else None."""
    lost = losses(summary)
    if not lost:
        return None
    more = f" (and {len(lost) - 1} more: see the INCOMPLETE lines above)" if len(lost) > 1 else ""
    return f"Incomplete: {lost[0]}{more}"


def drift_message(summary: CrawlSummary) -> str | None:
    """The one `Drift:` line for stderr when extraction drifted, else None."""
    if not summary.drifting:
        return None
    names = ", ".join(report.field for report in summary.drifting)
    return f"Drift: extraction found less than usual, or doubted it, on {names} (see DRIFT lines above)"


def stderr_lines(summary: CrawlSummary) -> list[str]:
    """What stderr says after the summary: nothing when all went well; else the `Drift:` line when
    fields drifted, then the outcome's one line (`Incomplete: ...`, `Unreachable: ...`), last."""
    outcome = OUTCOMES[summary.outcome]
    if outcome.name == "ok":
        return []
    drift = drift_message(summary)
    own = {"drift": drift, "partial": incomplete_message(summary)}.get(outcome.name)
    own = own or f"{outcome.prefix}: {failure_reason(summary)}"
    return ([drift] if drift and drift != own else []) + [own]


def failure_reason(summary: CrawlSummary) -> str:
    """Why a crawl failed or stopped (error, interrupted, unreachable, blocked), in one line."""
    first = summary.failures[0] if summary.failures else None
    if summary.outcome == "unreachable":
        return "nothing answered" + (f": {first['url']}: {first['reason']}" if first else "")
    if summary.outcome == "blocked":
        return (f"{summary.refusals} of {summary.responses} answers were 403 or 429 (refused, or too many requests); "
                "try later, or slower (DOWNLOAD_DELAY, AUTOTHROTTLE_TARGET_CONCURRENCY)")
    if summary.outcome == "not-the-blog":
        impostors = [failure for failure in summary.failures if failure["kind"] in IMPOSTOR_KINDS]
        first = f" (first: {impostors[0]['url']}: {impostors[0]['reason']})" if impostors else ""
        return (f"{len(impostors)} post pages answered a page that is not the post{first}; maintenance, a parked "
                "domain or a captive portal? The archived posts were kept; the next crawl asks them again")
    if summary.outcome == "interrupted":
        return (f"the crawl stopped before its end ({summary.finish_reason}); what it fetched is archived, "
                "and the next crawl completes the rest")
    if summary.run_id is None:
        return f"the crawl could not start: {summary.write_error or summary.finish_reason}"
    if summary.write_error:
        closed = f"its run could not be closed: {summary.close_error}" if summary.close_error else f"run {summary.run_id} marked failed"
        return (f"the archive could not be written, the crawl stopped: {summary.write_error}; "
                f"{sum(summary.unwritten.values())} items not archived; {closed}")
    return f"run {summary.run_id} could not be closed in the archive: {summary.close_error}"


def raise_if_failed(summary: CrawlSummary) -> None:
    """Raise CrawlError when the crawl failed or stopped (error, interrupted, unreachable, blocked)."""
    if OUTCOMES[summary.outcome].exit_status in FAILING:
        raise CrawlError(failure_reason(summary))
