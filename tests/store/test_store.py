"""The archive on real SQLite files: schema, posts and revisions, FTS, pages, runs, queries."""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from archiver import store
from archiver.pipelines.validate import Validate
from archiver.errors import ArchiveError, UsageError
from archiver.items import Category, Comment, FetchedPage, Post, Tag

PARIS = ZoneInfo("Europe/Paris")
T1 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
T3 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
BLOG = "http://127.0.0.1:8000"
AFRICOM = Category("AFRICOM", f"{BLOG}/africom/")
AFRIQUE_DU_SUD = Category("AFRIQUE DU SUD", f"{BLOG}/afrique-du-sud/")
MALI = Category("Relations Mali-Russie", f"{BLOG}/relations-mali-russie/")


def make_post(post_id: str = "6362153", **fields) -> Post:
    """A post as extraction would hand it over, with a few overridable fields."""
    defaults = {
        "url": f"{BLOG}/archive/2022/02/04/mali-{post_id}.html",
        "title": "Le Mali et la Russie en février",
        "published": datetime(2022, 2, 4, 10, 30, tzinfo=PARIS),
        "author": "La rédaction",
        "body_html": "<p>Bamako, février 2022.</p>",
        "body_text": "Bamako, février 2022.",
        "categories": [AFRICOM, MALI],
        "comments_count": 0,
        "extraction": "classic",
    }
    return Post(id=post_id, **(defaults | fields))


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    yield archive
    archive.close()


@pytest.fixture
def run_id(db):
    return store.start_run(db, [f"{BLOG}/"], now=T1)


def post_row(db, post_id="6362153"):
    return db["posts"].get(post_id)


# -- opening the archive ---------------------------------------------------------------------


def test_opening_twice_keeps_the_schema_and_the_data(tmp_path):
    path = tmp_path / "archive.db"
    first = store.open_archive(path)
    store.save_post(first, make_post(), run_id=None, now=T1)
    tables = first.table_names()
    first.close()

    again = store.open_archive(path)

    assert again.table_names() == tables
    assert store.schema_version(again) == store.SCHEMA_VERSION
    assert [row["id"] for row in again["posts"].rows] == ["6362153"]
    again.close()


def test_archive_is_in_wal_mode_with_foreign_keys_on(db):
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_are_declared_for_datasette(db):
    links = {(fk.column, fk.other_table) for fk in db["post_categories"].foreign_keys}
    assert links == {("post_id", "posts"), ("category_slug", "categories")}


def test_open_archive_creates_the_parent_directory(tmp_path):
    db = store.open_archive(tmp_path / "data" / "nested" / "archive.db")
    assert (tmp_path / "data" / "nested" / "archive.db").exists()
    db.close()


def test_open_archive_rejects_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Lien permanent | Catégories : AFRICOM | 0 commentaire\n" * 100)
    with pytest.raises(ArchiveError, match="notes.db"):
        store.open_archive(path)


def test_open_archive_rejects_an_archive_from_a_newer_version(tmp_path):
    path = tmp_path / "archive.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ArchiveError, match="newer"):
        store.open_archive(path)


# -- posts -----------------------------------------------------------------------------------


def test_content_hash_ignores_whitespace_changes_only():
    assert store.content_hash(" Titre\n", "Un  paragraphe.\n\nDeux.") == store.content_hash(
        "Titre", "Un paragraphe. Deux."
    )
    assert store.content_hash("Titre", "Un.") != store.content_hash("Titre", "Deux.")


def test_save_post_inserts_a_new_post(db, run_id):
    assert store.save_post(db, make_post(), run_id=run_id, now=T1) == "inserted"

    row = post_row(db)
    assert row["published"] == "2022-02-04T10:30:00+01:00"
    assert row["published_utc"] == "2022-02-04T09:30:00+00:00"
    assert row["first_seen"] == row["last_seen"] == row["updated"] == "2026-11-24T10:00:00+00:00"
    assert row["last_run_id"] == run_id
    assert row["content_hash"] == store.content_hash(row["title"], row["body_text"])


