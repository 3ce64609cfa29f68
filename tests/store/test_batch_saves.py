"""A crawl's batch saved in one savepoint (crawl_items.save_items) writes what saving its items one at a time
writes; a post the archive refuses is refused alone, and the others are written once."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timezone

import pytest

from archiver import store
from archiver.items import Category, Comment, FetchedPage, Post, Tag
from archiver.store.crawl_items import UNWRITABLE, save_items, save_or_refuse
from archiver.store.versions import _without_host

BLOG = "http://blog.invalid"
FETCHED = datetime(2026, 1, 1, 10, 0, tzinfo=timezone.utc)


def post(number: int, **fields) -> Post:
    url = f"{BLOG}/archive/2022/02/04/billet-{6362100 + number}.html"
    return Post(str(6362100 + number), url, title=f"Billet {number}", body_text=f"Bamako, jour {number}.",
                body_html=f'<p>Bamako, <a href="{BLOG}/mali/">jour</a> {number}.</p>', fetched_at=FETCHED, **fields)


def rich_post(number: int) -> Post:
    return post(number, categories=[Category("Mali", f"{BLOG}/mali/"), Category("Russie", f"{BLOG}/russie/")],
                tags=[Tag("Wagner", f"{BLOG}/tag/Wagner")], comments_count=2,
                comments=[Comment("Awa", None, date(2022, 2, 5), "Merci.", "<p>Merci.</p>"),
                          Comment("Ivan", "http://ivan.invalid/", date(2022, 2, 6), "Non.", "<p>Non.</p>")])


def batch() -> list[Post]:
    refused = Post("999", post(1).url, title="Même URL", fetched_at=FETCHED)  # a second id for post 1's URL
    return [rich_post(1), refused, rich_post(3)]


def tables(db) -> dict[str, list]:
    """Every row of every table but the run's own (its heartbeat and pid) and FTS5's shadow tables; a failure's
    `at` (the moment it was recorded: two writes may fall in two seconds) left out."""
    names = [name for name in db.table_names() if not name.startswith("posts_fts") and name != "crawl_runs"]
    return {name: sorted(map(repr, db.execute(f"SELECT * FROM [{name}]").fetchall() if name != "crawl_failures" else
                             db.execute("SELECT id, run_id, url, kind, status, reason FROM crawl_failures").fetchall()))
            for name in names}


def written(tmp_path, name: str, save) -> tuple[list, object]:
    db = store.open_archive(tmp_path / f"{name}.db")
    with store.batch(db):
        run_id = store.start_run(db, [BLOG])
    with store.batch(db):
        outcomes = save(db, run_id)
    return outcomes, db


def test_a_post_the_archive_refuses_is_refused_alone_and_the_others_are_written_once(tmp_path):
    outcomes, db = written(tmp_path, "batch", lambda db, run_id: save_items(db, batch(), run_id))
    assert outcomes == ["inserted", UNWRITABLE, "inserted"]
    assert sorted(row["id"] for row in db["posts"].rows) == ["6362101", "6362103"]
    # the batch was saved again item by item: nothing of the first attempt is left twice
    assert db.execute("SELECT post_id, count(*) FROM comments GROUP BY post_id").fetchall() == [("6362101", 2), ("6362103", 2)]
    assert db.execute("SELECT count(*) FROM post_categories").fetchone()[0] == 4
    [failure] = db.execute("SELECT kind, url FROM crawl_failures").fetchall()
    assert failure == (UNWRITABLE, post(1).url)


def test_a_batch_writes_the_rows_its_posts_saved_one_at_a_time_write(tmp_path):
    one_at_a_time = lambda db, run_id: [save_or_refuse(db, item, run_id) for item in batch()]  # noqa: E731
    outcomes, alone = written(tmp_path, "alone", one_at_a_time)
    together_outcomes, together = written(tmp_path, "together", lambda db, run_id: save_items(db, batch(), run_id))
    assert together_outcomes == outcomes
    assert tables(together) == tables(alone)


def test_a_batch_of_known_posts_keeps_their_history_as_one_at_a_time(tmp_path):
    db = store.open_archive(tmp_path / "a.db")
    with store.batch(db):
        run_id = store.start_run(db, [BLOG])
        save_items(db, [rich_post(1), rich_post(3)], run_id)
    edited = rich_post(1)
    edited.title, edited.comments = "Billet 1, corrigé", edited.comments[1:]
    with store.batch(db):
        assert save_items(db, [edited, rich_post(3)], run_id) == ["updated", "unchanged"]
    assert [row["title"] for row in db["revisions"].rows] == ["Billet 1"]
    removed = db.execute("SELECT author, removed FROM comments WHERE post_id = '6362101' ORDER BY position").fetchall()
    assert [author for author, gone in removed if gone] == ["Awa"]
    found = "SELECT posts.id FROM posts_fts JOIN posts ON posts.rowid = posts_fts.rowid WHERE posts_fts MATCH ?"
    assert db.execute(found, ["corrige"]).fetchall() == [("6362101",)]  # the full-text index follows the edit


def page(number: int, body: bytes) -> FetchedPage:
    return FetchedPage(post(number).url, 200, "post", body, content_type="text/html", fetched_at=FETCHED)


def crawled(edited: bool = False) -> list:
    """A crawl's batch: each post page, then the post read from it; a listing page among them."""
    second = rich_post(2)
    if edited:
        second.title = "Billet 2, corrigé"
    return [page(1, b"<p>1</p>"), rich_post(1), FetchedPage(f"{BLOG}/mali/", 200, "category", b"<ul/>"),
            page(2, b"<p>2, corrige</p>" if edited else b"<p>2</p>"), second, page(3, b"<p>3</p>"), rich_post(3)]


