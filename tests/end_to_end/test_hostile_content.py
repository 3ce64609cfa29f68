"""The hostile-content replica crawled the way the README's cron recipe crawls a blog: what a user gets.

The blog (archiver/replica/hostile_content.py) carries malformed links on every page, absurd numbers and control
characters; its last "mali" page fails on its first two requests. Cron runs `archiver crawl URL` every few hours
and `--revalidate` weekly; between runs the blog has an outage (three post pages answer a maintenance page, an
empty page, another site's page), then recovers, gains a backdated post and moves a post out of a category.
The user sees: each run that lost something exits 4 and names what it lost on an INCOMPLETE line; each run that
lost nothing exits 0; once the weekly revalidation has run, the archive holds what a reader of the blog reads,
every post once, and `archiver check` says OK.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from archiver.replica import load_ground_truth
from archiver.replica.fault_server import FaultServer
from archiver.replica.hostile_content import (FOREIGN, MAINTENANCE, build_hostile_content_site, hostile_content_plan,
                                              load_hostile_content)
from conftest import LOCAL, export_records, run_archiver
from archive_shapes import duplicates, shape

INCOMPLETE = re.compile(r"^INCOMPLETE (?:start URL )?(https?://\S+?):(?:\s|$)", re.M)
OUTAGE = ("maintenance", "empty", "foreign")
READER_CASES = ("links-home", "links-deep", "title-osc", "title-csi", "comment-controls", "comment-links",
                "count-huge", "count-negative", "date-attr", "comment-dates", "backdated", "moved", *OUTAGE)


@dataclass
class Run:
    """One cron run: the blog's step, the mode, what the CLI said, what it asked the server, what it recorded."""

    step: str
    mode: str
    result: subprocess.CompletedProcess
    hits: Counter
    records: dict[str, dict] | None  # the archive's export right after the run, when the test reads it
    failures: dict[str, str]  # url -> kind, of this run

    def incomplete(self) -> set[str]:
        """The URLs the run's INCOMPLETE lines name."""
        return set(INCOMPLETE.findall(self.result.stdout))

    def said(self) -> str:
        return f"{self.step} {self.mode}: exit {self.result.returncode}\n{self.result.stdout}{self.result.stderr[-3000:]}"


def read(db: Path, query: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as reader:
        return reader.execute(query, args).fetchall()


def cron_run(server: FaultServer, db: Path, step: str, *mode: str, start: str = "/", export: bool = False) -> Run:
    """`archiver crawl` from the home page (or `start`) with the tests' local settings, as cron runs it; then
    (`export`) `archiver export jsonl`."""
    before = Counter(server.hits)
    result = run_archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *mode)
    failures = dict(read(db, "SELECT url, kind FROM crawl_failures WHERE run_id = (SELECT max(id) FROM crawl_runs)"))
    records = {record["id"]: record for record in export_records(db)} if export else None
    return Run(step, " ".join(mode) or "incremental", result, Counter(server.hits) - before, records, failures)


def category_of(page_url: str) -> str:
    """A category's first page, from the URL of one of its pages (".../archives/category/mali/index-3.html")."""
    head, slug = page_url.split("/archives/category/")[0], page_url.split("/archives/category/")[1].split("/")[0]
    return f"{head}/{slug}/"


def stored_page(db: Path, url: str) -> tuple | None:
    """The archive's last good copy of a page: status, ETag, raw bytes."""
    rows = read(db, "SELECT status, etag, html FROM pages WHERE url = ?", url)
    return rows[0] if rows else None


@pytest.fixture(scope="module")
def cron(tmp_path_factory):
    """Five cron runs over the blog's three steps, on one server (one port: stored URLs and ETags stay valid)."""
    folder = tmp_path_factory.mktemp("hostile-content")
    root, db = build_hostile_content_site(folder / "site").root, folder / "archive.db"
    with FaultServer(root, hostile_content_plan(root, attempts=2)) as server:
        cases = load_hostile_content(root, server.base_url)
        outage = [cases["roles"][role] for role in OUTAGE]
        runs = {"first": cron_run(server, db, "published"), "next": cron_run(server, db, "published", export=True)}
        good_pages = {url: stored_page(db, url) for url in outage}
        build_hostile_content_site(root, step=1)
        runs["outage"] = cron_run(server, db, "outage", "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1", export=True)
        kept_pages = {url: stored_page(db, url) for url in outage}
        build_hostile_content_site(root, step=2)
        runs["restored"] = cron_run(server, db, "restored")
        runs["weekly"] = cron_run(server, db, "restored", "--revalidate", export=True)
        cases = load_hostile_content(root, server.base_url)
        truth = load_ground_truth(root, server.base_url)
    return runs, cases, truth, db, (good_pages, kept_pages)


