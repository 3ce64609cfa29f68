"""The blog's identity in the archive: kept at its first reading, refreshed when read again, its earlier values kept
with their dates when it changes; a reading that finds nothing never erases what was known. Real SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from archiver import store
from archiver.store.schema import MIGRATIONS
from archiver.views.archive_contents import read_stats, stats_record, stats_text

BLOG = "http://relations.hautetfort.com/"
T1, T2, T3, T4 = (datetime(2026, 11, day, 10, tzinfo=UTC) for day in (24, 25, 26, 27))
RELATIONS = {"url": BLOG, "name": "Relations internationales", "description": "Le monde vu de Bamako",
             "author": "E.B."}


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    yield archive
    archive.close()


def test_an_archive_no_whole_blog_crawl_read_has_no_identity(db):
    assert store.blog_identity(db) is None
    assert store.blog_identity_history(db) == []


def test_the_first_reading_is_the_blogs_identity(db):
    assert store.save_blog_identity(db, RELATIONS, run_id=None, now=T1) == "new"

    assert store.blog_identity(db) == {
        "name": "Relations internationales", "description": "Le monde vu de Bamako", "author": "E.B.", "url": BLOG,
        "seen_at": "2026-11-24T10:00:00+00:00", "first_seen": "2026-11-24T10:00:00+00:00",
        "since": "2026-11-24T10:00:00+00:00",
    }


def test_the_same_identity_read_again_is_unchanged_and_seen_later(db):
    store.save_blog_identity(db, RELATIONS, now=T1)

    assert store.save_blog_identity(db, RELATIONS, now=T2) == "unchanged"

    identity = store.blog_identity(db)
    assert (identity["seen_at"], identity["since"]) == ("2026-11-25T10:00:00+00:00", "2026-11-24T10:00:00+00:00")
    assert len(store.blog_identity_history(db)) == 1


def test_a_new_name_keeps_the_old_one_with_the_dates_it_was_read(db):
    store.save_blog_identity(db, RELATIONS, now=T1)
    store.save_blog_identity(db, RELATIONS, now=T2)

    assert store.save_blog_identity(db, {**RELATIONS, "name": "Relations Mali-Russie"}, now=T3) == "changed"

    assert store.blog_identity(db)["name"] == "Relations Mali-Russie"
    assert [(row["name"], row["seen_from"], row["seen_until"]) for row in store.blog_identity_history(db)] == [
        ("Relations internationales", "2026-11-24T10:00:00+00:00", "2026-11-25T10:00:00+00:00"),
        ("Relations Mali-Russie", "2026-11-26T10:00:00+00:00", "2026-11-26T10:00:00+00:00"),
    ]


def test_a_reading_without_description_keeps_the_known_one(db):
    store.save_blog_identity(db, RELATIONS, now=T1)

    assert store.save_blog_identity(db, {**RELATIONS, "description": None, "author": ""}, now=T2) == "unchanged"

    identity = store.blog_identity(db)
    assert (identity["description"], identity["author"]) == ("Le monde vu de Bamako", "E.B.")


def test_a_blog_without_a_name_is_kept_with_none(db):
    assert store.save_blog_identity(db, {"url": BLOG, "name": None, "description": "Notes"}, now=T1) == "new"

    identity = store.blog_identity(db)
    assert (identity["name"], identity["description"], identity["author"]) == (None, "Notes", None)


def test_the_blog_read_last_is_the_archives_unless_a_url_is_named(db):
    other = "http://autre.hautetfort.com/"
    store.save_blog_identity(db, RELATIONS, now=T1)
    store.save_blog_identity(db, {"url": other, "name": "Un autre blog"}, now=T4)

    assert store.blog_identity(db)["name"] == "Un autre blog"
    assert store.blog_identity(db, BLOG)["name"] == "Relations internationales"
    assert store.blog_identity(db, "http://inconnu.hautetfort.com/") is None


def test_an_archive_older_than_version_12_has_no_identity_yet(tmp_path):
    old = Database(tmp_path / "v11.db")
    for migration in MIGRATIONS[:11]:
        migration(old)
    assert store.blog_identity(old) is None
    old.close()


def stats_lines(path) -> list[str]:
    return stats_text(stats_record(read_stats(path), path)).splitlines()


def test_stats_says_when_the_home_page_shows_no_name_and_counts_the_earlier_identities(tmp_path):
    path = tmp_path / "archive.db"
    db = store.open_archive(path)
    store.save_blog_identity(db, RELATIONS, now=T1)
    store.save_blog_identity(db, {"url": BLOG, "name": None, "description": "Notes"}, now=T2)
    db.close()

    assert "Blog:        Relations internationales — Notes (by E.B.) [1 earlier identity kept]" in stats_lines(path)


def test_stats_says_name_not_found_when_no_reading_ever_found_one(tmp_path):
    path = tmp_path / "archive.db"
    db = store.open_archive(path)
    store.save_blog_identity(db, {"url": BLOG, "name": "", "description": None, "author": None}, now=T1)
    db.close()

    assert "Blog:        name not found on the home page" in stats_lines(path)
