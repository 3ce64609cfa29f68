"""Writes that cannot lose a batch: a locked archive is waited for, retried, and what is lost is counted."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
import sqlite_utils
from scrapy.utils.test import get_crawler

from archiver import store
from archiver.errors import ArchiveError
from archiver.items import CrawlFailure, FetchedPage, Post
from archiver.pipelines.storage import Store
from archiver.replica import ReplicaServer, load_ground_truth
from archiver.store.connection import write_batch
from archiver.store.runs import decode_run
from conftest import LOCAL, PROJECT, run_archiver
from running_crawls import write_lock
from running_crawls import wait_for_posts

BLOG = "http://blog.invalid"
# A lock that outlasts the busy timeout and the retries: 2 attempts of 1 s, 0.2 s apart.
IMPATIENT = ["-s", "ARCHIVE_BUSY_TIMEOUT=1", "-s", "ARCHIVE_WRITE_ATTEMPTS=2", "-s", "ARCHIVE_WRITE_BACKOFF=0.2"]


def post(number: int, **fields) -> Post:
    url = f"{BLOG}/archive/2022/02/04/billet-{6362100 + number}.html"
    return Post(str(6362100 + number), url, title=f"Billet {number}", body_text="Bamako.", **fields)


def store_pipeline(db_path, **settings) -> tuple[Store, object]:
    """A Store pipeline on a real archive with an impatient write policy, its run opened.

    No engine runs here: `stopped` records that the pipeline asked for the crawl to stop.
    """
    policy = {"ARCHIVE_BUSY_TIMEOUT": 0.05, "ARCHIVE_WRITE_ATTEMPTS": 2, "ARCHIVE_WRITE_BACKOFF": 0}
    crawler = get_crawler(settings_dict={"ARCHIVE_DB": str(db_path), **policy, **settings})
    pipeline = Store.from_crawler(crawler)
    pipeline.stopped = []
    pipeline.stop_crawl = lambda: pipeline.stopped.append(True)
    pipeline.open_archive()
    return pipeline, crawler.stats


# -- one transaction, retried ------------------------------------------------------------------


def test_a_transaction_refused_by_a_lock_is_retried_and_commits_once_the_lock_is_gone(tmp_path):
    db = store.open_archive(tmp_path / "a.db", busy_timeout=0.05)
    with write_lock(tmp_path / "a.db") as locker:
        run_id = write_batch(db, lambda db: store.start_run(db, [BLOG]), attempts=2, sleep=lambda _: locker.execute("ROLLBACK"))
    assert store.get_run(db, run_id)["status"] == "running"


def test_a_transaction_that_fails_every_attempt_writes_nothing_and_says_why(tmp_path):
    db = store.open_archive(tmp_path / "a.db", busy_timeout=0.05)
    pauses = []
    with write_lock(tmp_path / "a.db"), pytest.raises(ArchiveError, match=r"\(3 attempts\): database is locked"):
        write_batch(db, lambda db: store.start_run(db, [BLOG]), attempts=3, backoff=0.5, sleep=pauses.append)
    assert pauses == [0.5, 1.0]
    assert db["crawl_runs"].count == 0


# -- the Store pipeline: nothing leaves memory before it is committed ----------------------------


def test_a_batch_the_archive_refused_is_counted_unwritten_and_the_run_closed_failed(tmp_path):
    pipeline, stats = store_pipeline(tmp_path / "a.db", ARCHIVE_BATCH_SIZE=2)
    pipeline.process_item(post(1))
    pipeline.process_item(FetchedPage(post(1).url, 200, "post"))  # a full batch: written
    with write_lock(tmp_path / "a.db"):
        pipeline.process_item(post(2))
        pipeline.process_item(FetchedPage(post(2).url, 200, "post"))  # refused: the crawl stops
        pipeline.process_item(post(3))  # met while the crawl stops: never queued, counted
    assert pipeline.stopped == [True]
    pipeline.spider_closed(None, "archive_write_failed")

    assert (stats.get_value("archiver/posts/inserted"), stats.get_value("archiver/unwritten")) == (1, 3)
    assert (stats.get_value("archiver/unwritten/posts"), stats.get_value("archiver/unwritten/pages")) == (2, 1)
    assert "database is locked" in stats.get_value("archiver/write_error")
    db = store.open_archive(tmp_path / "a.db")
    assert [row["id"] for row in db["posts"].rows] == ["6362101"]
    run = store.get_run(db, pipeline.run_id)
    assert (run["status"], run["posts_new"], run["stats"]["archiver/unwritten"]) == ("failed", 1, 3)
    lost = [(failure["kind"], failure["url"]) for failure in store.run_failures(db, pipeline.run_id)]
    assert lost == [("unwritten", post(2).url), ("unwritten", post(3).url)]


def test_the_run_is_closed_even_when_the_final_flush_fails(tmp_path):
    pipeline, stats = store_pipeline(tmp_path / "a.db")
    broken = sqlite_utils.Database(tmp_path / "a.db")  # a trigger that fails every insert of a post, as a broken disk would
    broken.execute("CREATE TRIGGER no_post BEFORE INSERT ON posts BEGIN INSERT INTO no_such_table VALUES (1); END")
    broken.close()
    pipeline.process_item(post(1))
    pipeline.process_item(post(2))
    pipeline.spider_closed(None, "finished")

    db = store.open_archive(tmp_path / "a.db")
    run = store.get_run(db, pipeline.run_id)
    assert (run["status"], db["posts"].count, stats.get_value("archiver/unwritten/posts")) == ("failed", 0, 2)


def test_a_post_the_archive_refuses_is_a_failure_of_its_own_and_the_batch_is_written(tmp_path):
    pipeline, stats = store_pipeline(tmp_path / "a.db")
    pipeline.process_item(post(1))
    pipeline.process_item(Post("999", post(1).url, title="Même URL"))  # two ids for one URL
    pipeline.process_item(post(2))
    pipeline.spider_closed(None, "finished")

    db = store.open_archive(tmp_path / "a.db")
    run = store.get_run(db, pipeline.run_id)
    assert (run["status"], sorted(row["id"] for row in db["posts"].rows)) == ("partial", ["6362101", "6362102"])
    [failure] = store.run_failures(db, pipeline.run_id)
    assert (failure["kind"], failure["url"]) == ("unwritable", post(1).url)
    assert failure["reason"].startswith("not archived: ArchiveError: cannot save post 999")
    assert stats.get_value("archiver/errors/unwritable") == 1 and not stats.get_value("archiver/unwritten")


def test_when_even_the_run_cannot_be_closed_the_crawl_says_so(tmp_path):
    pipeline, stats = store_pipeline(tmp_path / "a.db")
    pipeline.process_item(CrawlFailure(f"{BLOG}/mali/", "http", "HTTP 500", 500))
    with write_lock(tmp_path / "a.db"):
        pipeline.spider_closed(None, "finished")
    assert "database is locked" in stats.get_value("archiver/close_error")
    assert stats.get_value("archiver/unwritten/failures") == 1
    assert sqlite_utils.Database(tmp_path / "a.db")["crawl_runs"].get(pipeline.run_id)["status"] == "running"


# -- a real crawl of the replica while another connection holds the lock -------------------------


def start_crawl(url: str, db, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "crawl", url, "--db", str(db), *LOCAL, "-s", "ARCHIVE_BATCH_SIZE=5", *extra],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def reported_new(stdout: str) -> int:
    return int(re.search(r"posts: (\d+) new", stdout).group(1))


def test_a_crawl_waits_for_a_lock_released_within_the_busy_timeout(site, tmp_path):
    db = tmp_path / "a.db"
    russie = [post for post in load_ground_truth(site, "") if any(c["url"] == "/russie/" for c in post["categories"])]
    with ReplicaServer(site) as server:
        crawl = start_crawl(server.base_url + "/russie/", db, "-s", "ARCHIVE_BUSY_TIMEOUT=10")  # a category: 32 posts
        wait_for_posts(db, 5)
        with write_lock(db):
            time.sleep(1)  # the crawl's next batch waits for the lock
        stdout, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == 0, stderr
    archive = sqlite_utils.Database(db)
    assert reported_new(stdout) == archive["posts"].count == len(russie) == 32
    run = decode_run(next(archive["crawl_runs"].rows))
    assert run["status"] == "finished" and run["stats"]["archiver/write/longest_seconds"] > 0.5


def test_a_crawl_that_cannot_write_stops_failed_and_counts_what_it_lost(site, tmp_path):
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        crawl = start_crawl(server.base_url + "/", db, *IMPATIENT)
        wait_for_posts(db, 5)
        with write_lock(db):
            log = next((line for line in iter(crawl.stderr.readline, "") if "archive write failed" in line), None)
            # the lock goes as soon as the crawl gave up, so that its run can be closed
        stdout, stderr = crawl.communicate(timeout=60)
    assert log and crawl.returncode == 1
    assert stderr.strip().splitlines()[-1].startswith("Error: the archive could not be written, the crawl stopped: ")
    lost = int(re.search(r"(\d+) items NOT WRITTEN to the archive", stdout).group(1))
    archive = sqlite_utils.Database(db)
    run = decode_run(next(archive["crawl_runs"].rows))
    assert run["status"] == "failed" and lost == run["stats"]["archiver/unwritten"] > 0
    assert reported_new(stdout) == archive["posts"].count < 76


def test_a_crawl_that_cannot_even_open_its_run_says_why_and_exits_1(tmp_path):
    store.open_archive(tmp_path / "a.db").close()
    with write_lock(tmp_path / "a.db"):
        result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), *IMPATIENT)
    assert result.returncode == 1 and "Warning" not in result.stderr  # no coroutine left never awaited
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: the crawl could not start: cannot write to the archive (2 attempts): database is locked")
    assert sqlite_utils.Database(tmp_path / "a.db")["crawl_runs"].count == 0
