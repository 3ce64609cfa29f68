"""Pages read in the extraction worker: the replica's posts archived exactly as in-process, the worker found by its
pid in the log and gone once the crawl is; its settings checked before anything runs (a configuration error).

One crawl of the default replica from its home page with the worker started at the first response
(ARCHIVER_EXTRACTION_WORKER_AFTER=0: by default a crawl this small never starts it).
"""

from __future__ import annotations

import os
import re

import pytest

from archiver.crawl.outcomes import EXIT_CONFIG
from conftest import crawl_site, normalise_space, run_archiver

FIELDS = ["url", "title", "published", "author", "print_url", "categories", "tags", "comments_count"]


def comments(record: dict) -> list[tuple]:
    return [(c["author"], c["author_url"], c["published"], normalise_space(c["body_text"])) for c in record["comments"]]


@pytest.fixture(scope="module")
def worker_crawl(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("worker")
    crawl = crawl_site(site, ["/"], folder / "a.db", "-s", "ARCHIVER_EXTRACTION_WORKER_AFTER=0",
                       "--log-file", str(folder / "crawl.log"))
    crawl.log = (folder / "crawl.log").read_text(encoding="utf-8")
    return crawl


def test_the_crawl_with_a_worker_archives_every_post_as_the_replica_holds_it(worker_crawl):
    assert worker_crawl.result.returncode == 0, worker_crawl.result.stderr
    assert "posts: 76 new, 0 updated, 0 unchanged, 1 dropped; 4 errors." in worker_crawl.result.stdout
    records, truth = worker_crawl.records_by_id(), worker_crawl.truth_by_id()
    assert sorted(records) == sorted(truth)
    for field in FIELDS:
        assert {i: records[i][field] for i in records} == {i: t[field] for i, t in truth.items()}, field
    assert {i: normalise_space(r["body_text"]) for i, r in records.items()} == {
        i: normalise_space(t["body_text"]) for i, t in truth.items()}
    assert {i: comments(r) for i, r in records.items()} == {i: comments(t) for i, t in truth.items()}


def test_every_page_was_read_by_the_worker_which_is_gone_after_the_crawl(worker_crawl):
    pids = re.search(r"extraction worker started \(pid ([\d, ]+)\) after \d+ responses", worker_crawl.log)
    assert pids, worker_crawl.log[-3000:]
    assert "pages_read_here" not in worker_crawl.log  # once it answered, not one page read in the crawl's process
    for pid in pids.group(1).split(", "):
        assert not os.path.exists(f"/proc/{pid}"), f"extraction worker {pid} left running"


@pytest.mark.parametrize("setting, said", [
    ("ARCHIVER_EXTRACTION_WORKERS=-1", "ARCHIVER_EXTRACTION_WORKERS='-1' is not between 0 and 64"),
    ("ARCHIVER_EXTRACTION_WORKERS=two", "ARCHIVER_EXTRACTION_WORKERS='two' is not a whole number"),
    ("ARCHIVER_EXTRACTION_WORKER_AFTER=-5", "ARCHIVER_EXTRACTION_WORKER_AFTER='-5' is not between 0 and"),
])
def test_a_bad_worker_setting_is_a_configuration_error_saying_what_it_takes(tmp_path, setting, said):
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", setting)
    assert result.returncode == EXIT_CONFIG
    assert said in result.stderr
    assert not (tmp_path / "a.db").exists()
