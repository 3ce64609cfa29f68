"""Figures about the whole archive: row counts, gone posts, oldest and newest post, the last run, the file's size."""

from __future__ import annotations

from sqlite_utils import Database

from archiver.store.runs import decode_run

COUNTED_TABLES = {
    "posts": "posts", "categories": "categories", "comments": "comments",
    "revisions": "revisions", "pages": "pages", "runs": "crawl_runs",
    "failures": "crawl_failures",
}


def archive_stats(db: Database) -> dict:
    """Row counts, gone posts, the oldest and newest post (published, id, url, title; None when no post
    is dated), the latest crawl run (or None) and the file's size in bytes."""
    stats = {key: db[table].count for key, table in COUNTED_TABLES.items()}
    stats["gone"] = db.execute("SELECT count(*) FROM posts WHERE gone IS NOT NULL").fetchone()[0]
    stats["undated"] = db.execute("SELECT count(*) FROM posts WHERE published_utc IS NULL").fetchone()[0]
    for key, direction in (("oldest_post", "ASC"), ("newest_post", "DESC")):
        sql = f"SELECT published, id, url, title FROM posts WHERE published_utc IS NOT NULL ORDER BY published_utc {direction} LIMIT 1"
        stats[key] = next(db.query(sql), None)
    last_run = next(db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"), None)
    stats["last_run"] = decode_run(last_run) if last_run else None
    page_count = db.execute("PRAGMA page_count").fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    stats["db_size_bytes"] = page_count * page_size
    return stats

