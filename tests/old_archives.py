"""Archives as older archivers left them: a current archive's schema taken back to an earlier version, so a test can
check what migrating it (or reading it as it is) gives."""

from __future__ import annotations

from sqlite_utils import Database

EXCHANGE_COLUMNS = ("protocol", "headers", "headers_cut", "request_headers", "received_at")


def back_to_version_10(db: Database) -> None:
    """Drop what versions 13 (the Datasette view), 12 (the blog's identity) and 11 (the HTTP exchanges, page copies
    and revisits) added, and say version 10; the caller commits."""
    db.execute("DROP VIEW post_facets")
    db.execute("DROP TABLE blog_history")
    db.execute("DROP TABLE blog")
    db.execute("DROP TABLE page_copies")
    db.execute("DROP TABLE page_revisits")
    for column in EXCHANGE_COLUMNS:
        db.execute(f"ALTER TABLE pages DROP COLUMN {column}")
        db.execute(f"ALTER TABLE post_media DROP COLUMN {column}")
    db.execute("ALTER TABLE post_media DROP COLUMN content_type")
    db.execute("PRAGMA user_version = 10")
