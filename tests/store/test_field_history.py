"""Every field has history: a change of date, author, print link or comment count is a new version, kept in a
revision and stamped `updated` (seen by `export --updated-since`); so is a post back from gone. Over real
HTTP against the replica, then on real SQLite files."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database

from archiver import store
from archiver.views.export_records import iter_export_records
from archiver.items import Category, Post
from archiver.replica import BASE_TOKEN, ReplicaServer, load_ground_truth
from archiver.store.schema import MIGRATIONS
from conftest import LOCAL, run_archiver

CATEGORY = "/relations-russie-mali/"  # five posts, classic and modern
# post id -> (field, text on its page, what it becomes)
EDITS = {
    "6362153": ("published", "vendredi, 04 février 2022", "samedi, 05 février 2022"),
    "6361312": ("author", '<span itemprop="name">Jean-Luc Morel</span>', '<span itemprop="name">J.-L. Morel</span>'),
    "6361828": ("print_url", 'href="BASE/apps/print/6361828.html"', 'href="javascript:window.print()"'),
    "6361426": ("comments_count", ">1 commentaire<", ">2 commentaires<"),
}
COMES_BACK = "6362486"  # answers 404 in the second crawl, and again in the third


def exported(db, *args: str) -> dict[str, dict]:
    """`archiver export json ARGS`, by id."""
    result = run_archiver("export", "json", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return {record["id"]: record for record in json.loads(result.stdout)}


def records(db, **filters) -> dict[str, dict]:
    """The export records (with revisions), read in this process, by id."""
    archive = store.open_readonly_archive(db)
    try:
        return {record["id"]: record for record in iter_export_records(archive, with_revisions=True, **filters)}
    finally:
        archive.close()


def next_second() -> str:
    """The next whole second, UTC, once it has begun: after every stamp written so far (stamps are to the second),
    not after any written by a crawl started now (forked from the tests' fork server, a crawl starts at once)."""
    second = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    time.sleep(max(0.0, (second - datetime.now(UTC)).total_seconds()))
    return second.isoformat()


@pytest.fixture(scope="module")
def history(site, tmp_path_factory):
    """The category crawled; one field of four posts edited and a fifth answering 404 (--revalidate); the
    fifth back (--revalidate again). All on one port."""
    folder = tmp_path_factory.mktemp("field-history")
    root, db = shutil.copytree(site, folder / "site"), folder / "archive.db"
    truth = {record["id"]: record for record in load_ground_truth(root, BASE_TOKEN)}
    faults_file = root / "_faults.json"
    faults = json.loads(faults_file.read_text(encoding="utf-8"))
    with ReplicaServer(root) as server:
        first = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL)
        before, after_first = records(db), next_second()
        for post_id, (_, old, new) in EDITS.items():
            page = root / urlsplit(truth[post_id]["url"]).path.lstrip("/")
            html, old = page.read_text(encoding="utf-8"), old.replace("BASE", BASE_TOKEN)
            assert old in html, post_id
            page.write_text(html.replace(old, new), encoding="utf-8")
        faults_file.write_text(json.dumps(faults | {"overrides": {urlsplit(truth[COMES_BACK]["url"]).path: 404}}), encoding="utf-8")
        second = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
        after_second = next_second()
        faults_file.write_text(json.dumps(faults), encoding="utf-8")
        third = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    return {"runs": (first, second, third), "before": before, "after": records(db), "db": db,
            "after_first": after_first, "after_second": after_second}


def test_a_change_of_one_field_is_a_new_version(history):
    first, second, third = history["runs"]

    assert "posts: 5 new" in first.stdout
    assert "posts: 0 new, 4 updated, 0 unchanged" in second.stdout  # and one answered 404
    assert "posts: 0 new, 0 updated, 5 unchanged" in third.stdout


@pytest.mark.parametrize("post_id", EDITS, ids=[field for field, _, _ in EDITS.values()])
def test_the_revision_holds_the_earlier_value_of_the_field_that_changed(history, post_id):
    field = EDITS[post_id][0]
    before, after = history["before"][post_id], history["after"][post_id]

    [revision] = after["revisions"]
    assert after[field] != before[field]
    assert {name: revision[name] for name in ("published", "author", "print_url", "comments_count")} == {
        name: before[name] for name in ("published", "author", "print_url", "comments_count")}
    assert (revision["title"], revision["body_text"]) == (before["title"], before["body_text"])
    assert revision["seen_until"] == after["updated"] > before["updated"]


def test_export_updated_since_sees_each_changed_post_and_the_post_back_from_gone(history):
    since_first = exported(history["db"], "--updated-since", history["after_first"])
    since_second = records(history["db"], updated_since=history["after_second"])

    assert set(since_first) == {*EDITS, COMES_BACK}
    assert set(since_second) == {COMES_BACK}
    back = since_second[COMES_BACK]
    assert back["gone"] is None and back["updated"] > history["before"][COMES_BACK]["updated"]


