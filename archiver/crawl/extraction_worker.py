"""Extraction in a worker process on the crawl's second core: the one place the crawl hands pages to another process.

Why: a full crawl was bound by its main thread (py-spy, 2,000-post replica at b1c03df: 38.2 s of CPU in 36.8 s
wall, ~1.1 cores of 2), and half of that thread's samples were extraction (the post pages' 25.8%, the listings'
23.0%). Here post and listing pages are read by the same pure functions (archiver.extract) in a worker process and
the spiders' callbacks await what it sends back (plain dataclasses); the main thread keeps the engine, the routing,
the pipelines. Measured on that replica (CPU per thread from /proc, one run each, 2 cores shared with other jobs):
the main thread's CPU 34.3 s -> 19.2 s, the worker 14.4 s, the whole crawl's CPU 39.2 s -> 40.2 s; wall 52.1 s ->
45.0 s, the bare Scrapy spider 42.2 s in between (its one thread: 32.5 s of CPU). Paired (`farm-bench -n 3 --vs`
b1c03df, SWITCH_INTERVAL in, load average 3-5 from other jobs): wall 1.01x b1c03df's, CPU 1.11x: where the second
core is busy the worker gains nothing; `make bench` on a quiet machine is the measure that decides the default.

How: a ProcessPoolExecutor of ARCHIVER_EXTRACTION_WORKERS processes (0: extract in the crawl's own process),
started from a forkserver that imports only this module (the crawl has threads: no plain fork), once the crawl has
had ARCHIVER_EXTRACTION_WORKER_AFTER responses: the start costs ~0.5 s of CPU (forkserver and resource tracker),
which a small crawl (the tests': under 200 pages) never pays; until the worker answers, and whenever more than
QUEUED_PER_WORKER pages wait for it (it lags: a busy machine), pages are read in-process. Nothing is lost to the
worker: a page whose extraction raised there, a worker that died (kill -9) or hung (HANG_SECONDS with no answer)
has the page read again in the crawl's own process; a lost or hung worker is given up for the rest of the run
(killed, never left behind), each event counted (stats archiver/extraction_worker/...) and logged as a warning.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import forkserver, resource_tracker

from archiver import urls
from archiver.extract import Extraction, ListingLinks, detect_profile, extract_listing, extract_neighbours, extract_post
from archiver.extract.decode import page_selector
from archiver.extract.listing_entries import ListingEntry, listing_entries
from archiver.extract.page_number import PageNumber, read_page_number
from archiver.extract.recognise import PageIdentity, recognise

HANG_SECONDS = 60.0  # no answer for a page in this long: the worker is hung (a page takes ~10 ms; queues ~2 s)
START_SECONDS = 60.0  # a worker not answering this long after its start is given up (pages read in-process)
# The executor's two threads hand each page to the worker and each reading back, and need the GIL for it while the
# main thread holds it: at Python's 5 ms switch interval the worker waited on them (site2k: main thread 45% busy,
# worker 35%, wall 43.8 s); at 0.5 ms, 33.4 s (one run each, loaded machine). Set while the worker runs.
SWITCH_INTERVAL = 0.0005
QUEUED_PER_WORKER = 64  # more pages than this waiting for a worker (it lags): the next is read in the crawl's process
FAULTS = "ARCHIVER_EXTRACTION_FAULTS"  # tests only: "raise:N,die:M", the worker's Nth page raises, its Mth kills it

logger = logging.getLogger(__name__)


@dataclass
class PostReading:
    """What extraction makes of a post page: the post (None: none found), who the page says it is, its neighbours."""

    extraction: Extraction | None
    identity: PageIdentity
    neighbours: list[str]


@dataclass
class ListingReading:
    """What extraction makes of a listing page: its links, its entries (a revalidation's), its page number."""

    links: ListingLinks
    entries: list[ListingEntry] | None
    number: PageNumber | None


def read_post(url: str, body: bytes, content_type: str | None, profiles, known_id: str | None,
              with_neighbours: bool) -> PostReading:
    """A post page's reading (archiver.extract's functions; `known_id` as extract_post takes it)."""
    page = page_selector(body, url, content_type)
    extraction = extract_post(page, url, profiles, known_id=known_id) if page.type == "html" else None
    neighbours = extract_neighbours(page, url) if with_neighbours and extraction is not None else []
    return PostReading(extraction, recognise(page, url, extraction, len(body)), neighbours)


def read_listing(page, url: str, profiles, with_entries: bool) -> ListingReading:
    """A listing page's reading, from its Selector: links, entries when asked, number when it is a listing's page."""
    profile = detect_profile(page, profiles)
    entries = listing_entries(page, url, profile) if with_entries else None
    number = read_page_number(page, url) if urls.listing_family(url) else None
    return ListingReading(extract_listing(page, url, profile), entries, number)


_profiles = ()  # the worker's: the crawl's profiles, given once at its start
_pages = 0  # the pages this worker read (for FAULTS)


def _start_worker(profiles) -> None:
    """In the worker, once: keep the profiles; leave Ctrl-C to the crawl (it stops the worker itself)."""
    global _profiles
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _profiles = profiles


def _fault() -> None:
    """Tests only (FAULTS, "raise:3,die:30"): the worker's Nth page raises, or kills the worker as kill -9 would."""
    global _pages
    _pages += 1
    for fault in filter(None, os.environ.get(FAULTS, "").split(",")):
        what, _, page = fault.partition(":")
        if what == "die" and page == str(_pages):
            os.kill(os.getpid(), signal.SIGKILL)
        if what == "raise" and page == str(_pages):
            raise RuntimeError(f"{FAULTS}: page {_pages} raises")


def _post_in_worker(url, body, content_type, known_id, with_neighbours) -> PostReading:
    _fault()
    return read_post(url, body, content_type, _profiles, known_id, with_neighbours)


def _listing_in_worker(url, body, content_type, with_entries) -> ListingReading:
    _fault()
    return read_listing(page_selector(body, url, content_type), url, _profiles, with_entries)


class ExtractionWorker:
    """The crawl's extraction worker(s): `post()` and `listing()` await a page's reading from a worker, or read it
    in the crawl's own process (none asked, not started yet, lost, or the page failed there)."""

    def __init__(self, workers: int, after: int, profiles, crawler):
        self.workers, self.after, self.profiles, self.crawler = workers, after, profiles, crawler
        self.responses = 0
        self.waiting = 0  # pages sent to the workers and not answered yet
        self.executor: ProcessPoolExecutor | None = None  # set once a worker has answered
        self.started: ProcessPoolExecutor | None = None  # the one the start made (closed with the crawl even if unused)
        self.starter: threading.Thread | None = None
        self.closed = False
        self.switch_interval = sys.getswitchinterval()  # Python's, put back at the close

    @classmethod
    def from_crawler(cls, crawler, profiles) -> ExtractionWorker:
        settings = crawler.settings
        worker = cls(settings.getint("ARCHIVER_EXTRACTION_WORKERS"), settings.getint("ARCHIVER_EXTRACTION_WORKER_AFTER"),
                     profiles, crawler)
        from scrapy import signals  # here: the worker process, which imports this module, never imports Scrapy

        crawler.signals.connect(worker.close, signal=signals.spider_closed)
        return worker

    async def post(self, url: str, body: bytes, content_type: str | None, known_id: str | None,
                   with_neighbours: bool) -> PostReading:
        """A post page's reading (read_post), from a worker if one answers."""
        args = (url, body, content_type, known_id, with_neighbours)
        reading = await self._in_worker(_post_in_worker, url, args)
        return reading if reading is not None else read_post(url, body, content_type, self.profiles, known_id, with_neighbours)

    async def listing(self, url: str, body: bytes, content_type: str | None, with_entries: bool) -> ListingReading:
        """A listing page's reading (read_listing), from a worker if one answers."""
        reading = await self._in_worker(_listing_in_worker, url, (url, body, content_type, with_entries))
        return reading if reading is not None else read_listing(page_selector(body, url, content_type), url,
                                                                 self.profiles, with_entries)

    async def _in_worker(self, function, url: str, args: tuple):
        """The worker's answer, or None: no worker (yet), or it failed this page (counted, then read in-process)."""
        self.responses += 1
        if self.workers and self.starter is None and self.responses > self.after:
            self._start(asyncio.get_running_loop())
        if self.executor is None or self.waiting >= self.workers * QUEUED_PER_WORKER:
            return None  # no worker, or it has enough to do: this one is read here, on the idle share of this core
        self.waiting += 1
        try:
            future = self.executor.submit(function, *args)
            reading = await asyncio.wait_for(asyncio.wrap_future(future), HANG_SECONDS)
            self.crawler.stats.inc_value("archiver/extraction_worker/pages")
            return reading
        except Exception as error:  # the worker lost (BrokenProcessPool) or hung (TimeoutError), or the page raised there
            self._failed(url, error)
        finally:
            self.waiting -= 1
        return None

    def _failed(self, url: str, error: BaseException) -> None:
        """A page the worker did not read: counted; a worker lost or hung is given up (killed) for the run."""
        self.crawler.stats.inc_value("archiver/extraction_worker/pages_read_here")
        if self.executor is None:  # already given up: the pages it held come back one by one
            return
        if isinstance(error, (BrokenProcessPool, TimeoutError)):
            reason = "no answer in %.0f s" % HANG_SECONDS if isinstance(error, TimeoutError) else "it died"
            self.crawler.stats.set_value("archiver/extraction_worker/lost", reason)
            logger.warning("extraction worker lost (%s, at %s): pages are extracted in the crawl's process from here",
                           reason, url)
            self._stop(kill=True)
        else:
            self.crawler.stats.inc_value("archiver/extraction_worker/page_errors")
            logger.warning("extraction in the worker failed for %s (%s: %s): read in the crawl's process",
                           url, type(error).__name__, error)

    def _start(self, loop) -> None:
        """Start the worker(s) in a thread (a forkserver's start blocks ~0.4 s); the pages go to it once it answers."""
        self.starter = threading.Thread(target=self._start_in_thread, args=(loop,), name="extraction-start", daemon=True)
        self.starter.start()

    def _start_in_thread(self, loop) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                       initargs=(self.profiles,))
        try:
            executor.submit(os.getpid).result(timeout=START_SECONDS)
        except Exception as error:  # no worker: the crawl reads every page itself, as with 0 workers
            logger.warning("extraction worker not started (%s): pages are extracted in the crawl's process", error)
            _kill(executor)
            return
        self.started = executor
        loop.call_soon_threadsafe(self._ready, executor)

    def _ready(self, executor: ProcessPoolExecutor) -> None:
        """On the reactor's thread: the worker answers; its pids said (stat and log) so that it can be found."""
        if self.closed:
            _kill(executor)
            return
        self.executor = executor
        sys.setswitchinterval(SWITCH_INTERVAL)
        pids = sorted(process.pid for process in executor._processes.values())
        self.crawler.stats.set_value("archiver/extraction_worker/pids", pids)
        logger.info("extraction worker started (pid %s) after %d responses", ", ".join(map(str, pids)), self.responses)

    def close(self) -> None:
        """At the spider's close: the worker stopped and waited for, then the forkserver and multiprocessing's
        resource tracker it started (else they outlive the crawl for a moment, then linger as zombies)."""
        self.closed = True
        if self.starter is None:
            return
        self.starter.join(START_SECONDS)
        self._stop(kill=False)
        sys.setswitchinterval(self.switch_interval)
        if self.started is not None and self.started._processes:  # started, never adopted: the crawl ended first
            _kill(self.started)
        forkserver._forkserver._stop()  # the stdlib's own way to stop them (private: used by its tests)
        resource_tracker._resource_tracker._stop()

    def _stop(self, kill: bool) -> None:
        executor, self.executor = self.executor, None
        if executor is not None:
            _kill(executor) if kill else executor.shutdown(wait=True, cancel_futures=True)


def _kill(executor: ProcessPoolExecutor) -> None:
    """The worker processes killed (a hung one would never read the executor's stop), then the executor shut down."""
    for process in list((executor._processes or {}).values()):  # the executor names no other way to its processes
        process.kill()
    executor.shutdown(wait=True, cancel_futures=True)
