"""SIGTERM while the extraction worker reads pages: the crawl stops as ever (closed "interrupted", exit 8) and
takes its worker with it. One crawl of the default replica, slowed (one request at a time, 50 ms apart) so that it
is still running when the worker has started; verbose (-v), so the worker's start is seen on stderr as it comes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from archiver.crawl.outcomes import EXIT_INTERRUPTED
from archiver.replica import ReplicaServer
from conftest import PROJECT

SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "ARCHIVER_EXTRACTION_WORKER_AFTER=0", "-v"]

pytestmark = pytest.mark.timeout(120)


def test_sigterm_stops_the_crawl_and_its_extraction_worker(site, tmp_path):
    with ReplicaServer(site) as server:
        crawl = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", server.base_url + "/", "--db",
                                  str(tmp_path / "a.db"), *SLOW], cwd=PROJECT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        started = None
        for line in crawl.stderr:
            started = re.search(r"extraction worker started \(pid (\d+)\)", line)
            if started:
                break
        assert started, "the worker never started"
        crawl.send_signal(signal.SIGTERM)
        rest = crawl.stderr.read()
        crawl.wait(timeout=60)
    assert crawl.returncode == EXIT_INTERRUPTED, rest[-2000:]
    assert "Crawl stopped (interrupted)" in crawl.stdout.read()
    time.sleep(0.1)
    assert not os.path.exists(f"/proc/{started.group(1)}"), "the extraction worker outlived the crawl"
