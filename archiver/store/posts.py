"""Posts in the archive: insert, refresh or revise one post (from a crawl or a re-extraction); mark posts seen or gone.

Namesake of archiver.replica.posts, which generates the replica's posts (this module stores archived ones).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import datetime

from sqlite_utils import Database

from archiver import urls
from archiver.errors import ArchiveError
from archiver.store import prepared
from archiver.store.categories import post_categories, save_categories
from archiver.store.comments import comment_rows, save_comments
from archiver.store.exchanges import drop_unrevised_copy
from archiver.store.post_aliases import add_aliases
from archiver.store.post_warnings import replace_warnings
from archiver.store.tags import post_tags, save_tags
from archiver.store.timestamps import local_iso, utc_iso
from archiver.store.versions import FIELD_COLUMNS, content_hash, keep_revision, version_hash


def save_post(db: Database, post, *, run_id: int | None, now: datetime | None = None, savepoint: bool = True) -> str:
    """Store one post a crawl read; return "inserted", "updated" (a revision kept) or "unchanged".

    The crawl saw it: its URL is the one fetched, `last_seen` (and a new post's `first_seen` and `updated`) is
    when its page was fetched (the item's `fetched_at`, else now), and it is no longer gone. A changed post's
    `updated` (and its revision's end) is now, when the change reaches the archive; a post back from gone is
    stamped `updated` too. With it, in the same transaction: its categories, tags, comments, current warnings and
    aliases. The earlier copy of its page this run kept (store.exchanges) is kept only with a revision: a post
    "unchanged" or "inserted" lets it go (the page's bytes changed with the blog's sidebar, not with the post).

    All of it in a savepoint of its own, unless `savepoint` is false: the caller's transaction or savepoint then
    holds it whole and rolls back what it wrote when it raises (crawl_items.save_items, for a batch).
    """
    item = prepared.fields(post)
    stamp, fetched = utc_iso(now), utc_iso(item.get("fetched_at") or now)
    seen = {"url": item["url"], "last_seen": fetched, "gone": None}
    if run_id is not None:
        seen["last_run_id"] = run_id
    first = {**seen, "first_seen": fetched, "updated": fetched}
    outcome = _store(db, item, seen=seen, first=first, stamp=stamp, run_id=run_id, savepoint=savepoint)
    if outcome != "updated":
        drop_unrevised_copy(db, item.get("fetched_url") or item["url"], run_id=run_id)
    return outcome


def save_reextracted_post(db: Database, post, *, fetched_at: str, now: datetime | None = None) -> str:
    """Store one post read again from its stored page (`fetched_at`: when that page was fetched); as save_post.

    Only a crawl knows a post's URL, when it was last seen and whether it is gone: those are left as they
    are. A post new to the archive takes its page's URL and fetch time.
    """
    item = prepared.fields(post)
    first = {"url": item["url"], "last_seen": fetched_at, "first_seen": fetched_at, "updated": fetched_at}
    return _store(db, item, seen={}, first=first, stamp=utc_iso(now), run_id=None)


def archived_post(db: Database, post_id: str) -> dict | None:
    """What the archive holds of one post for the identity gate and `reextract`: id, url, title, extraction,
    body_text and its FIELD_COLUMNS, and how many categories it has (null: none); or None."""
    columns = ", ".join(f"posts.{name}" for name in ("id", "url", "title", "extraction", "body_text", *FIELD_COLUMNS))
    sql = (f"SELECT {columns}, nullif((SELECT count(*) FROM post_categories WHERE post_id = posts.id), 0) AS categories"
           " FROM posts WHERE id = ?")
    return prepared.first(db, sql, [post_id])


def _store(db: Database, item: Mapping, *, seen: dict, first: dict, stamp: str, run_id: int | None,
           savepoint: bool = True) -> str:
    """Save the post and what belongs to it in one transaction (a savepoint, or the caller's); the outcome."""
    try:
        with db.atomic() if savepoint else nullcontext():
            outcome, own_url = _upsert_post(db, item, seen=seen, first=first, stamp=stamp)
            replace_warnings(db, item["id"], item.get("warnings") or [], run_id=run_id, stamp=stamp)
            add_aliases(db, item["id"], item.get("aliases") or [], own_url=own_url)
    except (sqlite3.IntegrityError, OverflowError) as error:  # OverflowError: an integer SQLite cannot hold
        raise ArchiveError(f"cannot save post {item['id']} ({item['url']}): {error}") from error
    return outcome


def _upsert_post(db: Database, item: Mapping, *, seen: dict, first: dict, stamp: str) -> tuple[str, str]:
    """Insert a new post, refresh an unchanged one, or revise a changed one (its version kept as a revision);
    the outcome and the post's URL as stored. A post back from gone is stamped `updated` whether or not it changed."""
    post_id = item["id"]
    children = (post_categories(item.get("categories") or []), post_tags(item.get("tags") or []),
                comment_rows(item.get("comments") or []))
    columns = post_columns(item, *children)
    previous = prepared.first(db, "SELECT * FROM posts WHERE id = ?", [post_id])
    if previous is None:
        prepared.insert(db, "posts", {"id": post_id, **columns, **first})
        outcome, url = "inserted", first["url"]
    else:
        outcome, url = revise(db, previous, columns, seen=seen, stamp=stamp)
    save_children(db, post_id, *children, previous=previous, fresh=False)
    return outcome, url


def revise(db: Database, previous: dict, columns: dict, *, seen: dict, stamp: str) -> tuple[str, str]:
    """Refresh a stored post, or revise it when its version changed (the stored one kept as a revision)."""
    outcome = "unchanged" if previous["version_hash"] == columns["version_hash"] else "updated"
    if outcome == "updated":
        keep_revision(db, previous, until=stamp)
    back = previous["gone"] is not None and "gone" in seen
    changes = {**columns, **seen, **({"updated": stamp} if outcome == "updated" or back else {})}
    prepared.update(db, "posts", {"id": previous["id"]}, changes)
    return outcome, changes.get("url", previous["url"])


def save_children(db: Database, post_id: str, categories: dict, tags: dict, comments: list[dict], *,
                   previous: dict | None, fresh: bool) -> None:
    """The post's categories, tags and comments; `fresh`: the post has none stored yet (save_posts checked)."""
    save_categories(db, post_id, categories, fresh=fresh)
    save_tags(db, post_id, tags, fresh=fresh)
    save_comments(db, post_id, comments, last_seen=previous["last_seen"] if previous else None, fresh=fresh)


def post_columns(item: Mapping, categories: dict[str, dict], tags: dict[str, dict], comments: list[dict]) -> dict:
    """The posts columns an extracted item provides (its URL aside: only a crawl sets it)."""
    published = item.get("published")
    columns = {
        "title": item.get("title"),
        "published": local_iso(published),
        "published_utc": utc_iso(published) if published else None,
        "author": item.get("author"),
        "body_html": item.get("body_html"),
        "body_text": item.get("body_text"),
        "print_url": item.get("print_url"),
        "comments_count": item.get("comments_count"),
        "content_hash": content_hash(item.get("title"), item.get("body_text")),
        "extraction": item.get("extraction"),
        "sources": json.dumps(dict(item.get("sources") or {}), ensure_ascii=False),
        "notes": json.dumps(list(item.get("notes") or []), ensure_ascii=False),
    }
    columns["version_hash"] = version_hash(
        item["url"], columns["title"], columns["body_text"], columns["body_html"],
        [(slug, row["name"]) for slug, row in categories.items()], [row["fingerprint"] for row in comments],
        {name: columns[name] for name in FIELD_COLUMNS}, [(slug, row["name"]) for slug, row in tags.items()],
    )
    return columns


def mark_seen(db: Database, url: str, *, run_id: int | None, now: datetime | None = None) -> bool:
    """A post whose page answered 304 Not Modified (at `now`, the fetch time): seen then, as it was stored,
    and not gone (a post back from gone is stamped `updated`). False if unknown."""
    row = _known_post(db, url)
    if row is None:
        return False
    stamp = utc_iso(now)
    seen = {"last_seen": stamp, "gone": None} | ({"last_run_id": run_id} if run_id is not None else {})
    prepared.update(db, "posts", {"id": row["id"]}, seen | ({"updated": utc_iso()} if row["gone"] is not None else {}))
    return True


def _known_post(db: Database, url_or_id: str) -> dict | None:
    """The post with this id or URL, else the one a URL's own id (or hash) names: {"id", "gone"}, or None."""
    sql = "SELECT id, gone FROM posts WHERE id = ? OR url = ? ORDER BY url = ? DESC LIMIT 1"
    row = db.execute(sql, [url_or_id, url_or_id, url_or_id]).fetchone()
    if row is None and "://" in url_or_id:
        row = db.execute("SELECT id, gone FROM posts WHERE id = ?", [urls.stable_id(url_or_id)]).fetchone()
    return {"id": row[0], "gone": row[1]} if row else None


def mark_gone(db: Database, url_or_id: str, *, now: datetime | None = None) -> bool:
    """Record since when a known post (by id or URL) answers 404/410 (kept if already set); False if unknown."""
    row = _known_post(db, url_or_id)
    if row is None:
        return False
    if row["gone"] is None:
        db.execute("UPDATE posts SET gone = ? WHERE id = ?", [utc_iso(now), row["id"]])
    return True