def by_url(records: dict[str, dict], url: str) -> dict | None:
    return next((record for record in records.values() if record["url"] == url), None)


def test_the_first_crawl_loses_the_failing_category_page_exits_4_and_names_it(cron):
    runs, cases, *_ = cron
    first = runs["first"]
    assert first.hits[urlsplit(cases["failing_listing"]).path] >= 2, first.said()
    assert first.result.returncode == 4, first.said()
    assert cases["failing_listing"] in first.incomplete(), first.said()
    assert first.incomplete() <= {cases["failing_listing"], category_of(cases["failing_listing"])}, first.said()


def test_the_next_incremental_run_asks_for_that_page_again_reads_it_and_exits_0(cron):
    runs, cases, *_ = cron
    following = runs["next"]
    assert following.hits[urlsplit(cases["failing_listing"]).path] >= 1, following.said()
    assert following.result.returncode == 0, following.said()
    assert following.incomplete() == set()


def test_pages_that_are_not_the_post_are_recorded_and_the_revalidation_exits_4_naming_them(cron):
    runs, cases, *_ = cron
    outage = runs["outage"]
    urls = {cases["roles"][role] for role in OUTAGE}
    assert outage.result.returncode == 4, outage.said()
    assert outage.incomplete() == urls, outage.said()
    assert {url: outage.failures.get(url) for url in urls} == dict.fromkeys(urls, "not-the-post")


def test_during_the_outage_the_archived_posts_and_their_good_pages_stay_as_they_were(cron):
    runs, cases, _, _, (good_pages, kept_pages) = cron
    for role in OUTAGE:
        url = cases["roles"][role]
        before, after = by_url(runs["next"].records, url), by_url(runs["outage"].records, url)
        assert before is not None and good_pages[url] is not None and good_pages[url][0] == 200, role
        assert shape(after) == shape(before), role
        assert kept_pages[url] == good_pages[url], role


def test_once_the_posts_answer_again_the_next_incremental_run_asks_for_them_and_exits_0(cron):
    runs, cases, *_ = cron
    restored = runs["restored"]
    assert all(restored.hits[urlsplit(cases["roles"][role]).path] >= 1 for role in OUTAGE), restored.said()
    assert restored.result.returncode == 0, restored.said()
    assert restored.incomplete() == set()


def test_the_weekly_revalidation_finds_the_backdated_post_and_the_move_and_exits_0(cron):
    runs, cases, truth, *_ = cron
    weekly = runs["weekly"]
    assert weekly.result.returncode == 0, weekly.said()
    assert weekly.incomplete() == set()
    backdated, moved = by_url(weekly.records, cases["roles"]["backdated"]), by_url(weekly.records, cases["roles"]["moved"])
    assert backdated is not None, "the backdated post, on page 2 of its category and in an old month only, was not found"
    assert moved is not None and cases["moved_from"] not in [category["url"] for category in moved["categories"]]


@pytest.mark.parametrize("role", READER_CASES)
def test_each_hostile_post_is_archived_as_a_reader_reads_it(cron, role):
    runs, cases, truth, *_ = cron
    expected = next(record for record in truth if record["url"] == cases["roles"][role])
    archived = by_url(runs["weekly"].records, expected["url"])
    assert archived is not None, f"{role}: {expected['url']} not archived"
    assert shape(archived) == shape(expected), role


