"""`archiver show`: one archived post with its comments (removed ones marked) and revisions, by id or by any URL."""

import json
from datetime import UTC, datetime

import pytest
from parsel import Selector

from archiver import store
from archiver.items import Category, Comment, ExtractionWarning, Post
from archiver.views.post import find_post_record, post_text
from conftest import run_archiver

BLOG = "http://127.0.0.1:8000"
URL = f"{BLOG}/archive/2022/02/04/mali-6362153.html"
OLD_URL = f"{BLOG}/archive/2008/10/27/ancien-titre-1854.html"


@pytest.fixture(scope="module")
def archive(one_page_crawl):
    return one_page_crawl.db, one_page_crawl.truth_by_id()["6362153"]


def test_show_prints_the_post_and_its_comments_in_order(archive):
    db, truth = archive
    result = run_archiver("show", "6362153", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(truth["title"] + "\n")
    authors = [line for line in result.stdout.splitlines() if line.startswith("-- comment ")]
    assert [line.split(": ", 1)[1].split(",")[0] for line in authors] == [c["author"] for c in truth["comments"]]


def test_show_finds_a_post_by_a_tracking_url_and_prints_its_record_as_json(archive):
    db, truth = archive
    result = run_archiver("show", truth["url"] + "?utm_source=rss#comments", "--db", str(db), "--json")
    record = json.loads(result.stdout)
    assert (record["id"], record["comments_count"], len(record["comments"])) == ("6362153", truth["comments_count"], len(truth["comments"]))
    assert record["revisions"] == []


def test_show_of_an_unknown_post_is_one_error_line(archive):
    db, _ = archive
    result = run_archiver("show", "999", "--db", str(db))
    assert result.returncode == 1 and result.stderr.strip() == f"Error: no post '999' in {db}"


@pytest.fixture
def doubted(tmp_path):
    """An archive holding one post with an extraction warning, a note and an old URL that redirected to it."""
    return archive_of(tmp_path / "doubted.db", Post(
        "6362153", URL, title="Le Mali et la Russie", body_text="Bamako.",
        comments_count=3, warnings=[ExtractionWarning("comments-missing", "comments", "page says 3 commentaires, 0 comments found")],
        notes=["page date 2022-02-04 differs from permalink day 2022-02-03"], aliases=[OLD_URL],
    ))


def archive_of(db, *posts: Post, first_seen: datetime | None = None):
    """An archive file holding these saves of posts, in order (the first one on `first_seen`)."""
    archive = store.open_archive(db)
    for number, post in enumerate(posts):
        store.save_post(archive, post, run_id=None, now=first_seen if number == 0 else None)
    archive.close()
    return db


def test_show_prints_the_posts_warnings_and_notes_before_its_text(doubted):
    text = post_text(find_post_record(doubted, "6362153"))
    assert "Warning (comments, comments-missing): page says 3 commentaires, 0 comments found\n" in text
    assert "Note: page date 2022-02-04 differs from permalink day 2022-02-03\n\nBamako." in text


def test_show_finds_a_post_by_an_old_url_that_redirected_to_it_and_its_json_has_warnings_and_notes(doubted):
    result = run_archiver("show", OLD_URL + "?utm_source=rss", "--db", str(doubted), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == "6362153"
    assert record["warnings"] == [{"kind": "comments-missing", "field": "comments", "detail": "page says 3 commentaires, 0 comments found"}]
    assert record["notes"] == ["page date 2022-02-04 differs from permalink day 2022-02-03"]


@pytest.fixture
def moderated(tmp_path):
    """An archive holding one post whose first comment was moderated away and whose category was removed."""
    anne, bruno = Comment(author="Anne", body_text="Merci."), Comment(author="Bruno", body_text="Et Wagner ?")
    return archive_of(
        tmp_path / "moderated.db",
        Post("6362153", URL, title="Le Mali", body_text="Bamako.", categories=[Category("MALI", f"{BLOG}/mali/")], comments=[anne, bruno]),
        Post("6362153", URL, title="Le Mali", body_text="Bamako.", comments=[bruno]),
        first_seen=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
    )


def test_show_marks_a_comment_the_page_no_longer_shows(moderated):
    text = post_text(find_post_record(moderated, "6362153"))
    assert "-- comment 1: Anne, undated (removed from the page; last seen 2026-11-24T10:00:00+00:00)\nMerci." in text
    assert "-- comment 2: Bruno, undated\nEt Wagner ?" in text


def test_show_json_gives_each_revision_its_categories_and_comments(moderated):
    result = run_archiver("show", "6362153", "--db", str(moderated), "--json")
    record = json.loads(result.stdout)
    [revision] = record["revisions"]
    assert revision["categories"] == [{"name": "MALI", "url": f"{BLOG}/mali/"}]
    assert [comment["author"] for comment in revision["comments"]] == ["Anne", "Bruno"]
    assert [(comment["author"], comment["removed"]) for comment in record["comments"]] == [
        ("Anne", "2026-11-24T10:00:00+00:00"), ("Bruno", None)]


def test_show_revisions_lists_every_version_oldest_first_and_what_each_change_was(tmp_path):
    db = archive_of(
        tmp_path / "edited.db",
        Post("6362153", URL, title="Le Mali", body_text="Bamako.", categories=[Category("MALI", f"{BLOG}/mali/")]),
        Post("6362153", URL, title="Le Mali et la Russie", body_text="Bamako.\n\nMoscou.", categories=[Category("MALI", f"{BLOG}/mali/")]),
        Post("6362153", URL, title="Le Mali et la Russie", body_text="Bamako.\n\nMoscou.", categories=[Category("RUSSIE", f"{BLOG}/russie/")]),
    )
    result = run_archiver("show", "6362153", "--db", str(db), "--revisions")
    lines = result.stdout.splitlines()
    assert lines[0] == f"3 versions of {URL}, oldest first:"
    assert lines[1] == "1. Le Mali" and lines[3] == "   then changed: title (was 'Le Mali'), text (+2 / -0 lines)"
    assert lines[4] == "2. Le Mali et la Russie" and lines[6] == "   then changed: categories"
    assert lines[7] == "3. Le Mali et la Russie" and lines[8].endswith("until now (the archived version); content hash " + lines[8][-12:])


def test_show_html_is_a_standalone_page_that_runs_nothing_and_escapes_what_the_blog_wrote(tmp_path):
    db = archive_of(tmp_path / "page.db", Post(
        "6362153", URL, title="Le <Mali> & la Russie", body_html="<p>Bamako.</p>", body_text="Bamako.",
        categories=[Category("MALI", f"{BLOG}/mali/")], comments=[Comment(author="<b>Anne</b>", body_text="Merci.", body_html="<p>Merci.</p>")],
    ))
    page = run_archiver("show", URL, "--db", str(db), "--html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<title>Le &lt;Mali&gt; &amp; la Russie</title>" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<p>Bamako.</p>" in page and f'<a href="{BLOG}/mali/">MALI</a>' in page
    assert "&lt;b&gt;Anne&lt;/b&gt;" in page and "<p>Merci.</p>" in page


def test_show_html_loads_nothing_from_the_network_its_images_come_from_the_media_folder(tmp_path):
    kept, other = f"{BLOG}/media/01/02/777825822.jpg", "http://tracker.invalid/pixel.png"
    db = archive_of(tmp_path / "images.db", Post(
        "6362153", URL, title="Le Mali", body_text="Bamako.", body_html=f'<p>Bamako <img src="{kept}" alt="carte"></p>',
        comments=[Comment(author="Anne", body_text="Vu.", body_html=f'<p>Vu <img src="{other}" alt="pixel"></p>')],
    ))
    archive = store.open_archive(db)
    with store.batch(archive):  # the store writes in the transactions its callers open, as a crawl's writer does
        store.save_media(archive, "6362153", [{"url": kept, "path": "01/02/777825822.jpg", "checksum": "0" * 32, "status": "downloaded"}])
    archive.close()
    copy = tmp_path / "images-media" / "01" / "02" / "777825822.jpg"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"\xff\xd8\xff")
    page = run_archiver("show", "6362153", "--db", str(db), "--html").stdout
    policy = Selector(text=page).css("meta[http-equiv=Content-Security-Policy]::attr(content)").get()
    assert policy == "default-src 'none'; img-src file: data:; style-src 'unsafe-inline'"
    assert Selector(text=page).css("img::attr(src)").getall() == [copy.as_uri()]
    assert f'<a class="missing-image" href="{other}" rel="noopener noreferrer">[image : pixel]</a>' in page
