"""What a WARC needs, kept by the store: each copy's HTTP exchange, the 304s that confirmed it, the earlier copy of a
post's page when the post changed, and each downloaded image's exchange."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

import pytest

from archiver import store
from archiver.crawl.reextract import reextract
from archiver.extract.profiles import load_profiles
from archiver.items import FetchedPage, Post
from archiver.store.crawl_items import save_item

T1 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
T3 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
BLOG = "http://127.0.0.1:8000"
URL = f"{BLOG}/archive/2022/02/04/mali-6362153.html"


def exchange(received_at: str, *headers: tuple[str, str]) -> dict:
    """An exchange as the crawl's middleware records it."""
    return {"protocol": "HTTP/1.1", "headers": [list(pair) for pair in headers] or [["Content-Type", "text/html"]],
            "headers_cut": 0, "request_headers": [["User-Agent", "blog-archiver/test"]], "received_at": received_at}


def answer(status: int, body: bytes = b"", *, at: datetime, received_at: str, **fields) -> FetchedPage:
    """One answer of the post's page, fetched at `at` (to the second) and sent at `received_at` (to the µs)."""
    return FetchedPage(URL, status, "post", body, fetched_at=at, exchange=exchange(received_at), **fields)


def post(title: str, sidebar: str = "", at: datetime = T1) -> tuple[FetchedPage, Post]:
    """A post's page (its title, and a sidebar that changes with the blog) and the post read from it."""
    body = (f'<html><head><title>{title}</title></head><body><div class="post"><h3 id="p1" class="posttitle">'
            f'<a href="{URL}">{title}</a></h3><div class="posttext"><p>Bamako.</p></div><p class="postfooter">'
            f'<a href="{URL}">Lien permanent</a> | 0 commentaire</p></div><aside>{sidebar}</aside></body></html>').encode()
    page = FetchedPage(URL, 200, "post", body, content_type="text/html; charset=utf-8", fetched_at=at,
                       exchange=exchange(at.isoformat(timespec="microseconds")))
    return page, Post(id="6362153", url=URL, title=title, body_text="Bamako.", body_html="<p>Bamako.</p>",
                      fetched_url=URL, fetched_at=at, extraction="classic")


def crawl(db, run_id: int, *items) -> list:
    """The items of one crawl's batch, saved as the crawl's writer saves them."""
    return [save_item(db, item, run_id) for item in items]


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    yield archive
    archive.close()


def page_row(db) -> dict:
    return db["pages"].get(URL)


