"""`reextract` never aborts and never lets a page that does not read as the post replace it: a legacy post
filed under its feed id, a broken theme file, a stored page that is not the post. The archive is crawled over
real HTTP from the replica, with one of its posts made a legacy note (no id in its permalink, none on its page)."""

from __future__ import annotations

import shutil
import zlib
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import BASE_TOKEN, ReplicaServer
from conftest import LOCAL, export_records, run_archiver

CATEGORY = "/cote-d-ivoire/"  # one post, modern
NOTE_ID = "6361254"
OLD_PATH = "/archive/2018/08/16/la-junte-au-pouvoir-multiplie-il-s-agit-d-un-partenariat-d-6361254.html"
LEGACY_PATH = "/archive/2018/08/16/la-junte-au-pouvoir-multiplie.html"
BROKEN_THEME = """name = "cassé"
description = "A theme file whose selectors read other parts of the page"
detect = ["article"]
[post]
title = ["div.box-meta"]
body = ["div.box-print"]
print_url = ["h1 a"]
"""
MAINTENANCE = b"<html><head><title>Maintenance</title></head><body><h1>Maintenance</h1><p>Revenez plus tard.</p></body></html>"


def make_legacy(root) -> None:
    """The note at a permalink without its id, its print link a window.print() one, its feed entry's guid
    the platform's tag id: only the feed says which note it is."""
    page = root / OLD_PATH.lstrip("/")
    html = page.read_text(encoding="utf-8").replace(f"{BASE_TOKEN}/apps/print/{NOTE_ID}.html", "javascript:window.print()")
    page.unlink()
    (root / LEGACY_PATH.lstrip("/")).write_text(html, encoding="utf-8")
    for path in [*root.glob("**/*.html"), *root.glob("**/*.rss"), *root.glob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        if OLD_PATH in text:
            path.write_text(text.replace(OLD_PATH, LEGACY_PATH), encoding="utf-8")
    feed = root / CATEGORY.strip("/") / "index.rss"
    guid = f'<guid isPermaLink="true">{BASE_TOKEN}{LEGACY_PATH}</guid>'
    text = feed.read_text(encoding="utf-8")
    assert guid in text
    feed.write_text(text.replace(guid, f'<guid isPermaLink="false">tag:blog.replica.invalid,2018-08-16:{NOTE_ID}</guid>'), encoding="utf-8")


@pytest.fixture(scope="module")
def legacy_archive(site, tmp_path_factory):
    """The category crawled once: its only note, a legacy one, is filed under its feed id."""
    folder = tmp_path_factory.mktemp("reextract-gate")
    root, db = shutil.copytree(site, folder / "site"), folder / "archive.db"
    make_legacy(root)
    with ReplicaServer(root) as server:
        crawl = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL)
    assert crawl.returncode == 0, crawl.stderr
    [record] = export_records(db)
    assert (record["id"], urlsplit(record["url"]).path) == (NOTE_ID, LEGACY_PATH)
    return db


def test_reextract_keeps_a_legacy_post_under_its_feed_id(legacy_archive):
    result = run_archiver("reextract", "--db", str(legacy_archive))

    assert result.returncode == 0, result.stderr
    assert "Re-extracted 1 post from" in result.stdout and "0 updated, 1 unchanged, 0 new" in result.stdout
    assert [record["id"] for record in export_records(legacy_archive)] == [NOTE_ID]


def test_reextract_with_a_broken_theme_file_leaves_the_post_as_archived(legacy_archive, tmp_path):
    theme = tmp_path / "casse.toml"
    theme.write_text(BROKEN_THEME, encoding="utf-8")
    before = export_records(legacy_archive)

    result = run_archiver("reextract", "--db", str(legacy_archive), "--theme-file", str(theme))

    assert result.returncode == 0, result.stderr
    assert "0 updated, 0 unchanged, 0 new" in result.stdout and "1 unreadable" in result.stdout
    assert f"unreadable http://127.0.0.1:" in result.stderr and LEGACY_PATH in result.stderr
    assert "title and text both differ" in result.stderr and "read by cassé; by modern before" in result.stderr
    assert export_records(legacy_archive) == before
    assert sqlite_utils.Database(legacy_archive)["revisions"].count == 0


def test_reextract_passes_over_a_stored_page_that_is_not_the_post(legacy_archive, tmp_path):
    db = shutil.copy(legacy_archive, tmp_path / "copy.db")  # an archive whose good copy was overwritten by older code
    archive = sqlite_utils.Database(db)
    archive.execute("UPDATE pages SET html = ?, size = ? WHERE kind = 'post'", [zlib.compress(MAINTENANCE), len(MAINTENANCE)])
    archive.conn.commit()
    before = export_records(db)

    result = run_archiver("reextract", "--db", str(db))

    assert result.returncode == 0, result.stderr
    assert "1 not the post" in result.stdout
    assert "not-the-post" in result.stderr and "title 'Maintenance'" in result.stderr
    assert export_records(db) == before
