"""The archive's writer: its write connection on a thread of its own, a crawl's items written there in batches.

Namesake of archiver.reader.writer, which writes the offline reader's files (this module writes the archive).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from archiver.field_counts import RunFigures, run_counts
from archiver.errors import ArchiveError
from archiver.items import BlogIdentity, CrawlFailure, FetchedPage, Post, PostAlias
from archiver.store.connection import DEFAULT_BUSY_TIMEOUT, open_archive, write_batch
from archiver.store.crawl_items import NOT_MODIFIED, UNWRITABLE, save_items
from archiver.store.search import compact_index
from archiver.store.runs import finish_run, mark_interrupted_runs, save_failure, start_run, touch_run

T = TypeVar("T")
logger = logging.getLogger(__name__)

# What the writer keeps, and how it counts each kind it could not write (`archiver/unwritten/<kind>`).
UNWRITTEN_KINDS = {Post: "posts", PostAlias: "aliases", FetchedPage: "pages", CrawlFailure: "failures",
                   BlogIdentity: "blog"}
STORED_ITEMS = tuple(UNWRITTEN_KINDS)
# Batches waiting for the writer beyond which the crawl waits for it (`far_behind`).
MAX_WAITING_BATCHES = 2
# A batch is also handed on once the pages in it hold this many bytes of body: a batch of 50 items is ~1 MB of
# post pages, but a burst of month pages (600 KB each on the 20,004-post replica, 31 fetched within seconds)
# made batches of ~18 MB, four of them in memory at once (pending, writing, two waiting). So at most ~4 x 4 MB.
BATCH_BYTES = 4 * 2**20


class ArchiveWriter:
    """An archive's connection on a thread of its own: what is asked of it runs there, one at a time, in order.

    The connection is opened on that thread and never leaves it (sqlite3's same-thread check stays on), so
    a crawl's writes run beside it rather than in it: sqlite3 lets go of the GIL while SQLite works.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
        self.db: Database | None = None
        try:
            self.db = self.thread.submit(open_archive, path, busy_timeout=busy_timeout).result()
        except BaseException:
            self.thread.shutdown()
            raise

    def submit(self, use: Callable[[Database], T]) -> Future[T]:
        """Run `use(db)` on the writer's thread once what was asked before is done; its Future at once."""
        return self.thread.submit(lambda: use(self.db))

    def call(self, use: Callable[[Database], T]) -> T:
        """Run `use(db)` on the writer's thread and wait for its result (or its exception)."""
        return self.submit(use).result()

    def close(self) -> None:
        """Close the connection, after everything asked before, and end the thread."""
        try:
            self.call(lambda db: db.close())
        finally:
            self.thread.shutdown()


class BatchWriter(ArchiveWriter):
    """A crawl's items written on the writer's thread in batches, one transaction each (waiting for a locked
    archive and retried), in order and one batch at a time, while the crawl goes on.

    A batch leaves memory only once its transaction has committed, and is counted (in `stats` and `figures`)
    only then, on the crawl's side: the crawl's event loop is told when a batch is done, and without one (items
    handed over directly, as tests do) the flush waits for it. A batch that still fails after its retries loses
    it and every item after it (counted `archiver/unwritten/...`) and calls `on_failure`.
    """

    def __init__(self, path: str | Path, stats, *, batch_size: int = 50, batch_seconds: float = 5.0,
                 batch_bytes: int = BATCH_BYTES, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, attempts: int = 3, backoff: float = 1.0,
                 in_crawl: Callable[[], bool] = lambda: False, on_failure: Callable[[], None] = lambda: None):
        super().__init__(path, busy_timeout=busy_timeout)
        self.stats = stats
        self.batch_size, self.batch_seconds, self.batch_bytes = batch_size, batch_seconds, batch_bytes
        self.last_flush = time.monotonic()
        self.retries = {"attempts": attempts, "backoff": backoff}
        self.in_crawl = in_crawl  # whether a crawl under way runs in the calling thread's event loop
        self.on_failure = on_failure
        self.run_id: int | None = None
        self.pending: list = []  # the batch being filled
        self.pending_bytes = 0  # the bytes of the pages' bodies in it
        self.waiting: deque[list] = deque()  # batches for the writer's thread, in turn
        self.writing: list | None = None  # the batch the writer's thread has: one at most
        self.progress = asyncio.Event()  # set each time the writer is done with a batch
        self.error: str | None = None  # why the archive could not be written: nothing is kept after it
        self.unwritten_posts: list[str] = []  # URLs of the posts a failed write lost, for crawl_failures
        self.figures = RunFigures()

    def write(self, write: Callable[[Database], T]) -> T:
        """`write(db)` in one transaction on the writer's thread, retried; waits for it."""
        return self.call(lambda db: write_batch(db, write, **self.retries))

    def open_run(self, start_urls: list[str]) -> int:
        """Close the runs of crawls that died (never a live one's), then open this run; its id."""
        def open_(db: Database) -> int:
            mark_interrupted_runs(db)
            return start_run(db, start_urls)

        self.run_id = self.write(open_)
        return self.run_id

    def add(self, item) -> None:
        """Keep an item the archive keeps (STORED_ITEMS); hand the batch to the writer's thread once it holds
        `batch_size` items or `batch_bytes` bytes of pages' bodies, or `batch_seconds` went by since the last one."""
        if isinstance(item, STORED_ITEMS):
            self.keep(item)
        if (len(self.pending) >= self.batch_size or self.pending_bytes >= self.batch_bytes
                or time.monotonic() - self.last_flush > self.batch_seconds):
            self.flush()

    def keep(self, item) -> None:
        """Queue an item for the next batch, or count it lost once the archive cannot be written."""
        if self.error:
            self.lose([item])
        else:
            self.pending.append(item)
            self.pending_bytes += len(item.body) if isinstance(item, FetchedPage) and item.body else 0

    def flush(self) -> None:
        """Hand everything pending to the writer as one batch (one transaction), after the batches before it."""
        self.last_flush = time.monotonic()
        if not self.pending or self.error:
            return
        self.waiting.append(self.pending)
        self.pending, self.pending_bytes = [], 0
        self._write_next()

    def far_behind(self) -> bool:
        """Whether more than MAX_WAITING_BATCHES batches wait for the writer: the crawl waits for it then."""
        return len(self.waiting) > MAX_WAITING_BATCHES

    async def until(self, condition: Callable[[], bool]) -> None:
        """Let the crawl's loop run until `condition()` holds, looked at each time the writer is done with a batch."""
        while not condition():
            self.progress.clear()
            await self.progress.wait()

    def _write_next(self) -> None:
        """Give the writer the oldest waiting batch unless it is writing one; `_written` follows once it is done."""
        if self.writing is not None or not self.waiting:
            return
        batch = self.writing = self.waiting.popleft()
        counts = run_counts(self.stats)  # as of the batches before, all committed and counted
        job = self.submit(lambda db: self._write_batch(db, batch, counts))
        loop = running_loop() if self.in_crawl() else None
        if loop is None:
            self._written(job)  # no crawl's loop to tell: wait for it
        else:
            job.add_done_callback(lambda job: loop.call_soon_threadsafe(self._written, job))

    def _written(self, job: Future) -> None:
        """The writer is done with its batch: count it, or lose it and all after it; then the next."""
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
        self.progress.set()

    def _write_batch(self, db: Database, batch: list, counts: dict) -> tuple[list, float]:
        """On the writer's thread: the batch in one transaction (retried), with the run's heartbeat and its
        counts (as of the batch before: a killed run keeps them); its outcomes and how long it took."""
        started = time.monotonic()

        def save_all(db: Database) -> list:
            outcomes = save_items(db, batch, self.run_id)
            touch_run(db, self.run_id, counts)
            return outcomes

        outcomes = write_batch(db, save_all, **self.retries)
        return outcomes, time.monotonic() - started

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
        elif isinstance(item, BlogIdentity):
            self.stats.set_value("archiver/blog/identity", outcome)  # new, changed or unchanged
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
        """A write failed every attempt: say so, count what is lost, and call `on_failure` (the crawl stops)."""
        self.error = str(error)
        self.stats.set_value("archiver/write_error", self.error)
        logger.error("archive write failed, stopping the crawl: %s", error)
        self.lose([*(self.writing or []), *chain.from_iterable(self.waiting), *self.pending])  # in the order they came
        self.writing, self.pending, self.pending_bytes = None, [], 0
        self.waiting.clear()
        self.on_failure()

    def lose(self, items: list) -> None:
        """Count items that will not reach the archive (`archiver/unwritten`, and by kind)."""
        for item in items:
            self.stats.inc_value("archiver/unwritten")
            self.stats.inc_value(f"archiver/unwritten/{UNWRITTEN_KINDS[type(item)]}")
            if isinstance(item, Post):
                self.unwritten_posts.append(item.fetched_url or item.url)

    def close_run(self, status: str, fields: dict, counts: dict, stats: dict) -> None:
        """The run's closing writes, in one transaction: the posts a failed write lost, then its outcome."""
        def close(db: Database) -> None:
            for url in self.unwritten_posts:
                save_failure(db, run_id=self.run_id, url=url, kind="unwritten", reason=f"not archived: {self.error}")
            finish_run(db, self.run_id, status=status, counts=counts, stats=stats, fields=fields)

        self.write(close)

    def compact_search_index(self) -> bool:
        """Once the run is closed: the full-text index merged into one segment (store.search.compact_index), which
        makes searches faster. A failure leaves the index whole, only slower to search: a warning, never the run's."""
        try:
            return self.call(compact_index)
        except sqlite3.Error as error:
            logger.warning("the full-text index was not compacted (searches stay right, only slower): %s", error)
            return False


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