def test_same_content_is_unchanged_and_refreshes_metadata(db):
    store.save_post(db, make_post(), run_id=None, now=T1)
    moved = make_post(url="http://127.0.0.1:9999/archive/2022/02/04/mali-6362153.html")

    assert store.save_post(db, moved, run_id=None, now=T2) == "unchanged"

    row = post_row(db)
    assert row["url"] == moved.url
    assert (row["first_seen"], row["updated"]) == ("2026-11-24T10:00:00+00:00",) * 2
    assert row["last_seen"] == "2026-11-25T10:00:00+00:00"
    assert db["revisions"].count == 0


def test_changed_content_is_updated_and_the_old_version_kept(db):
    store.save_post(db, make_post(), run_id=None, now=T1)
    edited = make_post(body_text="Bamako, mars 2022.", body_html="<p>Bamako, mars 2022.</p>")

    assert store.save_post(db, edited, run_id=None, now=T2) == "updated"

    assert post_row(db)["body_text"] == "Bamako, mars 2022."
    assert post_row(db)["updated"] == "2026-11-25T10:00:00+00:00"
    [revision] = db["revisions"].rows
    assert revision["body_text"] == "Bamako, février 2022."
    assert (revision["seen_from"], revision["seen_until"]) == (
        "2026-11-24T10:00:00+00:00",
        "2026-11-25T10:00:00+00:00",
    )


def test_search_without_accents_finds_accented_words(db):
    store.save_post(db, make_post(), run_id=None, now=T1)
    assert [row["id"] for row in db["posts"].search("fevrier")] == ["6362153"]


def test_full_text_index_follows_updates(db):
    store.save_post(db, make_post(), run_id=None, now=T1)
    store.save_post(db, make_post(body_text="Moscou, mars 2022."), run_id=None, now=T2)

    assert list(db["posts"].search("Bamako")) == []
    assert [row["id"] for row in db["posts"].search("moscou")] == ["6362153"]


def test_categories_keep_page_order_and_are_shared_between_posts(db):
    store.save_post(db, make_post("1", categories=[MALI, AFRICOM]), run_id=None, now=T1)
    store.save_post(db, make_post("2", categories=[AFRICOM, AFRIQUE_DU_SUD]), run_id=None, now=T1)

    assert [c["name"] for c in store.get_post(db, "1")["categories"]] == [
        "Relations Mali-Russie",
        "AFRICOM",
    ]
    assert db["categories"].count == 3
    assert db["categories"].get("africom")["url"] == f"{BLOG}/africom/"


def test_categories_and_tags_are_listed_the_french_way_accents_and_case_aside(db):
    names = ["Wagner", "Économie", "Diplomatie", "défense", "AFRICOM"]
    store.save_post(db, make_post("1", categories=[Category(name, f"{BLOG}/{i}/") for i, name in enumerate(names)],
                                  tags=[Tag(name) for name in names]), run_id=None, now=T1)

    french = ["AFRICOM", "défense", "Diplomatie", "Économie", "Wagner"]
    assert [row["name"] for row in store.category_counts(db)] == french
    assert [row["name"] for row in store.tag_counts(db)] == french


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        (f"{BLOG}/africom/", "africom"),
        (f"{BLOG}/archives/category/africom/index-2.html", "africom"),
        (f"{BLOG}/g%C3%A9opolitique/", "géopolitique"),
        (f"{BLOG}/tag/africom/", "afrique-du-sud"),  # not a category page of the platform: the name
        ("", "afrique-du-sud"),
    ],
)
def test_category_slug_is_the_category_pages_slug_else_the_name(url, slug):
    assert store.category_slug(url, "Afrique du Sud") == slug


def test_comments_keep_page_order(db):
    replies = [Comment(author="Bruno", body_text="Un."), Comment(author="Chloé", body_text="Deux.")]
    store.save_post(db, make_post(comments=replies, comments_count=2), run_id=None, now=T1)

    comments = store.get_post(db, "6362153")["comments"]
    assert [(c["author"], c["removed"]) for c in comments] == [("Bruno", None), ("Chloé", None)]


