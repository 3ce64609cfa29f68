"""A killed or interrupted crawl never corrupts the archive, and the next crawl finishes the job."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import sqlite_utils

from archiver.replica import ReplicaServer
from conftest import PROJECT, crawl_site

SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "ARCHIVE_BATCH_SIZE=5", "-s", "AUTOTHROTTLE_ENABLED=False"]


def start_crawl(url: str, db) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "crawl", url, "--db", str(db), *SLOW],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_posts(db, count: int, timeout: float = 60) -> int:
    """Poll the archive (a reader beside the writer, as WAL allows) until it holds `count` posts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as reader:
                    found = reader.execute("select count(*) from posts").fetchone()[0]
                if found >= count:
                    return found
            except sqlite3.OperationalError:
                pass  # schema not created yet
        time.sleep(0.05)
    raise AssertionError(f"the archive never reached {count} posts")


def test_a_killed_crawl_keeps_what_it_committed_and_the_next_crawl_completes(site, tmp_path):
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        process = start_crawl(server.base_url + "/", db)
        seen = wait_for_posts(db, 10)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    archive = sqlite_utils.Database(db)
    assert archive.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert archive["posts"].count >= seen
    assert [run["status"] for run in archive["crawl_runs"].rows] == ["running"]

    again = crawl_site(site, ["/"], db)
    assert again.result.returncode == 0, again.result.stderr
    archive = sqlite_utils.Database(db)
    assert archive["posts"].count == 76
    assert [run["status"] for run in archive["crawl_runs"].rows] == ["interrupted", "finished"]


def test_ctrl_c_closes_the_run_as_interrupted_and_exits_non_zero(site, tmp_path):
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        process = start_crawl(server.base_url + "/", db)
        wait_for_posts(db, 5)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.strip().splitlines()[-1].startswith("Error: crawl stopped before its end")
    archive = sqlite_utils.Database(db)
    assert [run["status"] for run in archive["crawl_runs"].rows] == ["interrupted"]
    assert archive["posts"].count >= 5
