"""The archive's writes on a thread of their own: the crawl's loop goes on while a batch is written, in order,
one batch at a time, and waits for the writer only when it falls behind."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from scrapy.utils.test import get_crawler

from archiver import store
from archiver.items import FetchedPage, Post
from archiver.pipelines.storage import Store
from archiver.store.writer import MAX_WAITING_BATCHES, ArchiveWriter, BatchWriter
from running_crawls import write_lock

BLOG = "http://blog.invalid"


def post(number: int) -> Post:
    url = f"{BLOG}/archive/2022/02/04/billet-{6362100 + number}.html"
    return Post(str(6362100 + number), url, title=f"Billet {number}", body_text="Bamako.")


def store_pipeline(db_path, **settings) -> Store:
    """A Store pipeline on a real archive, its run opened, as a crawl's engine drives it in its loop;
    `stopped` records that it asked the crawl to stop."""
    crawler = get_crawler(settings_dict={"ARCHIVE_DB": str(db_path), **settings})
    crawler.crawling = True  # a crawl under way: the pipeline hands its batches to the writer's thread
    pipeline = Store.from_crawler(crawler)
    pipeline.stopped = []
    pipeline.stop_crawl = lambda: pipeline.stopped.append(True)
    pipeline.open_archive()
    return pipeline


def hold_writer(pipeline: Store) -> threading.Event:
    """Keep the writer's thread busy until the returned event is set (a slow disk, say)."""
    gate = threading.Event()
    pipeline.writer.submit(lambda db: gate.wait(10))
    return gate


def in_own_loop(crawl) -> None:
    """Run the coroutine function `crawl` in an event loop of its own (on a thread of its own: another test may
    have left a loop registered on this one)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, crawl()).result()


async def until(condition, seconds: float = 10) -> None:
    """Let the loop run until `condition()` holds."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


# -- the writer: one connection, on one thread -------------------------------------------------


def test_the_archive_connection_lives_on_the_writer_thread_only(tmp_path):
    writer = ArchiveWriter(tmp_path / "a.db")
    assert writer.call(lambda db: threading.current_thread().name).startswith("archive-writer")
    with pytest.raises(sqlite3.ProgrammingError, match="same thread"):
        writer.db.execute("SELECT 1")  # sqlite3's check stays on: this thread may not use it
    writer.close()
    with pytest.raises(RuntimeError, match="shutdown"):  # closed, and its thread gone
        writer.submit(lambda db: None)


def test_the_writer_runs_what_it_is_asked_in_order_one_at_a_time(tmp_path):
    writer = ArchiveWriter(tmp_path / "a.db")
    events = []

    def job(number):
        def run(db):
            events.append(("start", number))
            db.execute("SELECT count(*) FROM posts").fetchone()
            events.append(("end", number))
        return run

    for future in [writer.submit(job(n)) for n in range(5)]:
        future.result()
    writer.close()
    assert events == [(edge, n) for n in range(5) for edge in ("start", "end")]


def test_the_batch_writer_alone_writes_a_full_batch_and_counts_it_once_committed(tmp_path):
    stats = get_crawler().stats
    writer = BatchWriter(tmp_path / "a.db", stats, batch_size=2)
    run_id = writer.open_run([BLOG])
    writer.add(post(1))
    assert writer.pending == [post(1)] and stats.get_value("archiver/posts/inserted") is None
    writer.add(FetchedPage(post(1).url, 200, "post"))  # a full batch; no crawl's loop to tell: the flush waits for it
    assert (writer.pending, writer.writing) == ([], None)
    assert (stats.get_value("archiver/posts/inserted"), stats.get_value("archiver/pages/fetched")) == (1, 1)
    writer.close()
    db = store.open_archive(tmp_path / "a.db")
    assert [row["id"] for row in db["posts"].rows] == ["6362101"] and store.get_run(db, run_id)["status"] == "running"


def test_a_batch_goes_to_the_writer_once_its_pages_hold_batch_bytes(tmp_path):
    stats = get_crawler().stats
    writer = BatchWriter(tmp_path / "a.db", stats, batch_size=50, batch_bytes=1000)
    writer.open_run([BLOG])
    writer.add(FetchedPage(f"{BLOG}/archive/2022/02/index.html", 200, "month", body=b"x" * 600))
    assert len(writer.pending) == 1 and stats.get_value("archiver/pages/fetched") is None
    writer.add(FetchedPage(f"{BLOG}/archive/2022/03/index.html", 200, "month", body=b"x" * 600))  # 1,200 bytes
    assert (writer.pending, writer.pending_bytes, stats.get_value("archiver/pages/fetched")) == ([], 0, 2)
    writer.close()


# -- the Store pipeline in the crawl's loop ----------------------------------------------------


