"""Posts in the archive: insert, refresh or revise one post; mark posts gone."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import unquote, urlsplit

from itemadapter import ItemAdapter
from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.store.post_aliases import add_aliases
from archiver.store.post_warnings import replace_warnings
from archiver.store.timestamps import local_iso, utc_iso

# Columns that make a version of a post: they change only with its content hash.
CONTENT_COLUMNS = ("title", "body_text", "body_html", "content_hash")
CATEGORY_INDEX_PAGE = re.compile(r"index(-\d+)?\.(html|rss|xml)")


def content_hash(title: str | None, body_text: str | None) -> str:
    """sha256 hex of the title and body text, whitespace collapsed, joined by a newline."""
    normalised = _squash(title) + "\n" + _squash(body_text)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _squash(text: str | None) -> str:
    """Text with every run of whitespace turned into one space, trimmed."""
    return " ".join((text or "").split())


def category_slug(url: str | None, name: str | None = None) -> str:
    """Last path segment of a category URL (`/archives/category/x/index-2.html` -> "x")."""
    segments = [segment for segment in urlsplit(url or "").path.split("/") if segment]
    if segments and CATEGORY_INDEX_PAGE.fullmatch(segments[-1]):
        segments.pop()
    if segments:
        return unquote(segments[-1])
    return re.sub(r"\W+", "-", (name or "").strip().lower()).strip("-")


def save_post(db: Database, post, *, run_id: int | None, now: datetime | None = None) -> str:
    """Store one extracted post; return "inserted", "updated" (a revision kept) or "unchanged".

    With it, in the same transaction: its categories, comments, current warnings and aliases.
    """
    item = ItemAdapter(post)
    stamp = utc_iso(now)
    columns = _post_columns(item) | {"last_seen": stamp, "gone": None}
    if run_id is not None:
        columns["last_run_id"] = run_id
    try:
        with db.atomic():
            outcome = _upsert_post(db, item["id"], columns, stamp)
            _save_categories(db, item["id"], item.get("categories") or [])
            _save_comments(db, item["id"], item.get("comments") or [])
            replace_warnings(db, item["id"], item.get("warnings") or [], run_id=run_id, stamp=stamp)
            add_aliases(db, item["id"], item.get("aliases") or [], own_url=item["url"])
    except sqlite3.IntegrityError as error:
        raise ArchiveError(f"cannot save post {item['id']} ({item['url']}): {error}") from error
    return outcome


def _post_columns(item: ItemAdapter) -> dict:
    """The posts columns an extracted item provides."""
    published = item.get("published")
    return {
        "url": item["url"],
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


def _upsert_post(db: Database, post_id: str, columns: dict, stamp: str) -> str:
    """Insert a new post, refresh an unchanged one, or revise a changed one."""
    previous = next(db.query("SELECT * FROM posts WHERE id = ?", [post_id]), None)
    if previous is None:
        db["posts"].insert({"id": post_id, **columns, "first_seen": stamp, "updated": stamp})
        return "inserted"
    if previous["content_hash"] == columns["content_hash"]:
        metadata = {key: value for key, value in columns.items() if key not in CONTENT_COLUMNS}
        db["posts"].update(post_id, metadata)
        return "unchanged"
    db["revisions"].insert(
        {"post_id": post_id, **{key: previous[key] for key in CONTENT_COLUMNS},
         "seen_from": previous["updated"], "seen_until": stamp}
    )
    db["posts"].update(post_id, {**columns, "updated": stamp})
    return "updated"


def _save_categories(db: Database, post_id: str, categories: Iterable) -> None:
    """Upsert the post's categories by slug and replace its links to them, in page order."""
    db.execute("DELETE FROM post_categories WHERE post_id = ?", [post_id])
    rows: dict[str, dict] = {}
    for category in map(ItemAdapter, categories):
        slug = category_slug(category.get("url"), category.get("name"))
        row = {"slug": slug, "name": category.get("name"), "url": category.get("url")}
        rows.setdefault(slug, row)
    if not rows:
        return
    db["categories"].upsert_all(rows.values(), pk="slug")
    db["post_categories"].insert_all(
        {"post_id": post_id, "category_slug": slug, "position": position}
        for position, slug in enumerate(rows, start=1)
    )


def _save_comments(db: Database, post_id: str, comments: Iterable) -> None:
    """Replace the post's comments with these, in page order."""
    db.execute("DELETE FROM comments WHERE post_id = ?", [post_id])
    db["comments"].insert_all(
        {
            "post_id": post_id,
            "position": position,
            "author": comment.get("author"),
            "author_url": comment.get("author_url"),
            "published": local_iso(comment.get("published")),
            "body_text": comment.get("body_text"),
            "body_html": comment.get("body_html"),
        }
        for position, comment in enumerate(map(ItemAdapter, comments), start=1)
    )


def mark_gone(db: Database, url_or_id: str, *, now: datetime | None = None) -> bool:
    """Record since when a known post answers 404/410 (kept if already set); False if unknown."""
    row = next(
        db.query("SELECT id, gone FROM posts WHERE id = ? OR url = ?", [url_or_id, url_or_id]),
        None,
    )
    if row is None:
        return False
    if row["gone"] is None:
        db.execute("UPDATE posts SET gone = ? WHERE id = ?", [utc_iso(now), row["id"]])
    return True


def known_post_ids(db: Database) -> set[str]:
    """The id of every post in the archive, gone ones included."""
    return {post_id for (post_id,) in db.execute("SELECT id FROM posts")}