def test_a_good_copy_keeps_its_exchange_as_received(db):
    gzip = exchange("2026-11-24T10:00:00.123456+00:00", ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"))
    store.save_page(db, FetchedPage(URL, 200, "post", b"<p>x</p>", exchange=gzip, fetched_at=T1), run_id=None)
    row = page_row(db)
    assert json.loads(row["headers"]) == [["Content-Type", "text/html; charset=utf-8"], ["Content-Encoding", "gzip"],
                                          ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]
    assert json.loads(row["request_headers"]) == [["User-Agent", "blog-archiver/test"]]
    assert (row["protocol"], row["headers_cut"], row["received_at"]) == ("HTTP/1.1", 0, "2026-11-24T10:00:00.123456+00:00")


def test_a_304_adds_a_revisit_and_leaves_the_copy_and_its_received_at(db):
    store.save_page(db, answer(200, b"<p>x</p>", at=T1, received_at="2026-11-24T10:00:00.250000+00:00"), run_id=None)
    store.save_page(db, answer(304, at=T2, received_at="2026-11-25T10:00:00.500000+00:00"), run_id=None)
    row = page_row(db)
    assert (row["status"], row["received_at"], row["fetched_at"]) == (200, "2026-11-24T10:00:00.250000+00:00", "2026-11-25T10:00:00+00:00")
    revisits = list(db["page_revisits"].rows)
    assert [(r["url"], r["status"], r["fetched_at"], r["received_at"], r["refers_to_date"]) for r in revisits] == [
        (URL, 304, "2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00.500000+00:00", "2026-11-24T10:00:00.250000+00:00")]
    assert json.loads(revisits[0]["request_headers"]) == [["User-Agent", "blog-archiver/test"]]


def test_304s_confirming_a_copy_kept_before_version_11_refer_to_its_fetch_time(db):
    store.save_page(db, FetchedPage(URL, 200, "post", b"<p>x</p>", fetched_at=T1), run_id=None)  # no exchange
    store.save_page(db, answer(304, at=T2, received_at="2026-11-25T10:00:00.500000+00:00"), run_id=None)
    store.save_page(db, answer(304, at=T3, received_at="2026-11-26T10:00:00.500000+00:00"), run_id=None)
    assert (page_row(db)["received_at"], page_row(db)["fetched_at"]) == (None, "2026-11-26T10:00:00+00:00")
    assert [r["refers_to_date"] for r in db["page_revisits"].rows] == ["2026-11-24T10:00:00+00:00"] * 2


def test_an_error_keeps_the_good_copys_exchange_and_without_one_is_the_latest_attempts(db):
    store.save_page(db, answer(404, b"<h1>404</h1>", at=T1, received_at="2026-11-24T10:00:00.1+00:00", error="HTTP 404"),
                    run_id=None)
    assert page_row(db)["received_at"] == "2026-11-24T10:00:00.1+00:00"  # no good copy: the latest attempt's
    store.save_page(db, answer(200, b"<p>x</p>", at=T2, received_at="2026-11-25T10:00:00.2+00:00"), run_id=None)
    store.save_page(db, answer(500, b"<h1>500</h1>", at=T3, received_at="2026-11-26T10:00:00.3+00:00", error="HTTP 500"),
                    run_id=None)
    assert (page_row(db)["status"], page_row(db)["received_at"]) == (200, "2026-11-25T10:00:00.2+00:00")
    assert db["page_revisits"].count == 0


def test_an_edited_post_keeps_its_earlier_page(db):
    first, second = store.start_run(db, [BLOG]), store.start_run(db, [BLOG])
    crawl(db, first, *post("Le Mali"))
    assert crawl(db, second, *post("Le Mali et la Russie", at=T2)) == [None, "updated"]
    (copy,) = db["page_copies"].rows
    assert zlib.decompress(copy["html"]) == post("Le Mali")[0].body
    assert (copy["url"], copy["status"], copy["run_id"], copy["received_at"]) == (URL, 200, second, T1.isoformat(timespec="microseconds"))
    assert (copy["content_type"], copy["size"]) == ("text/html; charset=utf-8", len(post("Le Mali")[0].body))
    assert json.loads(copy["headers"]) == [["Content-Type", "text/html"]]


def test_a_page_that_changed_only_in_its_sidebar_keeps_no_earlier_copy(db):
    first, second, third = (store.start_run(db, [BLOG]) for _ in range(3))
    crawl(db, first, *post("Le Mali", sidebar="Derniers articles : A"))
    page, same_post = post("Le Mali", sidebar="Derniers articles : B", at=T2)
    crawl(db, second, page)  # the page comes in one batch, its post in the next
    assert db["page_copies"].count == 1
    assert crawl(db, second, same_post) == ["unchanged"]
    assert db["page_copies"].count == 0
    crawl(db, third, *post("Le Mali", sidebar="Derniers articles : B", at=T3))  # same bytes: nothing to keep
    assert db["page_copies"].count == 0


def test_a_reextraction_writes_no_page_copy(db, tmp_path):
    first, second = store.start_run(db, [BLOG]), store.start_run(db, [BLOG])
    crawl(db, first, *post("Le Mali"))
    crawl(db, second, *post("Le Mali et la Russie", at=T2))
    db.conn.commit()
    counts = reextract(tmp_path / "archive.db", load_profiles())
    assert counts["updated"] == 1  # the post read again from its page, and revised
    assert [row["run_id"] for row in db["page_copies"].rows] == [second]


def test_a_downloaded_image_keeps_its_exchange_and_an_uptodate_one_what_it_had(db):
    image = f"{BLOG}/media/01/02/777825822.jpg"
    crawl(db, store.start_run(db, [BLOG]), post("Le Mali")[1])
    got = exchange("2026-11-24T10:00:01.5+00:00", ("Content-Type", "image/jpeg"), ("Content-Length", "4"))
    store.save_media(db, "6362153", [{"url": image, "path": "full/a.jpg", "checksum": "c", "status": "downloaded",
                                      "exchange": got, "content_type": "image/jpeg"}], now=T1)
    store.save_media(db, "6362153", [{"url": image, "path": "full/a.jpg", "checksum": "c", "status": "uptodate"}], now=T2)
    row = db["post_media"].get(("6362153", image))
    assert (row["content_type"], row["received_at"], row["protocol"], row["fetched_at"]) == (
        "image/jpeg", "2026-11-24T10:00:01.5+00:00", "HTTP/1.1", "2026-11-24T10:00:00+00:00")
    assert json.loads(row["headers"]) == [["Content-Type", "image/jpeg"], ["Content-Length", "4"]]


def test_a_pages_row_is_written_in_one_statement_that_sets_only_the_columns_it_names(db):
    from archiver.errors import ArchiveError
    from archiver.store.pages import upsert_page

    store.save_page(db, answer(200, b"<p>x</p>", at=T1, received_at="2026-11-24T10:00:00.250000+00:00"), run_id=None)
    upsert_page(db, {"url": URL, "last_status": 503, "last_error": "HTTP 503"})
    row = page_row(db)
    assert (row["status"], zlib.decompress(row["html"]), row["last_status"], row["last_error"]) == (
        200, b"<p>x</p>", 503, "HTTP 503")
    with pytest.raises(ArchiveError, match=r"not a column of pages: \['status; DROP TABLE pages'\]"):
        upsert_page(db, {"url": URL, "status; DROP TABLE pages": 1})
