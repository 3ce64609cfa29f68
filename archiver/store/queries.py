"""Reading posts back: filtered listings streamed in chunks, one post by id or URL, posts by id."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence

from sqlite_utils import Database

from archiver.store.filters import post_filters, where_sql
from archiver.store.post_aliases import aliased_post_id
from archiver.store.versions import FIELD_COLUMNS

POST_CHUNK = 200  # posts loaded per round of queries: bounded memory on big archives
ORDER = "ORDER BY posts.published_utc IS NULL, posts.published_utc, posts.id"
CATEGORIES_SQL = (
    "SELECT pc.post_id, c.name, c.url FROM post_categories pc"
    " JOIN categories c ON c.slug = pc.category_slug"
    " WHERE pc.post_id IN ({marks}) ORDER BY pc.post_id, pc.position"
)
TAGS_SQL = (
    "SELECT pt.post_id, t.name, t.url FROM post_tags pt JOIN tags t ON t.slug = pt.tag_slug"
    " WHERE pt.post_id IN ({marks}) ORDER BY pt.post_id, pt.position"
)
COMMENTS_SQL = (
    "SELECT post_id, id, author, author_url, published, body_text, body_html, removed FROM comments"
    " WHERE post_id IN ({marks}) ORDER BY post_id, position, id"
)
WARNINGS_SQL = "SELECT post_id, kind, field, detail FROM post_warnings WHERE post_id IN ({marks}) ORDER BY post_id, id"
ALIASES_SQL = "SELECT post_id, url FROM post_aliases WHERE post_id IN ({marks}) ORDER BY post_id, url"
MEDIA_SQL = (
    "SELECT post_id, url, path, checksum, status, fetched_at FROM post_media WHERE post_id IN ({marks})"
    " ORDER BY post_id, rowid"
)
REVISIONS_SQL = (
    "SELECT post_id, title, body_text, body_html, categories, tags, comment_ids, content_hash, version_hash,"
    f" {', '.join(FIELD_COLUMNS)}, recorded,"
    " seen_from, seen_until FROM revisions WHERE post_id IN ({marks}) ORDER BY post_id, seen_until, id"
)


def iter_posts(
    db: Database, *, category: str | Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, updated_since: str | None = None, with_revisions: bool = False,
    tag: str | Sequence[str] | None = None,
) -> Iterator[dict]:
    """Posts oldest first (undated last), each with its categories, tags, comments, removed ones included (and
    revisions).

    The filters (see `filters.post_filters`) are checked at once; then rows are read as they are
    consumed, POST_CHUNK posts at a time, from one statement: memory stays flat whatever the
    archive's size, and the whole listing is one snapshot of the archive even while a crawl writes.
    """
    conditions, params = post_filters(db, category, since, until, updated_since, tag)
    cursor = db.execute(f"SELECT posts.id FROM posts{where_sql(conditions)} {ORDER}", params)
    return _chunked_posts(db, cursor, with_revisions)


def _chunked_posts(db: Database, cursor: sqlite3.Cursor, with_revisions: bool) -> Iterator[dict]:
    """The posts whose ids the cursor yields, loaded POST_CHUNK at a time."""
    try:
        while chunk := cursor.fetchmany(POST_CHUNK):
            yield from load_posts(db, [post_id for (post_id,) in chunk], with_revisions=with_revisions)
    finally:
        cursor.close()


def get_post(db: Database, id_or_url: str) -> dict | None:
    """One post by id, permalink or alias (an old URL that led to it), like iter_posts rows, with revisions."""
    row = db.execute(
        "SELECT id FROM posts WHERE id = ? OR url = ? ORDER BY id = ? DESC",
        [id_or_url, id_or_url, id_or_url],
    ).fetchone()
    post_id = row[0] if row else aliased_post_id(db, id_or_url)
    return load_posts(db, [post_id], with_revisions=True)[0] if post_id else None


def load_posts(db: Database, ids: list[str], *, with_revisions: bool = False) -> list[dict]:
    """The posts with these ids, in this order, with categories, tags, comments, warnings, aliases, media (and
    revisions).

    `sources` (field -> rule) and `notes` (list) come back decoded from JSON; `aliases` are URLs; `media` are
    the body's images ({url, path under the media folder or None, checksum, status, fetched_at}); each
    revision has the `categories` and `comments` it had (None when it was kept before schema 3), its `tags`
    (None when kept before schema 10), and those of
    its FIELD_COLUMNS it recorded (date, author, print link, comment count: none before schema 8).
    """
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    posts = {row["id"]: _decoded(row) for row in db.query(f"SELECT * FROM posts WHERE id IN ({marks})", ids)}
    children = {"categories": CATEGORIES_SQL, "tags": TAGS_SQL, "comments": COMMENTS_SQL, "warnings": WARNINGS_SQL, "aliases": ALIASES_SQL,
                "media": MEDIA_SQL}
    if with_revisions:
        children["revisions"] = REVISIONS_SQL
    for key, sql in children.items():
        for row in posts.values():
            row[key] = []
        for child in db.query(sql.format(marks=marks), ids):
            posts[child.pop("post_id")][key].append(child)
    for row in posts.values():
        row["aliases"] = [alias["url"] for alias in row["aliases"]]
        for revision in row.get("revisions", ()):
            _revision_children(revision, row["comments"])
    return [posts[post_id] for post_id in ids]


def _revision_children(revision: dict, comments: list[dict]) -> None:
    """A revision's categories and comments (comments are never deleted: its ids name them), from JSON; the
    FIELD_COLUMNS it did not record left out (a revision kept before they were: their values are unknown)."""
    categories, comment_ids, tags = revision.pop("categories"), revision.pop("comment_ids"), revision.pop("tags")
    by_id = {comment["id"]: comment for comment in comments}
    revision["categories"] = json.loads(categories) if categories is not None else None
    revision["tags"] = json.loads(tags) if tags is not None else None
    revision["comments"] = [by_id[i] for i in json.loads(comment_ids) if i in by_id] if comment_ids is not None else None
    recorded = set(json.loads(revision.pop("recorded") or "[]"))
    for name in FIELD_COLUMNS:
        if name not in recorded:
            del revision[name]


def _decoded(row: dict) -> dict:
    """A posts row with its JSON columns (sources, notes) turned back into a dict and a list."""
    return row | {"sources": json.loads(row["sources"] or "{}"), "notes": json.loads(row["notes"] or "[]")}
