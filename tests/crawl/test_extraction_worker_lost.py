"""Nothing is lost to the extraction worker: a page whose extraction raises there, then the worker killed as kill -9
would (ARCHIVER_EXTRACTION_FAULTS, the worker's test hook), and every post is archived all the same, read in the
crawl's own process, each event named in the log and counted in the crawl's stats.
"""

from __future__ import annotations

import re

import pytest

from archiver.replica import ReplicaServer, load_ground_truth
from conftest import LOCAL, export_records, run_archiver


@pytest.fixture(scope="module")
def lost_worker(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lost-worker")
    with ReplicaServer(site) as server:
        result = run_archiver("crawl", server.base_url + "/", "--db", str(folder / "a.db"), *LOCAL,
                              "-s", "ARCHIVER_EXTRACTION_WORKER_AFTER=0", "--log-file", str(folder / "crawl.log"),
                              env={"ARCHIVER_EXTRACTION_FAULTS": "raise:5,die:30"})
        truth = load_ground_truth(site, server.base_url)
    return result, (folder / "crawl.log").read_text(encoding="utf-8"), export_records(folder / "a.db"), truth


def test_every_post_is_archived_when_the_worker_fails_a_page_then_dies(lost_worker):
    result, _, records, truth = lost_worker
    assert result.returncode == 0, result.stderr
    assert "posts: 76 new, 0 updated, 0 unchanged, 1 dropped; 4 errors." in result.stdout
    assert {r["id"]: r["title"] for r in records} == {t["id"]: t["title"] for t in truth}


def test_the_failed_page_and_the_lost_worker_are_named_and_counted(lost_worker):
    result, log, _, _ = lost_worker
    assert re.search(r"extraction in the worker failed for http://\S+ \(RuntimeError: ARCHIVER_EXTRACTION_FAULTS: "
                     r"page 5 raises\): read in the crawl's process", result.stderr)
    assert "extraction worker lost (it died, at http://" in result.stderr
    assert "'archiver/extraction_worker/lost': 'it died'" in log
    assert "'archiver/extraction_worker/page_errors': 1" in log
    read_here = int(re.search(r"'archiver/extraction_worker/pages_read_here': (\d+)", log).group(1))
    assert read_here >= 2  # the page that raised, and at least the one the worker died on
