"""A killed or interrupted crawl never corrupts the archive, and the next crawl finishes the job."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import sqlite_utils

from archiver import store
from archiver.replica import ReplicaServer
from archiver.store.runs import run_owner
from conftest import PROJECT, crawl_site

SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "ARCHIVE_BATCH_SIZE=5", "-s", "AUTOTHROTTLE_ENABLED=False"]


def start_crawl(url: str, db, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "crawl", url, "--db", str(db), *SLOW, *extra],
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


# -- a second crawl never closes a live crawl's run ---------------------------------------------

NOW = datetime(2026, 11, 24, 3, 15, tzinfo=UTC)


def run_of(db, **owner) -> int:
    """A running run whose stats name this owner (pid, host, heartbeat), or none at all."""
    run_id = store.start_run(db, ["http://blog.invalid/"], now=NOW)
    stats = json.dumps({f"archiver/{key}": value for key, value in owner.items()}) if owner else None
    db.execute("UPDATE crawl_runs SET stats = ? WHERE id = ?", [stats, run_id])
    return run_id


def a_finished_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_the_runs_of_crawls_that_are_gone_are_marked_interrupted(tmp_path):
    db = store.open_archive(tmp_path / "a.db")
    host = run_owner()["archiver/host"]
    live = run_of(db, pid=os.getppid(), host=host, heartbeat="2020-01-01T00:00:00+00:00")  # pytest's parent: alive
    killed = run_of(db, pid=a_finished_process_id(), host=host)
    mine = run_of(db, pid=os.getpid(), host=host)  # this process is opening a run: the old one is not running
    elsewhere_fresh = run_of(db, pid=1, host="other-machine", heartbeat=(NOW - timedelta(minutes=5)).isoformat())
    elsewhere_stale = run_of(db, pid=1, host="other-machine", heartbeat=(NOW - timedelta(hours=2)).isoformat())
    old = run_of(db)  # from before runs recorded their owner

    assert store.mark_interrupted_runs(db, now=NOW) == 4
    statuses = {run["id"]: run["status"] for run in store.iter_runs(db)}
    assert [statuses[run] for run in (live, elsewhere_fresh)] == ["running", "running"]
    assert [statuses[run] for run in (killed, mine, elsewhere_stale, old)] == ["interrupted"] * 4


def test_a_second_crawl_leaves_the_run_of_a_crawl_still_running_alone(site, tmp_path):
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        first = start_crawl(server.base_url + "/", db)  # slow: it runs long after the second is done
        wait_for_posts(db, 5)
        second = crawl_site(site, ["/russie/"], db)
        assert first.poll() is None
        archive = sqlite_utils.Database(db)
        assert [run["status"] for run in archive["crawl_runs"].rows] == ["running", "finished"]
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    assert second.result.returncode == 0, second.result.stderr
    assert [run["status"] for run in archive["crawl_runs"].rows] == ["interrupted", "finished"]
