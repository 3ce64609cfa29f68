"""The Atom feed of the archive's changes (archiver.views.changes_feed), on small archives written here."""

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from archiver import store
from archiver.items import Post
from archiver.views.changes_feed import changes_feed, export_atom

ATOM = "{http://www.w3.org/2005/Atom}"
MARCH = [datetime(2022, 3, day, 10, tzinfo=UTC) for day in range(1, 5)]


def post(post_id: str, title: str) -> Post:
    return Post(id=post_id, url=f"http://blog.example/archive/2022/02/04/note-{post_id}.html", title=title,
                body_text="Un.", body_html="<p>Un.</p>", fetched_at=None)


def archive(tmp_path, title: str = "Wagner en Libye"):
    """Two runs: the first archives one post, the second a new one (with `title`)."""
    db = store.open_archive(tmp_path / "a.db")
    store.save_post(db, post("1", "Premier"), run_id=store.start_run(db, ["http://blog.example/"], now=MARCH[0]), now=MARCH[0])
    store.save_post(db, post("2", title), run_id=store.start_run(db, ["http://blog.example/"], now=MARCH[1]), now=MARCH[2])
    return db


def test_the_feed_holds_what_came_after_the_first_crawl_not_what_it_found(tmp_path):
    feed = ET.fromstring(changes_feed(archive(tmp_path)))
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["New post: Wagner en Libye"]
    assert feed.findtext(f"{ATOM}id") == "http://blog.example/#archived-changes"
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated") == "2022-03-03T10:00:00+00:00"
    assert entries[0].find(f"{ATOM}link[@rel='alternate']").get("href") == "http://blog.example/archive/2022/02/04/note-2.html"


def test_a_control_character_in_a_title_never_makes_the_feed_unreadable(tmp_path):
    text = changes_feed(archive(tmp_path, "Wagner \x1b[31m en \x00Libye"))
    title = ET.fromstring(text).find(f"{ATOM}entry").findtext(f"{ATOM}title")
    assert title == "New post: Wagner \ufffd[31m en \ufffdLibye"


def test_an_archive_of_one_crawl_has_a_valid_feed_with_no_entry(tmp_path):
    db = store.open_archive(tmp_path / "a.db")
    store.save_post(db, post("1", "Premier"), run_id=store.start_run(db, ["http://blog.example/"], now=MARCH[0]), now=MARCH[0])
    db.close()
    assert export_atom(tmp_path / "a.db", tmp_path / "changes.xml") == 0
    feed = ET.parse(tmp_path / "changes.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated") == "2022-03-01T10:00:00+00:00"
    assert not (tmp_path / "changes.xml.partial").exists()
