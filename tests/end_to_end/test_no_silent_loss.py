"""No crawl ends "finished" with posts missing: a page that failed is a loss of its run and is asked again by
the next run of every mode, until it answers; a callback that raises is a recorded failure, never a silent drop."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import build_site, load_ground_truth
from archiver.replica.fault_plan import Burst, FaultPlan
from archiver.replica.fault_server import FaultServer
from conftest import LOCAL, export_records, run_archiver

CATEGORY = "/mali/"
LAST_PAGE = "/archives/category/mali/index-3.html"  # numbered from zero: index-3.html is the fourth and last page


def category_truth(root: Path, base_url: str, slug_path: str) -> set[str]:
    """The permalinks of the posts the blog files under a category (its faulty pages aside)."""
    return {record["url"] for record in load_ground_truth(root, base_url)
            if any(category["url"].endswith(slug_path) for category in record["categories"])}


def crawl(server: FaultServer, db: Path, start: str, *extra: str):
    result = run_archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *extra)
    return result, {record["url"] for record in export_records(db)}


@pytest.fixture(scope="module")
def page_that_failed_once(tmp_path_factory):
    """A category crawl whose last page answers 500 to both of its attempts, then an incremental run (the
    page answers again) and one more."""
    folder = tmp_path_factory.mktemp("failed-once")
    root, db = build_site(folder / "site").root, folder / "a.db"
    with FaultServer(root, FaultPlan(bursts={LAST_PAGE: Burst("500", times=2)})) as server:
        first = crawl(server, db, CATEGORY)
        second = crawl(server, db, CATEGORY)
        third = crawl(server, db, CATEGORY)
        truth = category_truth(root, server.base_url, CATEGORY)
        hits = dict(server.hits)
    return {"runs": [first, second, third], "truth": truth, "hits": hits, "base": server.base_url}


def test_a_listing_page_that_failed_is_a_loss_of_its_run_naming_it(page_that_failed_once):
    (result, archived), truth = page_that_failed_once["runs"][0], page_that_failed_once["truth"]
    page = page_that_failed_once["base"] + LAST_PAGE
    assert result.returncode == 4, result.stderr
    assert f"INCOMPLETE {page}: HTTP 500" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith(f"Incomplete: {page}: HTTP 500")
    assert len(archived) < len(truth)  # the posts only that page lists are missing, and the run says so


def test_the_next_incremental_run_reads_it_and_archives_what_it_lists(page_that_failed_once):
    (result, archived), truth = page_that_failed_once["runs"][1], page_that_failed_once["truth"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert archived == truth
    assert page_that_failed_once["hits"][LAST_PAGE] == 3  # two failed attempts, then the second run's one


def test_once_read_it_is_not_asked_again_out_of_turn(page_that_failed_once):
    (result, archived), truth = page_that_failed_once["runs"][2], page_that_failed_once["truth"]
    assert result.returncode == 0 and archived == truth
    assert "INCOMPLETE" not in result.stdout


def test_a_post_that_failed_once_is_archived_by_the_next_incremental_run(site, tmp_path):
    truth = load_ground_truth(site, "http://blog.invalid")
    path = urlsplit(next(record for record in truth if record["comments_count"])["url"]).path
    with FaultServer(site, FaultPlan(bursts={path: Burst("500", times=2)})) as server:
        first = crawl(server, tmp_path / "a.db", "/")
        second = crawl(server, tmp_path / "a.db", "/")
    url = server.base_url + path
    assert url not in first[1] and f"http: {url} (HTTP 500)" in first[0].stdout
    assert url in second[1] and second[0].returncode == 0
    waiting = sqlite_utils.Database(tmp_path / "a.db")["retry_queue"].count_where("answered_run_id IS NULL")
    assert waiting == 3  # the replica's faulty posts only (500, broken markup, no title)


class RaiseOnPage:
    """A spider middleware of the tests: the spider's callback output raises on the page ARCHIVER_TEST_RAISE_ON."""

    async def process_spider_output(self, response, result):
        async for item in result:
            yield item
        if response.url.endswith(os.environ["ARCHIVER_TEST_RAISE_ON"]):
            raise RuntimeError("a bug of ours")


def test_a_callback_that_raises_is_a_recorded_failure_and_its_page_is_asked_again(site, tmp_path):
    raising = ["-s", f"SPIDER_MIDDLEWARES={json.dumps({'test_no_silent_loss.RaiseOnPage': 950})}"]
    with FaultServer(site) as server:
        result = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(tmp_path / "a.db"), *LOCAL, *raising,
                              env={"PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(Path(__file__).parent.parent)]), "ARCHIVER_TEST_RAISE_ON": LAST_PAGE})
        again = crawl(server, tmp_path / "a.db", CATEGORY)
    page = server.base_url + LAST_PAGE
    assert result.returncode == 4, result.stdout + result.stderr
    assert f"spider-error: {page} (RuntimeError: a bug of ours)" in result.stdout
    assert f"INCOMPLETE {page}: RuntimeError: a bug of ours" in result.stdout
    assert again[0].returncode == 0 and server.hits[LAST_PAGE] == 2


def test_a_malformed_link_on_the_home_page_loses_no_post_and_is_counted(site, tmp_path):
    own = shutil.copytree(site, tmp_path / "site")
    home = own / "index.html"
    html = home.read_text(encoding="utf-8")
    bad = '<p>Voir <a href="http://www.example.org:80a/">ce site</a>.</p>'  # a mistyped port, in a post's body
    home.write_text(html.replace("</h3>", "</h3>" + bad, 1), encoding="utf-8")
    with FaultServer(own) as server:
        result, archived = crawl(server, tmp_path / "a.db", "/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(archived) == 76
    assert "1 malformed link skipped ('http://www.example.org:80a/' on " in result.stdout
    assert "Traceback" not in result.stderr
