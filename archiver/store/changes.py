"""What the crawls changed since a moment: the posts behind `archiver changes` and the Atom feed of changes.

A change is read from what the archive keeps, never from a log of its own: a post is new at its `first_seen`;
each revision ends (`seen_until`) when the post's next version reached the archive (its text, fields, categories,
tags or comments changed); a post is gone since its `gone`; a post back from gone starts a version (`updated`, a
revision's `seen_from`) where no earlier version ended. Every moment is ISO 8601 UTC, compared as text.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from archiver.store.queries import POST_CHUNK, load_posts

NEW_POSTS_SQL = "SELECT id, url, title, first_seen FROM posts WHERE first_seen >= ? ORDER BY first_seen DESC, id"
# Posts with a change besides their arrival: a revision that ended (or a version that started) since, gone since,
# or `updated` since at another moment than their arrival (back from gone).
CHANGED_POSTS_SQL = """
    SELECT id FROM posts WHERE gone >= :since OR (updated >= :since AND updated IS NOT first_seen)
    UNION SELECT post_id FROM revisions WHERE seen_until >= :since OR seen_from >= :since
    ORDER BY 1
"""


def last_run_started(db: Database) -> str | None:
    """When the archive's last crawl run started (the default --since of `archiver changes`); None before any run."""
    row = db.execute("SELECT started FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def feed_start(db: Database) -> str | None:
    """Where the feed of changes starts: the second run's start (what the first crawl found is where the archive
    starts, not a change of the blog); None while the archive has fewer than two runs."""
    row = db.execute("SELECT started FROM crawl_runs ORDER BY id LIMIT 1 OFFSET 1").fetchone()
    return row[0] if row else None


def has_runs(db: Database) -> bool:
    """Whether any crawl ran on this archive."""
    return db.execute("SELECT 1 FROM crawl_runs LIMIT 1").fetchone() is not None


def first_post_url(db: Database) -> str | None:
    """The URL of the post the archive kept first (the blog's address when no crawl kept its identity)."""
    row = db.execute("SELECT url FROM posts ORDER BY first_seen, id LIMIT 1").fetchone()
    return row[0] if row else None


def new_posts(db: Database, since: str) -> list[dict]:
    """Posts first seen at or after `since`, newest first: {"id", "url", "title", "first_seen"}."""
    return list(db.query(NEW_POSTS_SQL, [since]))


def changed_posts(db: Database, since: str) -> Iterator[dict]:
    """Posts that changed (besides arriving) at or after `since`, as `load_posts` gives them with their revisions,
    POST_CHUNK at a time."""
    ids = [post_id for (post_id,) in db.execute(CHANGED_POSTS_SQL, {"since": since}).fetchall()]
    for start in range(0, len(ids), POST_CHUNK):
        yield from load_posts(db, ids[start:start + POST_CHUNK], with_revisions=True)
