"""The live progress line of a crawl on a terminal: pages (of the total, once known), images, posts, rate and time left."""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http.request import NO_CALLBACK
from twisted.internet.task import LoopingCall

from archiver.crawl.progress_figures import Figures, RecentRate, progress_text
from archiver.crawl.stop import STOPPING
from archiver.items import Post

EXPECTED_STAT = "archiver/plan/pages_expected"  # the pages the spider has decided to fetch, once it knows

CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, and erase it


class ProgressLine:
    """A Scrapy extension, on when ARCHIVER_PROGRESS is (the CLI sets it when stderr is a terminal).

    Every ARCHIVER_PROGRESS_SECONDS it rewrites one line of stderr: `21 of 80 pages, 5 images, 12 posts,
    1.3 pages/s, about 1 min left` (the total and the time left once the spider publishes EXPECTED_STAT; the
    arithmetic is archiver/crawl/progress_figures.py). A log line (a warning) first erases it, so the two never
    share a line; the last figures stay.
    """

    def __init__(self, stream, interval: float, stats=None):
        self.stream = stream
        self.interval = interval
        self.stats = stats
        self.pages = self.images = self.posts = 0
        self.recent = RecentRate()
        self.started = time.monotonic()
        self.shown = False
        self.task = LoopingCall(self.draw)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIVER_PROGRESS"):
            raise NotConfigured
        extension = cls(sys.stderr, crawler.settings.getfloat("ARCHIVER_PROGRESS_SECONDS", 0.5), crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.spider_closed, signal=STOPPING)  # Ctrl-C: the line ends before "Stopping: ..."
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def spider_opened(self, spider=None) -> None:
        self.started = time.monotonic()
        for handler in self.handlers():
            handler.addFilter(self.erase_before_log)
        self.task.start(self.interval, now=True)

    def response_received(self, response=None, request=None, spider=None) -> None:
        """A page (a request with a callback), or an image (the media pipeline's); robots.txt is neither."""
        if request is not None and request.callback is NO_CALLBACK:
            self.images += not request.meta.get("dont_obey_robotstxt")
            return
        self.pages += 1
        self.recent.tick(time.monotonic())

    def item_scraped(self, item, response=None, spider=None) -> None:
        self.posts += isinstance(item, Post)

    def figures(self, final: bool = False) -> Figures:
        """The counts now, the recent rate (the whole run's once it is over) and the spider's expected total."""
        now = time.monotonic()
        rate = self.pages / max(now - self.started, 1e-6) if final else self.recent.per_second(now)
        expected = self.stats.get_value(EXPECTED_STAT) if self.stats is not None else None
        return Figures(self.pages, self.images, self.posts, rate, expected)

    def line(self, final: bool = False) -> str:
        """`21 of 80 pages, 5 images, 12 posts, 1.3 pages/s, about 1 min left`."""
        return progress_text(self.figures(final), final)

    def draw(self, final: bool = False) -> None:
        self.stream.write(CLEAR_LINE + self.line(final))
        self.stream.flush()
        self.shown = True

    def erase_before_log(self, record) -> bool:
        """A logging filter: erase the progress line before the record is written (it is redrawn after)."""
        if self.shown:
            self.stream.write(CLEAR_LINE)
            self.shown = False
        return True

    def spider_closed(self, spider=None, reason=None) -> None:
        """Draw the last figures, end the line, and let the log alone (once: at a stop, or at the close)."""
        if not self.task.running:
            return
        self.task.stop()
        self.draw(final=True)
        self.stream.write("\n")
        self.stream.flush()
        for handler in self.handlers():
            handler.removeFilter(self.erase_before_log)

    def handlers(self) -> list[logging.Handler]:
        """The log's handlers that write where the line is (not a --log-file)."""
        return [handler for handler in logging.root.handlers if getattr(handler, "stream", None) is self.stream]