def unstamped(rows: dict[str, list]) -> dict[str, list]:
    """The rows with the times they were written ("now", to the second) left out."""
    now = re.compile(r"'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00'")
    return {name: [now.sub("'(now)'", row) for row in table] for name, table in rows.items()}


def test_a_crawls_batch_of_pages_and_posts_writes_what_saving_its_items_one_at_a_time_writes(tmp_path):
    def twice(save):  # as crawled, then again with post 2 edited (its page's earlier copy kept, the others dropped)
        return lambda db, run_id: [*save(db, crawled(), run_id), *save(db, crawled(edited=True), run_id)]
    one_at_a_time = twice(lambda db, items, run_id: [save_or_refuse(db, item, run_id) for item in items])
    outcomes, alone = written(tmp_path, "alone", one_at_a_time)
    together_outcomes, together = written(tmp_path, "together", twice(save_items))

    assert together_outcomes == outcomes == [None, "inserted", None, None, "inserted", None, "inserted",
                                             None, "unchanged", None, None, "updated", None, "unchanged"]
    assert unstamped(tables(together)) == unstamped(tables(alone))
    assert together.execute("SELECT url FROM page_copies").fetchall() == [(post(2).url,)]
    # the batch's new posts went into the full-text index together: fewer index rows than one at a time
    fts_rows = "SELECT count(*) FROM posts_fts_data"
    assert together.execute(fts_rows).fetchone()[0] < alone.execute(fts_rows).fetchone()[0]


HOST = "blog.example.com:8080"


@pytest.mark.parametrize("html", [
    '<a href="http://blog.example.com:8080/mali/">', '<a href="HTTPS://Blog.Example.com:8080/mali/">',
    '<img src="//blog.example.com:8080/media/01.jpg">', '<a href="http://blog.example.com:80800/">',
    '<a href="http://blog.example.com:8080.evil/">', "xhttp://blog.example.com:8080 et https:/blog.example.com:8080",
    "http:http://blog.example.com:8080//blog.example.com:8080", "", "pas de lien",
])
def test_links_to_the_posts_own_host_are_left_out_as_the_plain_pattern_leaves_them_out(html):
    plain = re.sub(r"(?:https?:)?//" + re.escape(HOST) + r"(?![\w.:-])", "", html, flags=re.IGNORECASE)
    assert _without_host(html, HOST) == plain


def test_a_batch_larger_than_a_statement_takes_is_saved_in_parts(tmp_path):
    db = store.open_archive(tmp_path / "large.db")
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 20)  # as an older SQLite's 999 for a batch of 1,000
    with store.batch(db):
        run_id = store.start_run(db, [BLOG])
        assert save_items(db, [rich_post(number) for number in range(1, 13)], run_id) == ["inserted"] * 12
    with store.batch(db):
        assert save_items(db, [rich_post(number) for number in range(1, 13)], run_id) == ["unchanged"] * 12
    assert db.execute("SELECT count(*) FROM post_categories").fetchone()[0] == 24
    db.close()
