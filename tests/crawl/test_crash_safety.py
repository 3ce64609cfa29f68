"""A killed or interrupted crawl never corrupts the archive, and the next crawl finishes the job."""

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from archiver import store
from archiver.crawl.outcomes import EXIT_INTERRUPTED
from archiver.replica import ReplicaServer, load_ground_truth
from archiver.store.runs import run_owner
from conftest import LOCAL, crawl_site, export_records, normalise_space, run_archiver
from running_crawls import start_crawl, wait_for_posts


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


def integrity(db) -> str:
    with sqlite3.connect(db) as connection:
        return connection.execute("pragma integrity_check").fetchone()[0]


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_or_ctrl_c_writes_the_batch_in_flight_and_closes_the_run_interrupted(site, tmp_path, sent):
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        process = start_crawl(server.base_url + "/", db)
        wait_for_posts(db, 5)
        process.send_signal(sent)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert stderr.strip().splitlines()[-1].startswith("Interrupted: the crawl stopped before its end (Ctrl-C or SIGTERM); ")
    archive = sqlite_utils.Database(db)
    assert integrity(db) == "ok"
    run = next(archive["crawl_runs"].rows)
    new = int(re.search(r"posts: (\d+) new", stdout).group(1))
    assert (run["status"], run["posts_new"]) == ("interrupted", new)
    assert archive["posts"].count == new >= 5  # every post it had read was written, and counted


def test_a_crawl_killed_at_random_moments_and_run_again_ends_with_the_whole_blog_once(site, tmp_path):
    db, moments = tmp_path / "a.db", random.Random(8)
    with ReplicaServer(site) as server:
        for _ in range(4):
            process = start_crawl(server.base_url + "/", db)
            time.sleep(moments.uniform(0.3, 2.5))  # from its start-up (about 1 s) to well into its writes (batches of 5)
            process.kill()  # its lock on the archive goes with it: the next crawl is not kept out
            process.communicate(timeout=30)
            assert not db.exists() or integrity(db) == "ok"
        last = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL)  # the default mode: incremental
        truth = load_ground_truth(site, server.base_url)
    assert last.returncode == 0, last.stdout + last.stderr
    assert integrity(db) == "ok"
    shape = lambda post: (post["title"], normalise_space(post["body_text"]), len(post["comments"]))  # noqa: E731
    assert {post["id"]: shape(post) for post in export_records(db)} == {post["id"]: shape(post) for post in truth}
    archive = sqlite_utils.Database(db)
    assert archive.execute("select count(*) from comments group by post_id, fingerprint having count(*) > 1").fetchall() == []
    statuses = [run["status"] for run in archive["crawl_runs"].rows]
    assert statuses[-1] == "finished" and set(statuses[:-1]) <= {"interrupted"}


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
