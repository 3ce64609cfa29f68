"""Item pipelines: validate -> clean (sanitise) -> deduplicate -> store, in that order."""

from __future__ import annotations

import logging
import time

import nh3
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from archiver import store, urls
from archiver.drift import drift_report, drifting, reports_as_json
from archiver.extract.text import collapse
from archiver.figures import RunFigures
from archiver.items import CrawlFailure, FetchedPage, Post, PostAlias

logger = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)


class DuplicatePost(DropItem):
    """Raised by Deduplicate for a post already seen in this crawl (not an error)."""


class CountingPipeline:
    """A pipeline that counts what it does in the crawl's stats."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)


class Validate(CountingPipeline):
    """Drop posts without the fields that make them a post (id, title), with the reason.

    A post with a title and no text (an image, a video, an embed) is a post: extraction decides.
    """

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        missing = [name for name in ("id", "title") if not ItemAdapter(item).get(name)]
        if missing:
            for name in missing:
                self.stats.inc_value(f"archiver/dropped/missing_{name}")
            raise DropItem(f"post without {' and '.join(missing)}", log_level="INFO")
        return item


def sanitise_html(html: str | None) -> str | None:
    """HTML a reader can open safely: no script, style, event handlers or javascript: URLs."""
    if not html:
        return html
    return nh3.clean(html, link_rel="noopener noreferrer").strip()


class Clean:
    """Sanitise HTML with nh3 and collapse whitespace in one-line fields."""

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        item.title = collapse(item.title)
        item.author = collapse(item.author) or None
        item.body_html = sanitise_html(item.body_html)
        for category in item.categories:
            category.name = collapse(category.name)
        for comment in item.comments:
            comment.author = collapse(comment.author) or None
            comment.body_html = sanitise_html(comment.body_html)
        return item


class Deduplicate(CountingPipeline):
    """Store a post once per crawl however many URLs and categories lead to it."""

    def __init__(self, stats):
        super().__init__(stats)
        self.seen_ids: set[str] = set()

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        if item.id in self.seen_ids:
            self.stats.inc_value("archiver/posts/duplicate")
            raise DuplicatePost(f"post {item.id} already archived in this crawl", log_level="DEBUG")
        self.seen_ids.add(item.id)
        return item


class Store:
    """Write posts, pages and failures to the archive in batches, one transaction per batch."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("ARCHIVE_DB")
        self.batch_size = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 50)
        self.batch_seconds = crawler.settings.getfloat("ARCHIVE_BATCH_SECONDS", 5.0)
        self.pending: list = []
        self.last_flush = time.monotonic()
        self.db = None
        self.run_id = None
        self.usual: dict = {}
        self.figures = RunFigures()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        self.db = store.open_archive(self.db_path)
        store.mark_interrupted_runs(self.db)
        self.usual = store.usual_figures(self.db)  # the archive as it was before this run wrote anything
        self.run_id = store.start_run(self.db, list(getattr(self.crawler.spider, "start_urls", [])))
        self.stats.set_value("archiver/run_id", self.run_id)
        self.stats.set_value("archiver/db", str(self.db_path))

    def process_item(self, item):
        if isinstance(item, (Post, PostAlias, FetchedPage, CrawlFailure)):
            self.pending.append(item)
        if len(self.pending) >= self.batch_size or time.monotonic() - self.last_flush > self.batch_seconds:
            self.flush()
        return item

    def item_dropped(self, item, response, exception, spider=None):
        """Record a dropped post as a failure of the run (duplicates are not failures)."""
        if isinstance(item, Post) and not isinstance(exception, DuplicatePost):
            self.pending.append(CrawlFailure(item.fetched_url or item.url, "dropped", str(exception)))

    def flush(self):
        """Write everything pending in one transaction."""
        self.last_flush = time.monotonic()
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        with store.batch(self.db):
            for item in batch:
                self._save(item)

    def _save(self, item):
        """Save one item and count what happened."""
        if isinstance(item, Post):
            outcome = store.save_post(self.db, item, run_id=self.run_id)
            self.stats.inc_value(f"archiver/posts/{outcome}")
            self.stats.inc_value(f"archiver/extraction/{item.extraction}")
            self.stats.inc_value("archiver/warnings", len(item.warnings))
            self.figures.add(item)
        elif isinstance(item, PostAlias):
            if store.add_alias(self.db, item.url, item.post_url):
                self.stats.inc_value("archiver/posts/aliases")
        elif isinstance(item, FetchedPage):
            store.save_page(self.db, item, run_id=self.run_id)
            self.stats.inc_value("archiver/pages/fetched")
            if item.kind == "post" and item.status in GONE_STATUSES and store.mark_gone(self.db, urls.stable_id(item.url)):
                self.stats.inc_value("archiver/posts/gone")
        else:
            store.save_failure(self.db, run_id=self.run_id, url=item.url, kind=item.kind, reason=item.reason, status=item.status)
            logger.warning("failed %s: %s", item.url, item.reason)
            self.stats.inc_value("archiver/errors")
            self.stats.inc_value(f"archiver/errors/{item.kind}")

    def spider_closed(self, spider, reason):
        """Close the run with its counts, per-field figures and outcome, whatever the reason the crawl stopped."""
        if self.db is None:
            return
        self.flush()
        reports = drift_report(self.figures.as_dict(), self.usual)
        for key, value in field_stats(reports).items():
            self.stats.set_value(key, value)
        fields = {"posts": self.figures.posts, "unchecked": self.figures.unchecked, "fields": reports_as_json(reports)}
        store.finish_run(
            self.db, self.run_id, status=run_status(reason, reports), counts=run_counts(self.stats),
            stats=self.stats.get_stats(), fields=fields,
        )
        self.db.close()
        self.db = None


def run_status(finish_reason: str, reports) -> str:
    """A run's status: "interrupted" unless the crawl finished; then "drift" if a field drifted, else "finished"."""
    if finish_reason != "finished":
        return store.INTERRUPTED
    return store.DRIFT if drifting(reports) else store.FINISHED


def run_counts(stats) -> dict[str, int]:
    """The counts of a run, as the crawl_runs table and the summary show them."""
    value = stats.get_value
    return {
        "pages_fetched": value("archiver/pages/fetched", 0),
        "posts_new": value("archiver/posts/inserted", 0),
        "posts_updated": value("archiver/posts/updated", 0),
        "posts_unchanged": value("archiver/posts/unchanged", 0),
        "posts_dropped": value("item_dropped_count", 0) - value("archiver/posts/duplicate", 0),
        "errors": value("archiver/errors", 0),
        "warnings": value("archiver/warnings", 0),
    }


def field_stats(reports) -> dict:
    """Namespaced stats of the per-field figures (`archiver/fields/print_url/found`) and the drifting fields."""
    stats = {"archiver/drift": ", ".join(report.field for report in drifting(reports))}
    for report in reports:
        for name in ("posts", "found", "warned"):
            stats[f"archiver/fields/{report.field}/{name}"] = getattr(report, name)
    return stats