@pytest.mark.parametrize("count", [99999999999999999999, 2**63, 1_000_001, -1])
def test_an_absurd_comment_count_is_refused_as_a_value_and_the_post_is_kept(db, count):
    stats = Counter()
    post = Validate(SimpleNamespace(inc_value=lambda key, n=1: stats.update({key: n}))).process_item(make_post(comments_count=count))

    assert post.comments_count is None
    [warning] = post.warnings
    assert (warning.kind, warning.field) == ("value-refused", "comments_count")
    assert warning.detail.startswith(f"{count} refused: not an integer from 0 to 1,000,000")
    assert stats == {"archiver/refused/comments_count": 1}
    assert store.save_post(db, post, run_id=None, now=T1) == "inserted"
    assert store.get_post(db, "6362153")["warnings"][0]["kind"] == "value-refused"


def test_a_number_sqlite_cannot_hold_is_an_archive_error_not_an_overflow(db):
    with pytest.raises(ArchiveError, match="cannot save post 6362153"):
        store.save_post(db, make_post(comments_count=2**64), run_id=None, now=T1)
    assert db["posts"].count == 0


def test_mark_gone_stamps_a_known_post_once(db):
    store.save_post(db, make_post(), run_id=None, now=T1)

    assert store.mark_gone(db, make_post().url, now=T2) is True
    assert store.mark_gone(db, "6362153", now=T3) is True
    assert post_row(db)["gone"] == "2026-11-25T10:00:00+00:00"
    assert store.mark_gone(db, "404404", now=T3) is False


def test_a_post_seen_again_is_no_longer_gone(db):
    store.save_post(db, make_post(), run_id=None, now=T1)
    store.mark_gone(db, "6362153", now=T2)
    store.save_post(db, make_post(), run_id=None, now=T3)
    assert post_row(db)["gone"] is None


def test_batch_rolls_back_every_write_when_something_fails(db, run_id):
    with pytest.raises(RuntimeError), store.batch(db):
        store.save_post(db, make_post(), run_id=run_id, now=T1)
        store.save_failure(db, run_id=run_id, url=BLOG, kind="http", reason="500", now=T1)
        raise RuntimeError("crawl crashed")

    assert db["posts"].count == 0
    assert db["crawl_failures"].count == 0
    assert list(db["posts"].search("fevrier")) == []


# -- pages -----------------------------------------------------------------------------------


def test_save_page_keeps_the_raw_bytes_compressed_with_their_content_type(db, run_id):
    html = "<html><body>" + "<p>Catégories : AFRICOM</p>" * 200 + "</body></html>"
    page = FetchedPage(url=f"{BLOG}/africom/", status=200, kind="category",
                       body=html.encode(), content_type="text/html; charset=utf-8")
    store.save_page(db, page, run_id=run_id, now=T1)

    row = db["pages"].get(page.url)
    assert row["size"] == len(html.encode()) > len(row["html"])
    assert zlib.decompress(row["html"]) == html.encode()
    assert (row["last_status"], row["last_fetched_at"], row["last_run_id"]) == (200, "2026-11-24T10:00:00+00:00", run_id)


def test_the_store_hands_back_bytes_and_content_type_and_leaves_decoding_to_extraction(db):
    latin1 = "<p>Février à Bamako</p>".encode("latin-1")
    store.save_page(db, FetchedPage(f"{BLOG}/a.html", 200, "post", latin1, content_type="text/html; charset=ISO-8859-1"),
                    run_id=None, now=T1)

    [page] = store.iter_good_pages(db)
    assert (page["body"], page["content_type"]) == (latin1, "text/html; charset=ISO-8859-1")


def test_a_not_modified_answer_keeps_the_stored_body(db):
    url = f"{BLOG}/africom/"
    store.save_page(db, FetchedPage(url, 200, "category", b"<p>liste</p>", etag='"a"'), run_id=None)
    store.save_page(db, FetchedPage(url, 304, "category", etag='"a"'), run_id=None, now=T2)

    row = db["pages"].get(url)
    assert (row["status"], row["fetched_at"], row["last_status"]) == (200, "2026-11-25T10:00:00+00:00", 304)
    assert zlib.decompress(row["html"]) == b"<p>liste</p>"


def test_an_error_answer_never_replaces_a_good_copy_and_is_recorded_as_the_last_attempt(db):
    url = f"{BLOG}/archive/2022/02/04/mali-6362153.html"
    store.save_page(db, FetchedPage(url, 200, "post", b"<p>Bamako</p>", content_type="text/html"), run_id=None, now=T1)
    store.save_page(db, FetchedPage(url, 500, "post", b"<h1>500</h1>", error="HTTP 500"), run_id=None, now=T2)

    row = db["pages"].get(url)
    assert (row["status"], row["fetched_at"], zlib.decompress(row["html"])) == (200, "2026-11-24T10:00:00+00:00", b"<p>Bamako</p>")
    assert (row["last_status"], row["last_fetched_at"], row["last_error"]) == (500, "2026-11-25T10:00:00+00:00", "HTTP 500")