def test_after_the_cron_sequence_the_archive_is_the_ground_truth_every_post_once(cron):
    runs, _, truth, db, _ = cron
    records = runs["weekly"].records
    assert sorted(records) == sorted(record["id"] for record in truth)
    assert {key: shape(record) for key, record in records.items()} == {record["id"]: shape(record) for record in truth}
    assert duplicates(db) == []
    check = run_archiver("check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.fixture(scope="module")
def category_crawls(tmp_path_factory):
    """A crawl of the "mali" category, whose last page fails twice, then the next (incremental) crawl of it."""
    folder = tmp_path_factory.mktemp("hostile-category")
    root, db = build_hostile_content_site(folder / "site").root, folder / "archive.db"
    with FaultServer(root, hostile_content_plan(root, attempts=2)) as server:
        cases = load_hostile_content(root, server.base_url)
        start = urlsplit(category_of(cases["failing_listing"])).path
        runs = [cron_run(server, db, "published", start=start, export=export) for export in (False, True)]
        filed = [record for record in load_ground_truth(root, server.base_url)
                 if server.base_url + start in [category["url"] for category in record["categories"]]]
    return runs, cases, filed


def test_a_category_crawl_that_loses_a_page_exits_4_and_the_next_one_archives_the_whole_category(category_crawls):
    (first, second), cases, filed = category_crawls
    assert first.result.returncode == 4, first.said()
    assert cases["failing_listing"] in first.incomplete(), first.said()
    assert first.incomplete() <= {cases["failing_listing"], category_of(cases["failing_listing"])}, first.said()
    assert second.result.returncode == 0, second.said()
    assert second.incomplete() == set()
    archived = {key: shape(record) for key, record in second.records.items()}
    assert {record["id"]: archived.get(record["id"]) for record in filed} == {record["id"]: shape(record) for record in filed}


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_replica_serves_every_hostile_case_and_feeds_that_stay_xml(tmp_path):
    root = build_hostile_content_site(tmp_path / "site").root
    with FaultServer(root, hostile_content_plan(root, attempts=2)) as server:
        cases = load_hostile_content(root, server.base_url)
        failing = [get(cases["failing_listing"])[0] for _ in range(3)]
        home = get(server.base_url + "/")[1].decode()
        roles = {role: get(url)[1].decode() for role, url in cases["roles"].items()}
        atom = get(server.base_url + "/atom.xml")[1]
    assert failing == [500, 500, 200]
    assert all(f'href="{href}' in home for href in cases["malformed"]) and "http://www.example.org:80a/" in home
    assert "99999999999999999999 commentaires" in roles["count-huge"] and "Commentaires (-3)" in roles["count-negative"]
    assert "&#27;[2J" in roles["title-csi"] and "\x1b]0;pwned\x07" in roles["title-osc"] and "\x9b" in roles["comment-controls"]
    assert 'datetime="99999-' in roles["date-attr"] and "31 février 2022" in roles["comment-dates"]
    assert ElementTree.fromstring(atom).tag.endswith("feed")


def digest(root: Path) -> dict[str, str]:
    """Hash of every page of a built site, by URL path."""
    return {"/" + str(path.relative_to(root)): hashlib.sha1(path.read_bytes()).hexdigest()
            for path in root.rglob("*") if path.is_file() and not path.name.startswith("_")}


def test_each_step_rewrites_only_the_pages_it_changes(tmp_path):
    root = tmp_path / "site"
    build = [sys.executable, "-m", "archiver.replica", "build", str(root), "--hostile-content"]
    build_hostile_content_site(root)
    published, cases = digest(root), load_hostile_content(root)
    said = subprocess.run([*build, "--step", "1"], check=True, capture_output=True, text=True).stdout
    outage = digest(root)
    shown = {role: (root / urlsplit(cases["roles"][role]).path.lstrip("/")).read_bytes() for role in OUTAGE}
    build_hostile_content_site(root, step=2)
    restored, after = digest(root), load_hostile_content(root)
    truth = {record["url"]: record for record in load_ground_truth(root)}
    assert said.startswith("step 1: outage\n64 posts")
    assert {path for path in published if outage[path] != published[path]} == {
        urlsplit(cases["roles"][role]).path for role in OUTAGE}
    assert shown == {"maintenance": MAINTENANCE.encode(), "empty": b"", "foreign": FOREIGN.encode()}
    assert all(restored[urlsplit(cases["roles"][role]).path] == published[urlsplit(cases["roles"][role]).path] for role in OUTAGE)
    assert "backdated" not in cases["roles"] and len(truth) == 65
    backdated = truth[after["roles"]["backdated"]]
    assert backdated["published"] < "2021" and urlsplit(backdated["url"]).path in restored
    assert cases["moved_from"] not in [category["url"] for category in truth[cases["roles"]["moved"]]["categories"]]
