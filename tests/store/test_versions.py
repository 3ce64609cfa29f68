"""A post's versions on real SQLite files: what counts as a change, and what the archive keeps of the one before."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from archiver import store
from archiver.items import Category, Comment, Post
from archiver.store.schema import MIGRATIONS

PARIS = ZoneInfo("Europe/Paris")
T1, T2, T3, T4 = (datetime(2026, 11, day, 10, 0, tzinfo=UTC) for day in (24, 25, 26, 27))
BLOG = "http://127.0.0.1:8000"
MOVED = "http://127.0.0.1:9999"
ANNE = Comment(author="Anne", published=datetime(2022, 2, 5, 10, 0, tzinfo=PARIS), body_text="Merci.")
BRUNO = Comment(author="Bruno", published=datetime(2022, 2, 6, 9, 0, tzinfo=PARIS), body_text="Et Wagner ?")


def make_post(blog: str = BLOG, **fields) -> Post:
    """The post as the blog at `blog` shows it: a link to another of its notes, two categories, two comments."""
    defaults = {
        "url": f"{blog}/archive/2022/02/04/mali-6362153.html",
        "title": "Le Mali et la Russie",
        "body_html": f'<p>Bamako. <a href="{blog}/archive/2022/01/10/wagner-6360001.html">Wagner</a></p>',
        "body_text": "Bamako. Wagner",
        "categories": [Category("AFRICOM", f"{blog}/africom/"), Category("Relations Mali-Russie", f"{blog}/relations-mali-russie/")],
        "comments": [ANNE, BRUNO],
        "comments_count": 2,
    }
    return Post(**({"id": "6362153"} | defaults | fields))


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    store.save_post(archive, make_post(), run_id=None, now=T1)
    yield archive
    archive.close()


def test_a_change_only_in_the_html_is_a_new_version(db):
    edited = make_post(body_html=make_post().body_html.replace("wagner-6360001", "wagner-6360002"))

    assert store.save_post(db, edited, run_id=None, now=T2) == "updated"

    [revision] = store.get_post(db, "6362153")["revisions"]
    assert "wagner-6360001" in revision["body_html"] and revision["content_hash"] == edited_hash(db)


def edited_hash(db) -> str:
    return db["posts"].get("6362153")["content_hash"]


def test_whitespace_in_the_html_is_not_a_change(db):
    spaced = make_post(body_html=make_post().body_html.replace("<p>Bamako. ", "<p>Bamako.\n   "))
    assert store.save_post(db, spaced, run_id=None, now=T2) == "unchanged"


def test_the_blog_served_from_another_host_or_port_is_the_same_version_at_its_new_url(db):
    assert store.save_post(db, make_post(MOVED), run_id=None, now=T2) == "unchanged"

    post = store.get_post(db, "6362153")
    assert (post["url"], post["revisions"]) == (make_post(MOVED).url, [])
    assert MOVED in post["body_html"]


def test_a_category_that_leaves_the_post_is_kept_in_the_revision(db):
    fewer = make_post(categories=make_post().categories[:1])

    assert store.save_post(db, fewer, run_id=None, now=T2) == "updated"

    post = store.get_post(db, "6362153")
    assert [c["name"] for c in post["categories"]] == ["AFRICOM"]
    assert [c["name"] for c in post["revisions"][0]["categories"]] == ["AFRICOM", "Relations Mali-Russie"]
    assert post["revisions"][0]["body_text"] == post["body_text"]


def test_a_comment_that_leaves_the_page_stays_marked_removed_on_the_day_it_was_last_seen(db):
    store.save_post(db, make_post(), run_id=None, now=T2)  # still there on the 25th

    assert store.save_post(db, make_post(comments=[BRUNO], comments_count=1), run_id=None, now=T3) == "updated"

    post = store.get_post(db, "6362153")
    assert [(c["author"], c["removed"]) for c in post["comments"]] == [("Anne", "2026-11-25T10:00:00+00:00"), ("Bruno", None)]
    assert [c["author"] for c in post["revisions"][0]["comments"]] == ["Anne", "Bruno"]
    assert db["comments"].count == 2


def test_a_removed_comment_that_shows_again_is_live_again_and_never_stored_twice(db):
    store.save_post(db, make_post(comments=[BRUNO]), run_id=None, now=T2)
    assert store.save_post(db, make_post(), run_id=None, now=T3) == "updated"

    post = store.get_post(db, "6362153")
    assert [(c["author"], c["removed"]) for c in post["comments"]] == [("Anne", None), ("Bruno", None)]
    assert db["comments"].count == 2
    assert [[c["author"] for c in r["comments"]] for r in post["revisions"]] == [["Anne", "Bruno"], ["Bruno"]]


def test_a_new_comment_is_a_new_version(db):
    reply = Comment(author="Chloé", body_text="Merci pour ce billet.")
    assert store.save_post(db, make_post(comments=[ANNE, BRUNO, reply], comments_count=3), run_id=None, now=T2) == "updated"
    assert [c["author"] for c in store.get_post(db, "6362153")["comments"]] == ["Anne", "Bruno", "Chloé"]


def test_a_reextracted_post_keeps_the_url_last_seen_and_gone_that_only_a_crawl_knows(db):
    store.mark_gone(db, "6362153", now=T2)
    edited = make_post(MOVED, body_text="Bamako, mars 2022. Wagner")

    assert store.save_reextracted_post(db, edited, fetched_at="2026-11-20T08:00:00+00:00", now=T3) == "updated"

    row = db["posts"].get("6362153")
    assert (row["url"], row["last_seen"], row["gone"]) == (make_post().url, "2026-11-24T10:00:00+00:00", "2026-11-25T10:00:00+00:00")
    assert (row["body_text"], row["updated"]) == ("Bamako, mars 2022. Wagner", "2026-11-26T10:00:00+00:00")


def test_a_post_first_found_by_reextraction_takes_its_pages_url_and_fetch_time(db):
    other = make_post(id="6362154", url=f"{BLOG}/archive/2022/02/05/niger-6362154.html")
    assert store.save_reextracted_post(db, other, fetched_at="2026-11-20T08:00:00+00:00", now=T4) == "inserted"

    row = db["posts"].get("6362154")
    assert (row["url"], row["first_seen"], row["last_seen"]) == (other.url, "2026-11-20T08:00:00+00:00", "2026-11-20T08:00:00+00:00")


def test_a_version_2_archive_is_migrated_with_its_pages_comments_and_versions(tmp_path):
    path = tmp_path / "v2.db"
    old = Database(path)
    for migration in MIGRATIONS[:2]:
        migration(old)
    old.execute("PRAGMA user_version = 2")
    post = make_post()
    old["posts"].insert({"id": post.id, "url": post.url, "title": post.title, "body_text": post.body_text,
                         "body_html": post.body_html, "comments_count": 2, "first_seen": "2026-11-24T10:00:00+00:00",
                         "last_seen": "2026-11-24T10:00:00+00:00", "updated": "2026-11-24T10:00:00+00:00"})
    for position, (slug, category) in enumerate(zip(["africom", "relations-mali-russie"], post.categories, strict=True), start=1):
        old["categories"].insert({"slug": slug, "name": category.name, "url": category.url})
        old["post_categories"].insert({"post_id": post.id, "category_slug": slug, "position": position})
    for position, comment in enumerate(post.comments, start=1):
        old["comments"].insert({"post_id": post.id, "position": position, "author": comment.author,
                                "published": comment.published.isoformat(), "body_text": comment.body_text})
    old["pages"].insert({"url": post.url, "status": 500, "kind": "post", "fetched_at": "2026-11-24T10:00:00+00:00",
                         "error": "HTTP 500", "html": zlib.compress(b"<h1>500</h1>")})
    old.close()

    db = store.open_archive(path)

    assert store.schema_version(db) == store.SCHEMA_VERSION
    page = db["pages"].get(post.url)
    assert (page["last_status"], page["last_fetched_at"], page["last_error"]) == (500, "2026-11-24T10:00:00+00:00", "HTTP 500")
    assert store.save_post(db, make_post(), run_id=None, now=T2) == "unchanged"  # its version was hashed
    assert [c["removed"] for c in store.get_post(db, post.id)["comments"]] == [None, None]
    db.close()