def test_an_error_answer_is_kept_only_until_the_url_answers_well(db):
    url = f"{BLOG}/africom/"
    store.save_page(db, FetchedPage(url, 404, "category", b"<h1>404</h1>", error="HTTP 404"), run_id=None, now=T1)
    assert (db["pages"].get(url)["status"], list(store.iter_good_pages(db))) == (404, [])

    store.save_page(db, FetchedPage(url, 200, "category", b"<p>liste</p>"), run_id=None, now=T2)
    row = db["pages"].get(url)
    assert (row["status"], row["error"], row["last_status"], row["last_error"]) == (200, None, 200, None)


def test_a_page_that_is_not_the_post_never_replaces_a_good_copy_nor_becomes_one(db):
    url, new = f"{BLOG}/archive/2022/02/04/mali-6362153.html", f"{BLOG}/archive/2022/02/05/niger-6362154.html"
    store.save_page(db, FetchedPage(url, 200, "post", b"<p>Bamako</p>", etag='"a"'), run_id=None, now=T1)
    maintenance = b"<title>Maintenance</title>"
    store.save_page(db, FetchedPage(url, 200, "post", maintenance, etag='"m"', error="not the post"), run_id=None, now=T2)
    store.save_page(db, FetchedPage(new, 200, "post", maintenance, etag='"m"', error="not the post"), run_id=None, now=T2)

    kept, attempt = db["pages"].get(url), db["pages"].get(new)
    assert (kept["status"], kept["etag"], zlib.decompress(kept["html"])) == (200, '"a"', b"<p>Bamako</p>")
    assert (kept["last_status"], kept["last_error"]) == (200, "not the post")
    assert (attempt["status"], attempt["error"], attempt["etag"], zlib.decompress(attempt["html"])) == (200, "not the post", None, maintenance)
    assert [page["url"] for page in store.iter_good_pages(db)] == [url]


def test_a_page_is_stamped_with_its_fetch_time(db):
    url, fetched = f"{BLOG}/africom/", datetime(2026, 11, 25, 9, 59, 30, tzinfo=UTC)
    store.save_page(db, FetchedPage(url, 200, "category", b"<p>liste</p>", fetched_at=fetched), run_id=None, now=T2)

    row = db["pages"].get(url)
    assert (row["fetched_at"], row["last_fetched_at"]) == ("2026-11-25T09:59:30+00:00",) * 2


def test_iter_good_pages_gives_the_newest_fetch_first(db, monkeypatch):
    monkeypatch.setattr(store.pages, "PAGE_CHUNK", 2)  # several rounds of queries
    fetches = [("a", "post", 200, T2), ("b", "post", 200, T3), ("c", "home", 200, T3), ("d", "post", 500, T3), ("e", "post", 200, T1)]
    for name, kind, status, moment in fetches:
        store.save_page(db, FetchedPage(f"{BLOG}/{name}.html", status, kind, b"<p>x</p>"), run_id=None, now=moment)

    pages = list(store.iter_good_pages(db, kind="post"))
    assert [p["url"].rsplit("/", 1)[1] for p in pages] == ["b.html", "a.html", "e.html"]
    assert pages[0] == {"url": f"{BLOG}/b.html", "kind": "post", "status": 200, "fetched_at": "2026-11-26T10:00:00+00:00",
                        "content_type": None, "body": b"<p>x</p>"}


# -- runs ------------------------------------------------------------------------------------


def test_a_run_starts_running_and_finishes_with_its_counts(db):
    run_id = store.start_run(db, [f"{BLOG}/africom/"], now=T1)
    assert db["crawl_runs"].get(run_id)["status"] == "running"

    counts = {"pages_fetched": 12, "posts_new": 3, "errors": 1}
    store.finish_run(db, run_id, status="finished", counts=counts,
                     stats={"finish_time": T2}, now=T2)

    run = store.archive_stats(db)["last_run"]
    assert run["status"] == "finished"
    assert run["start_urls"] == [f"{BLOG}/africom/"]
    assert (run["pages_fetched"], run["posts_new"], run["posts_updated"]) == (12, 3, 0)
    assert run["stats"] == {"finish_time": "2026-11-25 10:00:00+00:00"}


