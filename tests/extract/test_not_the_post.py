"""A page that is not the post never becomes it, over real HTTP: a maintenance page, an empty 200, another
site's page at an archived post's URL; a parked domain's page at a new post's URL."""

from __future__ import annotations

import shutil
import zlib
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver import store
from archiver.extract import extract_post, page_selector
from archiver.extract.recognise import Archived, not_the_post, recognise
from archiver.replica import BASE_TOKEN, ReplicaServer, load_ground_truth
from conftest import LOCAL, export_records, run_archiver

CATEGORY = "/relations-mali-russie/"  # four posts: two classic, two modern
MAINTENANCE = ("<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>Maintenance</h1>"
               "<p>Le blog est en cours de maintenance, revenez dans quelques minutes.</p></body></html>")
ANOTHER_SITE = """<!DOCTYPE html><html lang="en"><head><title>Hello world! – Another Blog</title>
<link rel="canonical" href="https://another-blog.invalid/2024/05/hello-world/"></head>
<body><article><h1 class="entry-title">Hello world!</h1><div class="entry-content">
<p>Welcome to WordPress. This is your first post. Edit or delete it, then start writing!</p>
<p>Posted in Uncategorized. Leave a reply.</p></div></article></body></html>"""
PARKED = """<!DOCTYPE html><html><head><title>blog.replica.invalid</title></head><body>
<h1>blog.replica.invalid</h1><p>This domain may be for sale. Related searches: travel, insurance, hosting.</p>
</body></html>"""
# post id -> what its URL answers in the second crawl (None: itself); 6361828 answers a parked page from the start
SECOND = {"6362153": MAINTENANCE, "6361888": "", "6362150": ANOTHER_SITE, "6361828": None}


def page_file(root, record: dict):
    return root / urlsplit(record["url"]).path.lstrip("/")


@pytest.fixture(scope="module")
def crawls(site, tmp_path_factory):
    """The category crawled twice on one port: a new post is a parked page from the start; then three
    archived posts answer a maintenance page, an empty 200 and another site's page (--revalidate)."""
    folder = tmp_path_factory.mktemp("not-the-post")
    root, db = shutil.copytree(site, folder / "site"), folder / "archive.db"
    truth = {record["id"]: record for record in load_ground_truth(root, BASE_TOKEN) if record["id"] in SECOND}
    page_file(root, truth["6361828"]).write_text(PARKED, encoding="utf-8")
    with ReplicaServer(root) as server:
        first = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL)
        before = {record["id"]: record for record in export_records(db)}
        for post_id, html in SECOND.items():
            if html is not None:
                page_file(root, truth[post_id]).write_text(html, encoding="utf-8")
        # behind the listing's back (the listing still shows each post as archived): the per-post revalidation
        again = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, "--revalidate",
                             "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
        urls = {post_id: server.base_url + urlsplit(record["url"]).path for post_id, record in truth.items()}
    return {"first": first, "again": again, "before": before, "after": {r["id"]: r for r in export_records(db)},
            "db": db, "urls": urls, "truth": truth}


def failures(db, run_id: int) -> dict[str, dict]:
    rows = sqlite_utils.Database(db).query("select * from crawl_failures where run_id = ?", [run_id])
    return {row["url"]: row for row in rows}


@pytest.mark.parametrize("post_id", ["6362153", "6361888", "6362150"], ids=["maintenance", "empty-200", "another-site"])
def test_an_archived_post_keeps_every_field_when_its_url_answers_another_page(crawls, post_id):
    before, after = crawls["before"][post_id], crawls["after"][post_id]

    assert after == before
    assert after["title"] == crawls["truth"][post_id]["title"]


@pytest.mark.parametrize("post_id", ["6362153", "6361888", "6362150"], ids=["maintenance", "empty-200", "another-site"])
def test_the_good_raw_page_stays_and_the_attempt_is_kept_beside_it(crawls, post_id):
    page = sqlite_utils.Database(crawls["db"])["pages"].get(crawls["urls"][post_id])

    assert (page["status"], page["error"]) == (200, None)
    assert crawls["truth"][post_id]["title"].encode() in zlib.decompress(page["html"])
    assert (page["last_status"], page["last_error"]) == (200, "not the post")