# On real SQLite files: each field alone, the moved blog, an archive older than schema 8, the fetch time.
T1, T2, T3 = (datetime(2026, 11, day, 10, 0, tzinfo=UTC) for day in (24, 25, 26))
BLOG, MOVED = "http://127.0.0.1:8000", "http://127.0.0.1:9999"


def make_post(blog: str = BLOG, **fields) -> Post:
    defaults = {
        "id": "6362153", "url": f"{blog}/archive/2022/02/04/mali-6362153.html", "title": "Le Mali et la Russie",
        "published": datetime(2022, 2, 4, 10, 30, tzinfo=UTC), "author": "E.B.", "body_text": "Bamako.",
        "body_html": "<p>Bamako.</p>", "print_url": f"{blog}/apps/print/6362153.html", "comments_count": 2,
        "categories": [Category("AFRICOM", f"{blog}/africom/")],
    }
    return Post(**(defaults | fields))


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    store.save_post(archive, make_post(), run_id=None, now=T1)
    yield archive
    archive.close()


STORED = {"published": "2022-02-04T10:30:00+00:00", "author": "E.B.", "print_url": f"{BLOG}/apps/print/6362153.html",
          "comments_count": 2}


@pytest.mark.parametrize("field, value", [
    ("published", datetime(2022, 2, 5, 10, 30, tzinfo=UTC)), ("author", None), ("print_url", None), ("comments_count", 3),
])
def test_each_field_alone_makes_a_revision_with_its_earlier_value(db, field, value):
    assert store.save_post(db, make_post(**{field: value}), run_id=None, now=T2) == "updated"

    post = store.get_post(db, "6362153")
    [revision] = post["revisions"]
    assert {name: revision[name] for name in STORED} == STORED
    assert post[field] != STORED[field] and all(post[name] == STORED[name] for name in STORED if name != field)
    assert (post["updated"], revision["seen_until"]) == ("2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00+00:00")


def test_the_blog_served_from_another_host_keeps_its_print_link_version(db):
    assert store.save_post(db, make_post(MOVED), run_id=None, now=T2) == "unchanged"
    assert store.get_post(db, "6362153")["print_url"] == f"{MOVED}/apps/print/6362153.html"


def test_last_seen_is_when_the_page_was_fetched_and_a_change_is_stamped_when_it_was_written(db):
    fetched = datetime(2026, 11, 25, 9, 59, 30, tzinfo=UTC)
    other = make_post(id="6362154", url=f"{BLOG}/archive/2022/02/05/niger-6362154.html", fetched_at=fetched)

    store.save_post(db, other, run_id=None, now=T2)
    store.save_post(db, make_post(title="Le Mali, la Russie", fetched_at=fetched), run_id=None, now=T2)

    new, changed = db["posts"].get("6362154"), db["posts"].get("6362153")
    assert (new["first_seen"], new["last_seen"], new["updated"]) == ("2026-11-25T09:59:30+00:00",) * 3
    assert (changed["last_seen"], changed["updated"]) == ("2026-11-25T09:59:30+00:00", "2026-11-25T10:00:00+00:00")


def test_a_304_is_seen_at_its_fetch_time_and_a_post_back_from_gone_is_stamped_updated(db):
    store.mark_gone(db, "6362153", now=T2)

    assert store.mark_seen(db, make_post().url, run_id=None, now=T3)

    row = db["posts"].get("6362153")
    assert (row["last_seen"], row["gone"]) == ("2026-11-26T10:00:00+00:00", None)
    assert row["updated"] > "2026-11-26T10:00:00+00:00"


def test_an_archive_older_than_schema_8_is_hashed_again_and_its_old_revisions_record_no_field(tmp_path):
    path = tmp_path / "v7.db"
    old = Database(path)
    for migration in MIGRATIONS[:7]:
        migration(old)
    old.execute("PRAGMA user_version = 7")
    seven, post = old, make_post()
    seven["posts"].insert({"id": post.id, "url": post.url, "title": post.title, "body_text": post.body_text,
                           "body_html": post.body_html, "published": "2022-02-04T10:30:00+00:00", "author": "E.B.",
                           "print_url": post.print_url, "comments_count": 2, "first_seen": "2026-11-24T10:00:00+00:00",
                           "last_seen": "2026-11-24T10:00:00+00:00", "updated": "2026-11-24T10:00:00+00:00",
                           "version_hash": "an older version key"})
    seven["categories"].insert({"slug": "africom", "name": "AFRICOM", "url": f"{BLOG}/africom/"})
    seven["post_categories"].insert({"post_id": post.id, "category_slug": "africom", "position": 1})
    seven["revisions"].insert({"post_id": post.id, "title": "Le Mali", "body_text": "Bamako", "content_hash": "0" * 64,
                               "seen_from": "2026-11-20T10:00:00+00:00", "seen_until": "2026-11-24T10:00:00+00:00"})
    seven.conn.commit()
    seven.close()

    db = store.open_archive(path)
    try:
        assert store.save_post(db, make_post(), run_id=None, now=T2) == "unchanged"
        [revision] = store.get_post(db, post.id)["revisions"]
        assert not {"published", "author", "print_url", "comments_count"} & set(revision)
    finally:
        db.close()
