"""The archive's schema: typed tables, foreign keys, indexes and FTS as version 1 made them, then the migrations
(archiver.store.migrations) that bring an archive up to SCHEMA_VERSION."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.db import AlterError

from archiver.errors import ArchiveError
from archiver.store.migrations import LATER_MIGRATIONS

FTS_COLUMNS = ["title", "body_text"]
FTS_TOKENIZE = "unicode61 remove_diacritics 2"  # "fevrier" finds "février"; no English stemmer


def _create_runs(db: Database) -> None:
    """Crawl runs and the failures each one met."""
    db["crawl_runs"].create(
        {
            "id": int, "started": str, "finished": str, "status": str, "start_urls": str,
            "pages_fetched": int, "posts_new": int, "posts_updated": int,
            "posts_unchanged": int, "posts_dropped": int, "errors": int, "stats": str,
        },
        pk="id",
    )
    db["crawl_failures"].create(
        {
            "id": int, "run_id": int, "url": str, "kind": str, "status": int,
            "reason": str, "at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["crawl_failures"].create_index(["run_id"])


def _create_posts(db: Database) -> None:
    """Posts, one row per post id, and their full-text index kept in step by triggers."""
    db["posts"].create(
        {
            "id": str, "url": str, "title": str, "published": str, "published_utc": str,
            "author": str, "body_html": str, "body_text": str, "print_url": str,
            "comments_count": int, "content_hash": str, "extraction": str,
            "first_seen": str, "last_seen": str, "updated": str, "gone": str,
            "last_run_id": int,
        },
        pk="id",
        not_null=["url"],
        foreign_keys=[("last_run_id", "crawl_runs", "id")],
    )
    db["posts"].create_index(["url"], unique=True)
    db["posts"].create_index(["published_utc"])
    db["posts"].enable_fts(
        FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZE, fts_version="FTS5"
    )


def _create_post_children(db: Database) -> None:
    """Rows that belong to one post: its categories, comments and earlier revisions."""
    db["categories"].create({"slug": str, "name": str, "url": str}, pk="slug")
    db["post_categories"].create(
        {"post_id": str, "category_slug": str, "position": int},
        pk=("post_id", "category_slug"),
        foreign_keys=[("post_id", "posts", "id"), ("category_slug", "categories", "slug")],
    )
    db["post_categories"].create_index(["category_slug"])
    db["comments"].create(
        {
            "id": int, "post_id": str, "position": int, "author": str, "author_url": str,
            "published": str, "body_text": str, "body_html": str,
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["comments"].create_index(["post_id", "position"])
    db["revisions"].create(
        {
            "id": int, "post_id": str, "title": str, "body_text": str, "body_html": str,
            "content_hash": str, "seen_from": str, "seen_until": str,
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["revisions"].create_index(["post_id", "seen_until"])


def _create_pages(db: Database) -> None:
    """The latest fetch of every URL, raw HTML zlib-compressed, for offline re-extraction."""
    db["pages"].create(
        {
            "url": str, "status": int, "kind": str, "etag": str, "last_modified": str,
            "content_type": str, "fetched_at": str, "run_id": int, "size": int,
            "error": str, "html": bytes,
        },
        pk="url",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["pages"].create_index(["kind"])


def _v1_initial(db: Database) -> None:
    """Version 1: posts and their FTS index, categories, comments, revisions, pages, crawl runs and failures."""
    _create_runs(db)
    _create_posts(db)
    _create_post_children(db)
    _create_pages(db)


# Append new migrations (archiver.store.migrations) at the end; never edit or reorder one that has shipped.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_initial, *LATER_MIGRATIONS)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The schema version recorded in the file (`PRAGMA user_version`)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def ensure_schema(db: Database) -> None:
    """Bring the archive up to SCHEMA_VERSION, one transaction per migration (idempotent)."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"archive has schema version {version}, newer than this archiver's {SCHEMA_VERSION}"
        )
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        try:
            with db.atomic():
                migration(db)
                db.execute(f"PRAGMA user_version = {number}")
        except (sqlite3.Error, AlterError) as error:
            raise ArchiveError(f"cannot apply schema migration {number}: {error}") from error
