"""Crawls and writers in other processes, watched from a test: a slow crawl started in the background, a
reader polling its archive, another connection holding the write lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

from conftest import PROJECT


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


@contextmanager
def write_lock(path):
    """Another connection holding the archive's write lock (BEGIN EXCLUSIVE) until it rolls back."""
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        yield locker
    finally:
        if locker.in_transaction:
            locker.execute("ROLLBACK")
        locker.close()