def test_each_attempt_is_recorded_as_not_the_post_saying_what_was_missing(crawls):
    recorded = failures(crawls["db"], 2)
    maintenance, empty, other = (recorded[crawls["urls"][post_id]] for post_id in ("6362153", "6361888", "6362150"))

    assert {row["kind"] for row in (maintenance, empty, other)} == {"not-the-post"}
    assert {row["status"] for row in (maintenance, empty, other)} == {200}
    assert maintenance["reason"].startswith("no post id, no permalink, no platform marker, title 'Maintenance'")
    assert maintenance["reason"].endswith(f", {len(MAINTENANCE.encode())} bytes")
    assert empty["reason"] == ("no post found: no post id, no permalink, no platform marker, no title "
                               f"(archived '{crawls['truth']['6361888']['title']}'), 0 bytes")
    assert other["reason"].startswith("its permalink names another page (https://another-blog.invalid/2024/05/hello-world/)")
    assert "posts: 0 new, 0 updated, 0 unchanged, 0 dropped; 4 errors" in crawls["again"].stdout  # the parked page again


def test_a_new_post_whose_url_answers_a_parked_page_is_not_archived(crawls):
    url = crawls["urls"]["6361828"]

    assert "6361828" not in crawls["before"] and "6361828" not in crawls["after"]
    [row] = [row for row in failures(crawls["db"], 1).values() if row["url"] == url]
    assert (row["kind"], row["status"]) == ("extraction", 200)  # no post here: nothing archived was refused
    assert row["reason"] == f"no post id, no permalink, no platform marker, title 'blog.replica.invalid', {len(PARKED.encode())} bytes"
    assert "posts: 3 new" in crawls["first"].stdout


def test_reextract_passes_over_the_pages_that_were_not_the_post(crawls):
    db = store.open_existing_archive(crawls["db"])
    try:
        kept = {page["url"] for page in store.iter_good_pages(db, kind="post")}
    finally:
        db.close()
    assert crawls["urls"]["6361828"] not in kept  # the parked page was never a good copy

    result = run_archiver("reextract", "--db", str(crawls["db"]))

    assert result.returncode == 0, result.stderr
    assert "0 updated, 3 unchanged, 0 new" in result.stdout and "0 not the post" in result.stdout


# The gate's pure checks (archiver.extract.recognise), on the replica's seed note.
BLOG = "http://127.0.0.1:8000"
SEED_URL = f"{BLOG}/archive/2022/02/04/offensive-diplomatique-russe-en-afrique-la-russie-denonce-l-6362153.html"


def identity(body: bytes, url: str = SEED_URL):
    page = page_selector(body, url, "text/html")
    return recognise(page, url, extract_post(page, url) if page.type == "html" else None, len(body))


@pytest.fixture(scope="module")
def seed_page(site) -> bytes:
    return (site / urlsplit(SEED_URL).path.lstrip("/")).read_bytes().replace(BASE_TOKEN.encode(), BLOG.encode())


def test_a_post_page_of_the_platform_is_its_post_new_or_archived(seed_page):
    found = identity(seed_page)

    assert not_the_post(found, None) is None
    assert not_the_post(found, Archived("6362153", SEED_URL, "Un titre d'avant", "modern")) is None  # its permalink says so
    assert {"'Lien permanent'", "'Imprimer'", "'Catégories :'", "a comment count", "theme classic"} <= set(found.markers)


def test_a_page_whose_permalink_names_another_post_is_not_this_one(seed_page):
    other = f"{BLOG}/archive/2022/02/05/une-autre-note-6362999.html"

    reason = not_the_post(identity(seed_page, other), Archived("6362999", other, "Une autre note", "classic"))

    assert reason.startswith(f"its permalink names another page ({SEED_URL})")


@pytest.mark.parametrize("body", [b'{"note": 6362153}', b'<?xml version="1.0"?><rss><channel/></rss>', b"\x00\x01"])
def test_a_document_that_is_not_html_is_not_a_post(body):
    assert not_the_post(identity(body), None) == (
        f"no post found: no post id, no permalink, no platform marker, no title, {len(body)} bytes")
