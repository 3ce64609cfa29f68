"""Ctrl-C and SIGTERM during a crawl: the first finishes the requests in flight and sends no new one; the second
stops at once. Either way the run is closed "interrupted" with its counts, and the crawl exits 8."""

from __future__ import annotations

import signal
import sys
from collections import deque

from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.ossignal import install_shutdown_handlers
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from archiver.terminal import plural

# Crawler signals of our own (sent with crawler.signals): the first stop (the progress line ends its line), and
# the second, on which the Store closes the run at once (archiver.pipelines.storage).
STOPPING = object()
STOP_NOW = object()
# Scrapy's finish reason for a crawl stopped by a signal, and what the summary says of it.
STOPPED_BY_SIGNAL = "shutdown"
# How often, while it stops, the crawl drops the page requests that reached the downloader after the first signal
# (a retry that was waiting, a redirect) and sends the images of the posts in flight without the download delay.
DRAIN_SECONDS = 0.1


def stopping_line(in_flight: int) -> str:
    """What the first Ctrl-C prints on stderr, at once."""
    return f"Stopping: finishing {plural(in_flight, 'request')} in flight, no new request (Ctrl-C again to stop now)"


class Stopper:
    """The crawl's SIGINT and SIGTERM handlers (in place of Scrapy's, whose stop waits out the download delay of
    every queued request, and whose second signal leaves the run "running").

    First signal: says so on stderr, drops the requests queued in the downloader (never sent: nothing to record)
    and stops the crawl the Scrapy way (no new request from the scheduler; spider closed with reason "shutdown").
    The images of posts in flight are still fetched, without the delay, so their posts are archived whole.
    Second signal: the Store writes what it holds and closes the run now (STOP_NOW), and the reactor stops.
    """

    def __init__(self, crawler, stream=None):
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.drain: LoopingCall | None = None  # made once the reactor runs (making it earlier would install Twisted's default reactor)
        self.signals = 0

    def install(self) -> None:
        install_shutdown_handlers(self.on_signal)

    def uninstall(self) -> None:
        """Once the crawl is over: Python's own handlers again; after a stop, signals ignored while the summary
        is printed (a Ctrl-C pressed once more as the crawl ends still exits 8, not with a traceback)."""
        stopped = bool(self.signals)
        signal.signal(signal.SIGINT, signal.SIG_IGN if stopped else signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_IGN if stopped else signal.SIG_DFL)

    def on_signal(self, signum, frame) -> None:
        """A signal handler does nothing but hand the work to the reactor's thread (no I/O in a handler); before the
        crawl has installed its reactor, the signal is only counted (`started` hands it over)."""
        self.signals += 1
        reactor = sys.modules.get("twisted.internet.reactor")
        if reactor is not None:
            reactor.callFromThread(self.stop_gracefully if self.signals == 1 else self.stop_now)

    def started(self) -> None:
        """The crawl has its reactor: the signals that came before are handled as soon as it runs."""
        from twisted.internet import reactor

        for count in range(1, min(self.signals, 2) + 1):
            reactor.callWhenRunning(self.stop_gracefully if count == 1 else self.stop_now)

    def stop_gracefully(self) -> None:
        self.crawler.signals.send_catch_log(signal=STOPPING)
        self.say(stopping_line(self.in_flight()))
        self.halt()

    def halt(self) -> None:
        """Drop what is queued and stop the crawl, once its engine runs (a Ctrl-C as the crawl starts waits for it)."""
        from twisted.internet import reactor

        engine = self.engine()
        if engine is not None and engine.running:
            self.crawler.signals.send_catch_log(signal=STOPPING)  # again: a progress line that started since ends
            self.drop_queued()
            self.drain = LoopingCall(self.drop_queued)
            self.drain.start(DRAIN_SECONDS, now=False)
            deferred_from_coro(self.crawler.stop_async())
        elif self.crawler.crawling or engine is None:  # still opening: its spider, its run
            reactor.callLater(DRAIN_SECONDS, self.halt)

    def engine(self):
        """The crawl's engine, or None before the crawl creates it (Scrapy's `_engine`, readable that early)."""
        return getattr(self.crawler, "_engine", None)

    def stop_now(self) -> None:
        from twisted.internet import reactor

        if self.signals > 2:
            return
        self.say("Stopping now: closing the run")
        self.crawler.stats.set_value("finish_reason", STOPPED_BY_SIGNAL)
        self.crawler.stats.set_value("archiver/stopped_at_once", True)
        if self.drain is not None and self.drain.running:
            self.drain.stop()
        done = deferred_from_coro(self.crawler.signals.send_catch_log_async(signal=STOP_NOW, reason=STOPPED_BY_SIGNAL))
        done.addBoth(lambda _: reactor.stop() if reactor.running else None)

    def in_flight(self) -> int:
        """Requests sent that have not answered yet."""
        engine = self.engine()
        slots = engine.downloader.slots.values() if engine is not None else ()
        return sum(len(slot.transferring) for slot in slots)

    def drop_queued(self) -> None:
        """Drop the page requests waiting in the downloader for their turn (their errback is not called: they were
        never sent, nothing failed); send the images waiting there at once."""
        downloader = self.engine().downloader if self.engine() is not None else None
        for slot in list(getattr(downloader, "slots", {}).values()):
            images, dropped = deque(), []
            while slot.queue:
                request, deferred = slot.queue.popleft()
                (images if request.callback is NO_CALLBACK else dropped).append((request, deferred))
            slot.queue.extend(images)
            self.crawler.stats.inc_value("archiver/stop/dropped", len(dropped))
            for request, deferred in dropped:
                request.errback = None  # Scrapy then drops an IgnoreRequest silently
                deferred.errback(Failure(IgnoreRequest("not sent: the crawl is stopping")))
            if images:
                slot.delay = 0.0  # the download delay no longer keeps the stop waiting
                slot.close()  # its pending turn cancelled: the queue is sent now
                downloader._process_queue(slot)  # Scrapy's own dispatch, which the delay would have called later

    def say(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
