"""Every command that only reads the archive opens it through one context manager (store.connection.reading):
read-only, and closed once the command is done, whether it answered or failed."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver import store
from archiver.errors import NotAnArchive, NotFound, UsageError
from archiver.items import Category, FetchedPage, Post
from archiver.reader import export_html
from archiver.store.connection import reading
from archiver.views.archive_contents import list_categories, list_tags, read_stats
from archiver.views.check_report import run_check
from archiver.views.export_records import export_to
from archiver.views.inspection import read_stored_page
from archiver.views.post import find_post_row
from archiver.views.runs import list_runs
from archiver.views.search_results import search_archive

BLOG = "http://127.0.0.1:8000"
POST_URL = f"{BLOG}/archive/2022/02/04/bamako-101.html"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """An archive of one post in one category, its stored page, and one finished run that failed on one URL."""
    path = tmp_path_factory.mktemp("reads") / "archive.db"
    db = store.open_archive(path)
    run_id = store.start_run(db, [f"{BLOG}/mali/"], now=NOW)
    store.save_post(db, Post(id="101", url=POST_URL, title="Bamako", body_html="<p>Bamako au matin.</p>",
                             body_text="Bamako au matin.", categories=[Category("Mali", f"{BLOG}/mali/")]),
                    run_id=run_id, now=NOW)
    store.save_page(db, FetchedPage(POST_URL, 200, "post", b"<html><body>Bamako</body></html>",
                                    content_type="text/html; charset=utf-8"), run_id=run_id, now=NOW)
    store.save_failure(db, run_id=run_id, url=f"{BLOG}/mali/index-1.html", kind="http", reason="HTTP 503",
                       status=503, now=NOW)
    store.finish_run(db, run_id, status="finished", counts={}, stats={}, now=NOW)
    db.close()
    return path


def open_files(path: Path) -> list[str]:
    """The files of the archive (itself, its -wal and -shm) this process holds open."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        if target.startswith(str(path)):
            held.append(target)
    return held


READS = {
    "categories": lambda db, out: [row["name"] for row in list_categories(db)] == ["Mali"],
    "tags": lambda db, out: list_tags(db) == [],
    "stats": lambda db, out: read_stats(db)["last_crawl_failures"][0]["reason"] == "HTTP 503",
    "runs": lambda db, out: list_runs(db, failures=True)[0]["failures"][0]["status"] == 503,
    "show": lambda db, out: find_post_row(db, POST_URL)["id"] == "101",
    "search": lambda db, out: [hit["id"] for hit in search_archive(db, "bamako").hits] == ["101"],
    "inspect --db": lambda db, out: read_stored_page(db, POST_URL).body == b"<html><body>Bamako</body></html>",
    "check": lambda db, out: run_check(db).sound,
    "export": lambda db, out: export_to("jsonl", db, out / "posts.jsonl") == 1,
    "export html": lambda db, out: export_html(db, out / "reader").posts == 1,
}

FAILURES = {
    "show": (lambda db, out: find_post_row(db, "999"), NotFound),
    "search": (lambda db, out: search_archive(db, "   "), UsageError),
    "inspect --db": (lambda db, out: read_stored_page(db, f"{BLOG}/never-fetched.html"), NotFound),
    "export": (lambda db, out: export_to("json", db, out / "no-such-folder" / "posts.json"), UsageError),
    "export, a bad date": (lambda db, out: export_to("json", db, out / "posts.json", since="bientôt"), UsageError),
    "runs of no archive": (lambda db, out: list_runs(db.with_name("missing.db")), NotAnArchive),
}


@pytest.mark.parametrize("command", READS)
def test_a_read_command_answers_and_leaves_the_archive_closed(archive, tmp_path, command):
    assert READS[command](archive, tmp_path)
    assert open_files(archive) == []


@pytest.mark.parametrize("command", FAILURES)
def test_a_read_command_that_fails_says_why_and_leaves_the_archive_closed(archive, tmp_path, command):
    read, error = FAILURES[command]
    with pytest.raises(error):
        read(archive, tmp_path)
    assert open_files(archive) == []


def test_reading_gives_a_connection_that_cannot_write_and_closes_it_even_on_error(archive):
    before = archive.read_bytes()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        with reading(archive) as db:
            assert db["posts"].count == 1
            db.execute("DELETE FROM posts")
    assert open_files(archive) == [] and archive.read_bytes() == before


def test_reading_a_missing_archive_creates_nothing(tmp_path):
    with pytest.raises(NotAnArchive, match="no archive at"):
        with reading(tmp_path / "missing.db"):
            pass
    assert list(tmp_path.iterdir()) == []