def test_finish_run_rejects_unknown_counts(db, run_id):
    with pytest.raises(ValueError, match="posts_nwe"):
        store.finish_run(db, run_id, status="finished", counts={"posts_nwe": 1}, stats={})


def test_runs_left_running_by_a_crash_are_marked_interrupted(db, run_id):
    assert store.mark_interrupted_runs(db, now=T2) == 1
    run = db["crawl_runs"].get(run_id)
    assert (run["status"], run["finished"]) == ("interrupted", "2026-11-25T10:00:00+00:00")
    assert store.mark_interrupted_runs(db, now=T3) == 0


def test_save_failure_records_what_went_wrong(db, run_id):
    store.save_failure(db, run_id=run_id, url=f"{BLOG}/x.html", kind="http", status=500,
                       reason="Internal Server Error", attempts=3, now=T1)
    [failure] = store.run_failures(db, run_id)
    assert failure == {"id": 1, "run_id": run_id, "url": f"{BLOG}/x.html", "kind": "http",
                       "status": 500, "reason": "Internal Server Error", "attempts": 3,
                       "at": "2026-11-24T10:00:00+00:00"}


# -- queries ---------------------------------------------------------------------------------


def save_three_posts(db):
    """Posts of 3 Feb 23:30 Paris (22:30 UTC), 4 Feb, and one with no date."""
    store.save_post(db, make_post("2", published=datetime(2022, 2, 4, 10, 0, tzinfo=PARIS),
                                  categories=[AFRICOM]), run_id=None, now=T1)
    store.save_post(db, make_post("1", published=datetime(2022, 2, 3, 23, 30, tzinfo=PARIS),
                                  categories=[MALI]), run_id=None, now=T1)
    store.save_post(db, make_post("3", published=None, categories=[MALI]), run_id=None, now=T1)


def test_iter_posts_oldest_first_and_undated_last(db):
    save_three_posts(db)
    assert [row["id"] for row in store.iter_posts(db)] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({"since": "2022-02-04"}, ["2"]),
        ({"until": "2022-02-03"}, ["1"]),
        ({"since": "2022-02-03", "until": "2022-02-04"}, ["1", "2"]),
        ({"until": "2022-02-04T09:00:00+00:00"}, ["1", "2"]),
        ({"until": "2022-02-04T08:59:59+00:00"}, ["1"]),
        ({"category": "AFRICOM"}, ["2"]),
        ({"category": "relations-mali-russie"}, ["1", "3"]),
    ],
)
def test_iter_posts_filters(db, filters, ids):
    save_three_posts(db)
    assert [row["id"] for row in store.iter_posts(db, **filters)] == ids


def test_iter_posts_rejects_a_date_it_cannot_read(db):
    with pytest.raises(UsageError, match="la Saint-Glinglin"):
        store.iter_posts(db, since="la Saint-Glinglin")


def test_get_post_by_id_or_url_with_revisions_oldest_first(db):
    for number, moment in enumerate([T1, T2, T3], start=1):
        store.save_post(db, make_post(body_text=f"Version {number}."), run_id=None, now=moment)

    post = store.get_post(db, make_post().url)
    assert post == store.get_post(db, "6362153")
    assert [r["body_text"] for r in post["revisions"]] == ["Version 1.", "Version 2."]
    assert store.get_post(db, "nope") is None


def test_archive_stats_counts_everything(db, run_id):
    save_three_posts(db)
    store.mark_gone(db, "3", now=T2)
    store.save_page(db, FetchedPage(f"{BLOG}/", 200, "home", b"<p>x</p>"), run_id=run_id)

    stats = store.archive_stats(db)
    assert {key: stats[key] for key in ("posts", "gone", "categories", "pages", "runs")} == {
        "posts": 3, "gone": 1, "categories": 2, "pages": 1, "runs": 1,
    }
    assert stats["last_run"]["id"] == run_id
    assert stats["db_size_bytes"] > 0
