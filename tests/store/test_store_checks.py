"""What the archive keeps of each post's extraction (sources, notes, warnings, aliases), on real SQLite files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from archiver import store
from archiver.items import ExtractionWarning, Post
from archiver.store.integrity import repair_archive
from archiver.store.schema import MIGRATIONS

T1 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
BLOG = "http://127.0.0.1:8000"
URL = f"{BLOG}/archive/2022/02/04/mali-6362153.html"
OLD_URL = f"{BLOG}/archive/2008/10/27/ancien-titre-1854.html"
CLASSIC = {"title": "classic: h3.posttitle", "body": "classic: div.posttext-decorator2", "print_url": "classic: div.postprint a"}
MISSING_COMMENTS = ExtractionWarning("comments-missing", "comments", "page says 3 commentaires, 0 comments found")


def make_post(post_id: str = "6362153", **fields) -> Post:
    """A post as extraction hands it over, with the rules that found its fields."""
    defaults = {"url": URL, "title": "Le Mali et la Russie", "body_text": "Bamako.", "sources": CLASSIC}
    return Post(id=post_id, **(defaults | fields))


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    yield archive
    archive.close()


def test_a_post_keeps_its_sources_notes_and_warnings(db):
    run_id = store.start_run(db, [BLOG], now=T1)
    post = make_post(warnings=[MISSING_COMMENTS], notes=["page date 2022-02-04 differs from permalink day 2022-02-03"])

    store.save_post(db, post, run_id=run_id, now=T1)

    row = store.get_post(db, "6362153")
    assert row["sources"] == CLASSIC
    assert row["notes"] == ["page date 2022-02-04 differs from permalink day 2022-02-03"]
    assert row["warnings"] == [{"kind": "comments-missing", "field": "comments", "detail": "page says 3 commentaires, 0 comments found"}]
    [stored] = db["post_warnings"].rows
    assert (stored["run_id"], stored["seen_at"]) == (run_id, "2026-11-24T10:00:00+00:00")


def test_saving_a_post_again_replaces_its_warnings_notes_and_sources(db):
    store.save_post(db, make_post(warnings=[MISSING_COMMENTS], notes=["une note"]), run_id=None, now=T1)

    outcome = store.save_post(db, make_post(sources={"title": "generic: og:title"}), run_id=None, now=T2)

    row = store.get_post(db, "6362153")
    assert outcome == "unchanged"
    assert (row["warnings"], row["notes"], row["sources"]) == ([], [], {"title": "generic: og:title"})
    assert db["post_warnings"].count == 0


def test_an_old_url_that_redirected_is_an_alias_never_a_second_post(db):
    store.save_post(db, make_post(aliases=[OLD_URL, URL]), run_id=None, now=T1)
    store.save_post(db, make_post(), run_id=None, now=T2)  # aliases are kept when the post is seen again

    assert db["posts"].count == 1
    assert list(db["post_aliases"].rows) == [{"url": OLD_URL, "post_id": "6362153"}]
    assert store.get_post(db, OLD_URL)["id"] == "6362153"
    assert store.get_post(db, OLD_URL)["aliases"] == [OLD_URL]
    assert store.get_post(db, f"{BLOG}/archive/2008/10/27/autre-1855.html") is None


def test_usual_figures_count_the_archives_checked_posts_and_their_usual_rule(db):
    sources = {**CLASSIC, "comments": "classic: div.comment"}
    store.save_post(db, make_post("1", url=f"{BLOG}/1.html", comments_count=2, sources=sources), run_id=None)
    store.save_post(db, make_post("2", url=f"{BLOG}/2.html", comments_count=1, sources=CLASSIC), run_id=None)
    store.save_post(db, make_post("3", url=f"{BLOG}/3.html", comments_count=0, sources=CLASSIC | {"print_url": "platform: Imprimer link"}), run_id=None)
    store.save_post(db, make_post("4", url=f"{BLOG}/4.html", sources={}), run_id=None)  # not checked: no sources
    store.save_post(db, make_post("5", url=f"{BLOG}/5.html", sources=CLASSIC), run_id=None)
    store.mark_gone(db, "5")

    usual = store.usual_figures(db)

    assert usual["posts"] == 3
    assert usual["fields"]["print_url"] == {"posts": 3, "found": 3, "rule": "classic: div.postprint a"}
    assert usual["fields"]["comments"] == {"posts": 2, "found": 1, "rule": "classic: div.comment"}
    assert usual["fields"]["author"] == {"posts": 3, "found": 0, "rule": None}


def test_an_empty_archive_has_no_usual_figures(db):
    usual = store.usual_figures(db)
    assert usual["posts"] == 0 and all(field["posts"] == 0 for field in usual["fields"].values())


def test_a_version_1_archive_is_migrated_and_keeps_its_posts(tmp_path):
    path = tmp_path / "v1.db"
    old = Database(path)
    MIGRATIONS[0](old)
    old.execute("PRAGMA user_version = 1")
    old["posts"].insert({"id": "1854", "url": OLD_URL, "title": "Ancien", "body_text": "Texte."})
    old["crawl_runs"].insert({"started": "2026-01-01T00:00:00+00:00", "status": "finished"})
    old.close()

    db = store.open_archive(path)

    assert store.schema_version(db) == store.SCHEMA_VERSION == 14
    assert {"post_warnings", "post_aliases"} <= set(db.table_names())
    row = store.get_post(db, "1854")
    assert (row["sources"], row["notes"], row["warnings"], row["aliases"]) == ({}, [], [], [])
    assert next(store.iter_runs(db))["warnings"] == 0
    assert store.usual_figures(db)["posts"] == 0  # posts read before sources were kept are not judged
    db.close()


def test_a_run_keeps_its_warnings_count_and_per_field_figures(db):
    run_id = store.start_run(db, [BLOG], now=T1)
    fields = {"posts": 2, "fields": {"print_url": {"posts": 2, "found": 1, "drift": "share"}}}

    store.finish_run(db, run_id, status=store.DRIFT, counts={"warnings": 3}, stats={}, fields=fields, now=T2)

    run = store.get_run(db, run_id)
    assert (run["status"], run["warnings"], run["fields"]) == ("drift", 3, fields)
    assert json.loads(db["crawl_runs"].get(run_id)["fields"]) == fields


def test_a_drift_run_is_not_taken_for_a_crashed_one(db):
    run_id = store.start_run(db, [BLOG], now=T1)
    store.finish_run(db, run_id, status="drift", counts={}, stats={}, now=T2)

    assert store.mark_interrupted_runs(db) == 0
    assert store.get_run(db, run_id)["status"] == "drift"
    assert "drift" in store.RUN_STATUSES


def fts_pages(db) -> list:
    """The full-text index's own rows (its segments and their structure record), as stored."""
    return db.execute("SELECT id, block FROM posts_fts_data ORDER BY id").fetchall()