def test_the_loop_goes_on_while_a_batch_is_written_and_it_is_counted_once_committed(tmp_path):
    pipeline = store_pipeline(tmp_path / "a.db", ARCHIVE_BATCH_SIZE=2)
    stats = pipeline.crawler.stats

    async def crawl():
        gate = hold_writer(pipeline)
        assert pipeline.process_item(post(1)) == post(1)
        assert pipeline.process_item(FetchedPage(post(1).url, 200, "post")).url == post(1).url  # a full batch
        assert pipeline.writing is not None and stats.get_value("archiver/posts/inserted") is None  # not yet
        gate.set()
        await until(lambda: pipeline.writing is None)
        assert stats.get_value("archiver/posts/inserted") == 1
        pipeline.process_item(post(2))
        await pipeline.spider_closed(None, "finished")  # the last batch, then the run's close

    in_own_loop(crawl)
    db = store.open_archive(tmp_path / "a.db")
    run = store.get_run(db, pipeline.run_id)
    assert (run["status"], run["posts_new"], run["pages_fetched"]) == ("finished", 2, 1)
    assert [row["id"] for row in db["posts"].rows] == ["6362101", "6362102"]


def test_a_crawl_far_ahead_of_the_writer_waits_for_it(tmp_path):
    pipeline = store_pipeline(tmp_path / "a.db", ARCHIVE_BATCH_SIZE=1)

    async def crawl():
        gate = hold_writer(pipeline)
        for number in range(1, MAX_WAITING_BATCHES + 2):  # one batch for the writer, then the waiting ones
            assert pipeline.process_item(post(number)) == post(number)
        late = pipeline.process_item(post(9))  # one batch too many
        assert asyncio.iscoroutine(late) and len(pipeline.waiting) == MAX_WAITING_BATCHES + 1
        waited = asyncio.ensure_future(late)
        await asyncio.sleep(0.05)
        assert not waited.done()
        gate.set()
        assert await waited == post(9)
        await pipeline.spider_closed(None, "finished")

    in_own_loop(crawl)
    db = store.open_archive(tmp_path / "a.db")
    assert [row["id"] for row in db["posts"].rows] == ["6362101", "6362102", "6362103", "6362109"]
    assert store.get_run(db, pipeline.run_id)["posts_new"] == 4


def test_an_item_whose_wait_is_cancelled_leaves_the_others_waiting(tmp_path):
    pipeline = store_pipeline(tmp_path / "a.db", ARCHIVE_BATCH_SIZE=1)

    async def crawl():
        gate = hold_writer(pipeline)
        for number in range(1, MAX_WAITING_BATCHES + 2):
            pipeline.process_item(post(number))
        cancelled, waited = (asyncio.ensure_future(pipeline.process_item(post(number))) for number in (8, 9))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        await asyncio.sleep(0.05)
        assert cancelled.cancelled() and not waited.done()
        gate.set()
        assert await waited == post(9)
        await pipeline.spider_closed(None, "finished")

    in_own_loop(crawl)
    db = store.open_archive(tmp_path / "a.db")
    assert db["posts"].count == MAX_WAITING_BATCHES + 3  # the cancelled item's batch was handed over all the same


def test_a_write_that_fails_in_the_loop_loses_every_batch_after_it_in_order_and_stops_the_crawl(tmp_path):
    policy = {"ARCHIVE_BUSY_TIMEOUT": 0.05, "ARCHIVE_WRITE_ATTEMPTS": 2, "ARCHIVE_WRITE_BACKOFF": 0}
    pipeline = store_pipeline(tmp_path / "a.db", ARCHIVE_BATCH_SIZE=1, **policy)
    stats = pipeline.crawler.stats

    async def crawl():
        with write_lock(tmp_path / "a.db"):
            gate = hold_writer(pipeline)
            waiting = [pipeline.process_item(post(number)) for number in range(1, 6)]  # the last two wait
            gate.set()
            assert await asyncio.gather(*waiting[-2:]) == [post(4), post(5)]  # released: nothing will be written
            assert pipeline.stopped == [True] and pipeline.writing is None and not pipeline.waiting
        pipeline.process_item(post(6))  # met while the crawl stops: never queued, counted
        assert pipeline.spider_closed(None, "archive_write_failed") is None  # nothing left to wait for

    in_own_loop(crawl)
    assert (stats.get_value("archiver/unwritten/posts"), stats.get_value("archiver/posts/inserted")) == (6, None)
    db = store.open_archive(tmp_path / "a.db")
    assert db["posts"].count == 0
    lost = [failure["url"] for failure in store.run_failures(db, pipeline.run_id)]
    assert lost == [post(number).url for number in range(1, 7)]
    assert store.get_run(db, pipeline.run_id)["status"] == "failed"
