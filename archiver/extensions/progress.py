"""The live progress line of a crawl on a terminal: pages, posts and rate, redrawn in place on stderr."""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from archiver.crawl.stop import STOPPING
from archiver.items import Post

CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, and erase it


class ProgressLine:
    """A Scrapy extension, on when ARCHIVER_PROGRESS is (the CLI sets it when stderr is a terminal).

    Every ARCHIVER_PROGRESS_SECONDS it rewrites one line of stderr: `163 pages, 76 posts, 41.2 pages/s`.
    A log line (a warning) first erases it, so the two never share a line; the last figures stay.
    """

    def __init__(self, stream, interval: float):
        self.stream = stream
        self.interval = interval
        self.pages = self.posts = 0
        self.started = time.monotonic()
        self.shown = False
        self.task = LoopingCall(self.draw)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIVER_PROGRESS"):
            raise NotConfigured
        extension = cls(sys.stderr, crawler.settings.getfloat("ARCHIVER_PROGRESS_SECONDS", 0.5))
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
        self.pages += 1

    def item_scraped(self, item, response=None, spider=None) -> None:
        self.posts += isinstance(item, Post)

    def line(self) -> str:
        """`163 pages, 76 posts, 41.2 pages/s`."""
        seconds = max(time.monotonic() - self.started, 1e-6)
        return f"{self.pages} pages, {self.posts} posts, {self.pages / seconds:.1f} pages/s"

    def draw(self) -> None:
        self.stream.write(CLEAR_LINE + self.line())
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
        self.draw()
        self.stream.write("\n")
        self.stream.flush()
        for handler in self.handlers():
            handler.removeFilter(self.erase_before_log)

    def handlers(self) -> list[logging.Handler]:
        """The log's handlers that write where the line is (not a --log-file)."""
        return [handler for handler in logging.root.handlers if getattr(handler, "stream", None) is self.stream]
