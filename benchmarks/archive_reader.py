"""Read-only reads of an archive a crawl subprocess wrote, with plain sqlite3.

The benchmark's own process may hold older code than the crawler it starts (another schema version, when the
code changes during a long run): it never opens the archive through the store, whose schema check would refuse it.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

GOOD_POST_PAGES = ("SELECT url, content_type, html FROM pages "
                   "WHERE kind = 'post' AND status BETWEEN 200 AND 299 AND html IS NOT NULL")


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def archived_posts(db: Path) -> dict[str, str]:
    """URL -> id of every post in the archive."""
    with closing(read_only(db)) as conn:
        return dict(conn.execute("SELECT url, id FROM posts"))


def run_stats(db: Path) -> dict:
    """The last crawl's Scrapy stats as the archive keeps them (elapsed_time_seconds, archiver/media/downloaded...)."""
    with closing(read_only(db)) as conn:
        row = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def saved_post_pages(db: Path, urls) -> list[dict]:
    """The stored post pages (url, content_type, body: raw bytes) whose URL is among `urls`, by URL."""
    with closing(read_only(db)) as conn:
        pages = [{"url": url, "content_type": kind, "body": zlib.decompress(html)}
                 for url, kind, html in conn.execute(GOOD_POST_PAGES) if url in urls]
    return sorted(pages, key=lambda page: page["url"])