def found(db, words: str) -> list[str]:
    return [row[0] for row in db.execute(
        "SELECT posts.id FROM posts_fts JOIN posts ON posts.rowid = posts_fts.rowid WHERE posts_fts MATCH ?", [words])]


def test_a_version_13_archive_is_migrated_to_index_a_post_again_only_when_its_text_changes(tmp_path):
    path = tmp_path / "v13.db"
    old = store.open_archive(path)
    store.save_post(old, make_post(), run_id=None, now=T1)
    old.execute("DROP TRIGGER posts_au")  # the trigger sqlite-utils' enable_fts made, as version 13 had it
    old.execute("""CREATE TRIGGER "posts_au" AFTER UPDATE ON "posts" BEGIN
  INSERT INTO "posts_fts" ("posts_fts", rowid, "title", "body_text") VALUES('delete', old.rowid, old."title", old."body_text");
  INSERT INTO "posts_fts" (rowid, "title", "body_text") VALUES (new.rowid, new."title", new."body_text");
END""")
    old.execute("PRAGMA user_version = 13")
    old.conn.commit()
    old.close()

    db = store.open_archive(path)
    before = fts_pages(db)
    assert store.save_post(db, make_post(), run_id=None, now=T2) == "unchanged"  # its last_seen moves
    assert db["posts"].get("6362153")["last_seen"] == T2.isoformat()
    assert fts_pages(db) == before  # not indexed again
    assert store.save_post(db, make_post(title="Le Mali et Wagner"), run_id=None, now=T2) == "updated"
    assert fts_pages(db) != before
    assert found(db, "wagner") == ["6362153"] and found(db, "russie") == []
    assert db.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES('integrity-check', 1)").fetchall() == []
    assert store.schema_version(db) == 14
    db.close()


def test_repair_makes_the_update_trigger_the_migration_makes(tmp_path):
    db = store.open_archive(tmp_path / "archive.db")
    migrated = db.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_au'").fetchone()[0]
    assert "WHEN old.rowid IS NOT new.rowid OR old.title IS NOT new.title" in migrated
    db.execute("DROP TRIGGER posts_au")
    db.conn.commit()

    assert repair_archive(db) == ["rebuilt the full-text index posts_fts and its triggers from 0 posts"]
    assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_au'").fetchone()[0] == migrated
    db.close()
