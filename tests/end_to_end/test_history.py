"""History, not overwrite: what a crawl or `reextract` must never lose, over real HTTP against the replica."""

import json
import shutil
import zlib
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import BASE_TOKEN, ReplicaServer, load_ground_truth
from conftest import LOCAL, crawl_site, run_archiver

CATEGORY = "/relations-mali-russie/"  # four posts, among them the seed note 6362153 (two comments, five categories)


@pytest.fixture
def own_site(site, tmp_path):
    """A private copy of the replica that a test may edit."""
    return shutil.copytree(site, tmp_path / "site")


def seed_note(site) -> dict:
    return next(record for record in load_ground_truth(site, BASE_TOKEN) if record["id"] == "6362153")


def edit(site, record: dict, old: str, new: str) -> None:
    """Replace text in the built HTML file of a post."""
    page = site / urlsplit(record["url"]).path.lstrip("/")
    html = page.read_text(encoding="utf-8")
    assert old in html
    page.write_text(html.replace(old, new), encoding="utf-8")


def exported(db, post_id: str = "6362153") -> dict:
    result = run_archiver("export", "json", "--db", str(db), "--with-revisions")
    return next(record for record in json.loads(result.stdout) if record["id"] == post_id)


def reextract(db) -> str:
    result = run_archiver("reextract", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_post_that_answers_500_keeps_its_good_page_and_reextract_keeps_its_text(own_site, tmp_path):
    db, note = tmp_path / "a.db", seed_note(own_site)
    path = urlsplit(note["url"]).path
    with ReplicaServer(own_site) as server:  # one host and port: the same URL answers good, then 500
        assert run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL).returncode == 0
        before = exported(db)
        faults = json.loads((own_site / "_faults.json").read_text(encoding="utf-8"))
        faults["overrides"][path] = 500
        (own_site / "_faults.json").write_text(json.dumps(faults), encoding="utf-8")
        run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
        url = server.base_url + path

    assert "0 updated" in reextract(db)
    after = exported(db)
    assert (after["body_text"], after["updated"], after["revisions"]) == (before["body_text"], before["updated"], [])
    assert (after["url"], after["last_seen"]) == (before["url"], before["last_seen"])
    page = sqlite_utils.Database(db)["pages"].get(url)
    assert page["status"] == 200 and note["title"].encode() in zlib.decompress(page["html"])
    assert (page["last_status"], page["last_error"]) == (500, "HTTP 500")


def test_a_blog_served_on_another_port_makes_no_revision_and_reextract_keeps_the_new_urls(site, tmp_path):
    db = tmp_path / "a.db"
    crawl_site(site, [CATEGORY], db)
    again = crawl_site(site, [CATEGORY], db, "--full")  # every crawl_site serves the replica on a fresh port
    assert "posts: 0 new, 0 updated, 4 unchanged" in again.result.stdout

    assert "Re-extracted 4 posts" in (said := reextract(db)) and "0 updated, 4 unchanged" in said
    assert "4 older copies passed over" in said  # each post's page under the first port

    archive = sqlite_utils.Database(db)
    assert archive["revisions"].count == 0
    assert {row["url"].split("/archive/")[0] for row in archive["posts"].rows} == {again.base_url}


def test_a_comment_and_a_category_removed_from_a_post_survive_in_the_archive(own_site, tmp_path):
    db, note = tmp_path / "a.db", seed_note(own_site)
    crawl_site(own_site, [CATEGORY], db)
    first = exported(db)
    gone_comment, gone_category = note["comments"][0], note["categories"][-1]
    edit(own_site, note, f', <a href="{gone_category["url"]}">{gone_category["name"]}</a>', "")
    edit(own_site, note, "2 commentaires", "1 commentaire")
    page = own_site / urlsplit(note["url"]).path.lstrip("/")
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="commentparent"')
    page.write_text(html[:start] + html[html.index("</div>", html.index(gone_comment["author"])) + len("</div>"):], encoding="utf-8")

    again = crawl_site(own_site, [CATEGORY], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")

    assert "posts: 0 new, 1 updated, 3 unchanged" in again.result.stdout
    post = exported(db)
    comments = {comment["author"]: comment["removed"] for comment in post["comments"]}
    assert comments == {gone_comment["author"]: first["last_seen"], note["comments"][1]["author"]: None}
    assert gone_category["name"] not in [category["name"] for category in post["categories"]]
    [revision] = post["revisions"]
    assert [category["name"] for category in revision["categories"]] == [c["name"] for c in note["categories"]]
    assert [comment["author"] for comment in revision["comments"]] == [c["author"] for c in note["comments"]]


def test_a_post_whose_only_change_is_a_links_href_gets_a_revision(own_site, tmp_path):
    db, note = tmp_path / "a.db", seed_note(own_site)
    linked = '<a href="https://fr.wikipedia.invalid/wiki/Lavrov">Sergueï Lavrov</a> a lancé'
    edit(own_site, note, "Sergueï Lavrov a lancé", linked)
    crawl_site(own_site, [CATEGORY], db)
    edit(own_site, note, "wiki/Lavrov", "wiki/Sergue%C3%AF_Lavrov")

    again = crawl_site(own_site, [CATEGORY], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")

    assert "posts: 0 new, 1 updated, 3 unchanged" in again.result.stdout
    post = exported(db)
    assert "Sergue%C3%AF_Lavrov" in post["body_html"] and "wiki/Lavrov" in post["revisions"][0]["body_html"]
    assert post["revisions"][0]["body_text"] == post["body_text"]
