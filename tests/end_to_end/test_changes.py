"""When the blog changes between crawls: an edited post keeps its earlier version, a vanished post is marked gone."""

import json
import shutil
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import BASE_TOKEN, load_ground_truth
from conftest import crawl_site, run_archiver


@pytest.fixture
def own_site(site, tmp_path):
    """A private copy of the replica that a test may edit."""
    return shutil.copytree(site, tmp_path / "site")


def post_file(site, record):
    return site / urlsplit(record["url"]).path.lstrip("/")


def test_an_edited_post_is_updated_and_its_earlier_version_kept(own_site, tmp_path):
    db = tmp_path / "a.db"
    crawl_site(own_site, ["/relations-mali-russie/"], db)
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    page = post_file(own_site, record)
    page.write_text(page.read_text(encoding="utf-8").replace("Sergueï Lavrov a lancé", "Sergueï Lavrov a ensuite lancé"), encoding="utf-8")

    again = crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate")  # asks again for every post
    assert "posts: 0 new, 1 updated, 3 unchanged" in again.result.stdout
    exported = json.loads(run_archiver("export", "json", "--db", str(db), "--with-revisions").stdout)
    post = next(p for p in exported if p["id"] == "6362153")
    assert "a ensuite lancé" in post["body_text"]
    assert len(post["revisions"]) == 1 and "Sergueï Lavrov a lancé" in post["revisions"][0]["body_text"]
    assert post["revisions"][0]["content_hash"] != post["content_hash"]


def test_a_post_that_answers_404_stays_in_the_archive_marked_gone(own_site, tmp_path):
    db = tmp_path / "a.db"
    crawl_site(own_site, ["/relations-mali-russie/"], db)
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    post_file(own_site, record).unlink()

    again = crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate")
    assert again.result.returncode == 0
    assert "3 unchanged, 1 gone, 0 dropped; 0 errors." in again.result.stdout and "HTTP 404" not in again.result.stdout
    posts = {row["id"]: row for row in sqlite_utils.Database(db)["posts"].rows}
    assert len(posts) == 4 and posts["6362153"]["gone"] is not None
    assert [row["id"] for row in posts.values() if row["gone"]] == ["6362153"]


def test_reextract_leaves_a_gone_post_gone(own_site, tmp_path):
    db = tmp_path / "a.db"
    crawl_site(own_site, ["/relations-mali-russie/"], db)
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    post_file(own_site, record).unlink()
    crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate")
    gone = sqlite_utils.Database(db)["posts"].get("6362153")

    assert run_archiver("reextract", "--db", str(db)).returncode == 0  # its good page from the first crawl is re-read

    again = sqlite_utils.Database(db)["posts"].get("6362153")
    assert (again["gone"], again["last_seen"], again["url"]) == (gone["gone"], gone["last_seen"], gone["url"])
