"""Ten SIGKILLs at random moments of a 76-post crawl, each followed by a restart: the whole blog, every post once.

Each kill is aimed at a point of the crawl's course rather than at a clock time: a crawl's duration
doubles when other tests share the two cores, so a moment in seconds would land after its end on a
quiet machine and never near its end on a busy one. A point is a share of the post pages the crawl
has committed (0: it has opened its run and walks the first listings), then a random delay; some
kills then wait for the crawl to be inside a batch's transaction. Every kill must meet a running crawl (one
that came after its end would prove nothing). What each kill met is printed (pytest -s).

The blog is the session's default replica (tests/conftest.py's `site`: 76 posts, 4 of them faulty, in its
categories), not a bigger one built for this test: what the kills cover is where they land in the crawl's course,
not the blog's size.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from archiver.crawl.archive_lock import ArchiveLock
from archiver.crawl.outcomes import EXIT_LOCKED
from archiver.replica import ReplicaServer, load_ground_truth
from conftest import LOCAL, PROJECT, export_records, run_archiver
from archive_shapes import duplicates, shape

KILLS = 10
# The killed crawls write batches of 10 items (the default is 50, a commit every 20-odd posts of this blog): a share of
# the post pages committed then says where the crawl is to within a few posts, and the last batch before the end is
# not the one its close writes. The last crawl keeps the default.
BATCHES = ["-s", "ARCHIVE_BATCH_SIZE=10"]
SEED = 20261124

RUN_POST_PAGES = "SELECT count(*) FROM pages WHERE kind = 'post' AND last_run_id = ?"

pytestmark = pytest.mark.timeout(300)  # eleven crawls, on two cores that other suites may share


@dataclass(frozen=True)
class Aim:
    """Where a crawl is killed: once its run is open and `share` of the blog's post pages are committed, `delay` s
    later, and with `in_write` at the next moment it is inside a write transaction."""

    share: float
    delay: float
    in_write: bool = False

    def __str__(self) -> str:
        where = f"{self.share:4.0%}" if self.share else "open"
        return f"{where} +{self.delay:.2f}s" + (" +write" if self.in_write else "")


@dataclass(frozen=True)
class Kill:
    """What one SIGKILL met: when, how far the crawl was, what the archive held, whether it still ran."""

    aim: Aim
    seconds: float  # after the crawl's start
    run_pages: int  # post pages this crawl had committed
    writing: bool  # the crawl held the archive's write lock (inside a batch's transaction) just before the kill
    posts: int  # posts the archive held (what was committed: nothing more is after a SIGKILL)
    returncode: int
    quick_check: str

    @property
    def running(self) -> bool:
        return self.returncode == -signal.SIGKILL


def kill_plan(rng: random.Random) -> list[Aim]:
    """Two kills as the crawl walks its first listings, six among the posts (three inside a batch's transaction),
    two near the end; in random order."""
    aims = [Aim(0.0, rng.uniform(0.0, 0.3)) for _ in range(2)]  # the 76-post blog's listings are soon walked
    aims += [Aim(rng.uniform(0.05, 0.6), rng.uniform(0.0, 0.3), in_write=n < 3) for n in range(6)]
    # near the end, a short delay: the last tenth of a 76-post crawl, and its last batch committed when the crawl
    # closes its run, go by in a few tenths of a second; a kill aimed later would meet a closed run or no crawl
    aims += [Aim(rng.uniform(0.7, 0.85), rng.uniform(0.0, 0.05)) for _ in range(2)]
    rng.shuffle(aims)
    return aims


def figures(db: Path) -> tuple[int, int, int]:
    """(newest run's id, post pages it committed, posts) as a read-only reader sees them; zeros before the schema."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as reader:
            run = reader.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
            pages = reader.execute(RUN_POST_PAGES, [run]).fetchone()[0]
            return run, pages, reader.execute("SELECT count(*) FROM posts").fetchone()[0]
    except sqlite3.OperationalError:  # no file yet, or its tables not created yet
        return 0, 0, 0


def quick_check(db: Path) -> str:
    """SQLite's quick_check, read-only: the killed crawl's WAL is left for the next crawl to find, as in real life."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as reader:
        return reader.execute("PRAGMA quick_check").fetchone()[0]


def writing(db: Path) -> bool:
    """Whether a crawl is inside a write transaction: the archive's write lock is taken (tried without waiting)."""
    with closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as probe:
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # database is locked
            return True
        probe.execute("ROLLBACK")
        return False


def wait_for(aim: Aim, process: subprocess.Popen, db: Path, run_before: int, posts: int) -> None:
    """Return where `aim` says: the crawl's run open, `aim.share` of `posts` post pages committed, `aim.delay` s,
    then (`aim.in_write`) a write transaction under way; or at once when the crawl has exited."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        run, pages, _ = figures(db)
        if run > run_before and pages >= aim.share * posts:
            break
        time.sleep(0.02)
    time.sleep(aim.delay)
    while aim.in_write and process.poll() is None and time.monotonic() < deadline and not writing(db):
        time.sleep(0.002)


def kill_a_crawl(base_url: str, db: Path, aim: Aim, posts: int, logs: Path, *mode: str) -> Kill:
    """Start `archiver crawl` (the default mode, or `mode`: "--revalidate", settings), SIGKILL it where `aim` says, reap it,
    and say what it met."""
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"}
    run_before = figures(db)[0]
    with open(logs.with_suffix(".out"), "w") as out, open(logs.with_suffix(".err"), "w") as err:
        process = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", base_url + "/", "--db", str(db), *LOCAL, *mode],
                                   cwd=PROJECT, env=env, stdout=out, stderr=err)
        started = time.monotonic()
        wait_for(aim, process, db, run_before, posts)
        in_write = process.poll() is None and writing(db)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        seconds = time.monotonic() - started
        process.wait(timeout=30)  # reaped: a zombie would still count as a live crawl, its run never closed
    with ArchiveLock(db):  # the kernel released the killed crawl's flock: the restart is not kept out
        pass
    _, run_pages, held = figures(db)
    return Kill(aim, seconds, run_pages, in_write, held, process.returncode, quick_check(db))


def kill_table(kills: list[Kill], total: int) -> str:
    """The kills as the issue note shows them: aim, moment, progress, archive, whether the crawl still ran."""
    lines = [" #  aim                  at (s)  its post pages  in a write  posts archived  still running  quick_check"]
    for n, kill in enumerate(kills, 1):
        running = "yes" if kill.running else f"no (exit {kill.returncode})"
        writing = "yes" if kill.writing else "no"
        lines.append(f"{n:2}  {kill.aim!s:19}  {kill.seconds:6.2f}  {kill.run_pages:14}  {writing:>10}  "
                     f"{kill.posts:>8} / {total}  {running:>13}  {kill.quick_check}")
    return "\n".join(lines)


def effective_mode(db: Path, run_id: int) -> str | None:
    """The mode a run actually crawled in (a crawl after a killed one walks everything, whatever was asked)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as reader:
        stats = reader.execute("SELECT stats FROM crawl_runs WHERE id = ?", [run_id]).fetchone()[0]
    return json.loads(stats).get("archiver/mode/effective")


def test_ten_sigkills_at_random_moments_then_a_default_crawl_leave_the_whole_blog_once(site, tmp_path):
    began, db = time.monotonic(), tmp_path / "archive.db"
    with ReplicaServer(site) as server:  # one port for every crawl: the URLs stay the same
        truth = load_ground_truth(site, server.base_url)
        kills = [kill_a_crawl(server.base_url, db, aim, len(truth), tmp_path / f"crawl-{n}", *BATCHES)
                 for n, aim in enumerate(kill_plan(random.Random(SEED)), 1)]
        last_began = time.monotonic()
        last = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL)  # no --full, no --revalidate
        last_seconds = time.monotonic() - last_began
    records, check = export_records(db), run_archiver("check", "--db", str(db))
    runs = json.loads(run_archiver("runs", "--db", str(db), "--json", "--limit", "100").stdout)[::-1]  # oldest first
    mode = effective_mode(db, runs[-1]["id"])
    print(f"\n{kill_table(kills, len(truth))}\nlast crawl: exit {last.returncode} in {last_seconds:.1f} s, asked "
          f"{runs[-1]['mode']}, ran {mode}; whole test {time.monotonic() - began:.1f} s")

    assert sum(kill.running for kill in kills) == KILLS, [kill.returncode for kill in kills]  # none came after the end
    assert EXIT_LOCKED not in [kill.returncode for kill in kills], f"a restart was locked out: {tmp_path}/crawl-*.err"
    assert sum(kill.posts < len(truth) for kill in kills) > KILLS // 2
    assert sum(kill.writing for kill in kills if kill.aim.in_write) >= 2
    assert {kill.quick_check for kill in kills} == {"ok"}
    assert last.returncode == 0, last.stdout + last.stderr
    assert mode == "full"
    assert sorted(record["id"] for record in records) == sorted(post["id"] for post in truth)
    assert {r["id"]: shape(r) for r in records} == {t["id"]: shape(t) for t in truth}
    assert duplicates(db) == []
    assert check.returncode == 0 and check.stdout.splitlines()[-1].startswith("OK"), check.stdout + check.stderr
    killed, finished = ("interrupted", "interrupted"), ("finished", "ok")
    assert [(run["status"], run["outcome"]) for run in runs] == [killed] * KILLS + [finished]
