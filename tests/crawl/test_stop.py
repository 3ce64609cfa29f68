"""Ctrl-C during a crawl at polite settings: the first answers at once and ends the crawl in seconds, the second stops
it now; either way the run is closed "interrupted" with its counts, the crawl exits 8 and `check` finds nothing wrong.

Two crawls of the replica run side by side (about 10 s in all): one gets one SIGINT; the other, whose post pages
answer only after 20 s (a request in flight the first stop would wait for), gets two.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from archiver.crawl.outcomes import EXIT_INTERRUPTED
from archiver.replica import ReplicaServer, load_ground_truth
from archiver.replica.fault_plan import Burst, FaultPlan
from archiver.replica.fault_server import FaultServer
from conftest import PROJECT, run_archiver

POLITE = ["-s", "DOWNLOAD_DELAY=1", "-s", "ARCHIVE_BATCH_SIZE=1"]  # the default rates; each page written as it comes
SLOW_POSTS = 20.0  # seconds a post page of the second blog takes to answer

pytestmark = pytest.mark.timeout(120)


class Crawl:
    """A crawl in a subprocess, its stderr read line by line as it comes, each line with its arrival time."""

    def __init__(self, url: str, db):
        self.db = db
        self.warc = db.with_suffix(".warc")  # the WARC capture's folder (--warc-dir): closed by either stop
        self.process = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", url, "--db", str(db), *POLITE,
                                         "--warc-dir", str(self.warc)],
                                        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[tuple[float, str]] = []
        self.stdout, self.ended = "", 0.0
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        """Each stderr line as it comes; at the end (the process gone), stdout and when it ended."""
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
        self.process.wait()
        self.ended = time.monotonic()
        self.stdout = self.process.stdout.read()

    def wait_for_pages(self, count: int, timeout: float = 60) -> None:
        """Until the archive holds `count` pages of this crawl (a reader beside the writer, as WAL allows)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as reader:
                    if reader.execute("select count(*) from pages").fetchone()[0] >= count:
                        return
            except sqlite3.OperationalError:
                pass  # not created yet
            time.sleep(0.05)
        raise AssertionError(f"the crawl never wrote {count} pages")

    def interrupt(self) -> float:
        self.process.send_signal(signal.SIGINT)
        return time.monotonic()

    def line_after(self, prefix: str, since: float, timeout: float = 10) -> float | None:
        """How long after `since` a stderr line starting with `prefix` came (None: none in `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in list(self.lines):
                if line.startswith(prefix):
                    return at - since
            time.sleep(0.01)
        return None

    def exit_after(self, since: float, timeout: float = 30) -> tuple[int, float, str]:
        """The exit status, how long after `since` the process ended, and its stdout."""
        self.reader.join(timeout=timeout)
        return self.process.returncode, self.ended - since, self.stdout

    def run(self) -> dict:
        with sqlite3.connect(self.db) as archive:
            archive.row_factory = sqlite3.Row
            run = dict(archive.execute("select * from crawl_runs").fetchone())
            return run | {"archived": archive.execute("select count(*) from posts").fetchone()[0]}


def asked(server: FaultServer, paths, timeout: float = 30) -> None:
    """Until `server` has been asked one of `paths` (it counts a request as it arrives, before answering it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(path in paths for path in list(server.requests)):
            return
        time.sleep(0.02)
    raise AssertionError(f"no request for a post page in {timeout} s")


@pytest.fixture(scope="module")
def stops(site, tmp_path_factory):
    """Both crawls, each stopped once it has written a few pages: what each printed, when, and what it left."""
    folder = tmp_path_factory.mktemp("stop")
    slow = FaultPlan(bursts={unquote(urlsplit(post["url"]).path): Burst("timeout", times=5) for post in load_ground_truth(site)},
                     slow_seconds=SLOW_POSTS)
    with ReplicaServer(site) as blog, FaultServer(site, slow) as slow_blog:
        once, twice = Crawl(blog.base_url + "/", folder / "once.db"), Crawl(slow_blog.base_url + "/", folder / "twice.db")
        once.wait_for_pages(3)
        twice.wait_for_pages(1)
        asked(slow_blog, slow.bursts)  # a post page asked: in flight on the slow blog
        first = {"once": once.interrupt(), "twice": twice.interrupt()}
        stopping = {name: crawl.line_after("Stopping: finishing ", first[name]) for name, crawl in (("once", once), ("twice", twice))}
        second = twice.interrupt()
        ended = {"once": once.exit_after(first["once"]), "twice": twice.exit_after(second)}
    return {"once": once, "twice": twice, "stopping": stopping, "ended": ended}


def test_the_first_ctrl_c_says_stopping_at_once_and_the_crawl_exits_8_within_seconds(stops):
    assert stops["stopping"]["once"] is not None and stops["stopping"]["once"] < 1.0, stops["once"].lines
    code, seconds, stdout = stops["ended"]["once"]
    assert (code, seconds < 5) == (EXIT_INTERRUPTED, True), (seconds, stops["once"].lines)
    assert stdout.startswith("Crawl stopped (interrupted) after ")
    assert [line for _, line in stops["once"].lines][-1].startswith("Interrupted: the crawl stopped before its end (Ctrl-C or SIGTERM)")


def test_the_first_ctrl_c_closes_the_run_interrupted_with_its_counts(stops):
    run = stops["once"].run()
    assert run["status"] == "interrupted" and run["finished"] is not None
    assert run["pages_fetched"] >= 3 and run["posts_new"] == run["archived"] >= 1
    assert f"posts: {run['posts_new']} new" in stops["ended"]["once"][2]


def test_the_second_ctrl_c_stops_at_once_and_still_closes_the_run(stops):
    assert stops["stopping"]["twice"] is not None and stops["stopping"]["twice"] < 1.0, stops["twice"].lines
    code, seconds, stdout = stops["ended"]["twice"]
    assert (code, seconds < 3) == (EXIT_INTERRUPTED, True), (seconds, stops["twice"].lines)  # its post pages answer in 20 s
    run = stops["twice"].run()
    assert run["status"] == "interrupted" and run["finished"] is not None
    assert run["pages_fetched"] >= 1 and run["posts_new"] == run["archived"]
    assert stdout.startswith("Crawl stopped (interrupted) after ")
    assert "unknown" not in stdout.splitlines()[0] and "Interrupted: " in stops["twice"].lines[-1][1]


@pytest.mark.parametrize("name", ["once", "twice"])
def test_check_finds_no_run_left_running_after_a_stop(stops, name):
    result = run_archiver("check", "--db", str(stops[name].db))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["once", "twice"])
def test_a_stopped_crawl_closes_its_warc_file_whole(stops, name):
    """The WARC capture (--warc-dir) is closed by the first Ctrl-C as at a crawl's end, and by the second before the
    crawl stops: no `.open` file is left, warcio checks it, and the summary says where it is."""
    files = sorted(stops[name].warc.iterdir())
    assert [path.suffix for path in files] == [".gz"], files
    checked = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", str(files[0])], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "WARC: 1 file, " in stops["ended"][name][2] and f" in {stops[name].warc}" in stops["ended"][name][2]
