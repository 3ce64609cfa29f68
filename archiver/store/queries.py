"""Reading posts back: filtered listings, one post by id or URL, full-text search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database

from archiver.errors import UsageError
from archiver.store.filters import post_filters, where_sql
from archiver.store.post_aliases import aliased_post_id

POST_CHUNK = 200  # posts loaded per round of queries: bounded memory on big archives
ORDER = "ORDER BY posts.published_utc IS NULL, posts.published_utc, posts.id"
CATEGORIES_SQL = (
    "SELECT pc.post_id, c.name, c.url FROM post_categories pc"
    " JOIN categories c ON c.slug = pc.category_slug"
    " WHERE pc.post_id IN ({marks}) ORDER BY pc.post_id, pc.position"
)
COMMENTS_SQL = (
    "SELECT post_id, id, author, author_url, published, body_text, body_html, removed FROM comments"
    " WHERE post_id IN ({marks}) ORDER BY post_id, position, id"
)
WARNINGS_SQL = "SELECT post_id, kind, field, detail FROM post_warnings WHERE post_id IN ({marks}) ORDER BY post_id, id"
ALIASES_SQL = "SELECT post_id, url FROM post_aliases WHERE post_id IN ({marks}) ORDER BY post_id, url"
REVISIONS_SQL = (
    "SELECT post_id, title, body_text, body_html, categories, comment_ids, content_hash, version_hash,"
    " seen_from, seen_until FROM revisions WHERE post_id IN ({marks}) ORDER BY post_id, seen_until, id"
)


def iter_posts(
    db: Database, *, category: str | None = None, since: str | None = None,
    until: str | None = None, with_revisions: bool = False,
) -> Iterator[dict]:
    """Posts oldest first (undated last), each with its categories, comments, removed ones included (and revisions).

    The filters are checked and the matching ids read at once; rows are loaded as consumed.
    """
    conditions, params = post_filters(category, since, until)
    sql = f"SELECT posts.id FROM posts{where_sql(conditions)} {ORDER}"
    ids = [post_id for (post_id,) in db.execute(sql, params)]
    chunks = (ids[start:start + POST_CHUNK] for start in range(0, len(ids), POST_CHUNK))
    return (row for chunk in chunks for row in load_posts(db, chunk, with_revisions=with_revisions))


def get_post(db: Database, id_or_url: str) -> dict | None:
    """One post by id, permalink or alias (an old URL that led to it), like iter_posts rows, with revisions."""
    row = db.execute(
        "SELECT id FROM posts WHERE id = ? OR url = ? ORDER BY id = ? DESC",
        [id_or_url, id_or_url, id_or_url],
    ).fetchone()
    post_id = row[0] if row else aliased_post_id(db, id_or_url)
    return load_posts(db, [post_id], with_revisions=True)[0] if post_id else None


def search_posts(
    db: Database, query: str, *, category: str | None = None, since: str | None = None,
    until: str | None = None, limit: int | None = 20,
) -> list[dict]:
    """Posts matching an FTS5 query, best first, each with a "snippet" of the match."""
    conditions, params = post_filters(category, since, until)
    sql = (
        "SELECT posts.id, snippet(posts_fts, -1, '[', ']', '…', 16) AS snippet"
        " FROM posts_fts JOIN posts ON posts.rowid = posts_fts.rowid"
        + where_sql(["posts_fts MATCH :query", *conditions])
        + " ORDER BY posts_fts.rank" + (" LIMIT :limit" if limit else "")
    )
    hits = _match(db, sql, params | {"limit": limit, "query": query})
    posts = load_posts(db, [post_id for post_id, _ in hits])
    return [post | {"snippet": snippet} for post, (_, snippet) in zip(posts, hits, strict=True)]


def _match(db: Database, sql: str, params: dict) -> list[tuple]:
    """Run a MATCH query; if the text is not valid FTS5 syntax ("l'armée"), match its words."""
    failure = None
    for query in (params["query"], db.quote_fts(params["query"])):
        try:
            return db.execute(sql, params | {"query": query}).fetchall()
        except sqlite3.OperationalError as error:
            failure = error
    raise UsageError(f"cannot search for {params['query']!r}: {failure}") from failure


def load_posts(db: Database, ids: list[str], *, with_revisions: bool = False) -> list[dict]:
    """The posts with these ids, in this order, with categories, comments, warnings, aliases (and revisions).

    `sources` (field -> rule) and `notes` (list) come back decoded from JSON; `aliases` are URLs; each
    revision has the `categories` and `comments` it had (None when it was kept before schema 3).
    """
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    posts = {row["id"]: _decoded(row) for row in db.query(f"SELECT * FROM posts WHERE id IN ({marks})", ids)}
    children = {"categories": CATEGORIES_SQL, "comments": COMMENTS_SQL, "warnings": WARNINGS_SQL, "aliases": ALIASES_SQL}
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
    """A revision's categories and comments (comments are never deleted: its ids name them), from JSON."""
    categories, comment_ids = revision.pop("categories"), revision.pop("comment_ids")
    by_id = {comment["id"]: comment for comment in comments}
    revision["categories"] = json.loads(categories) if categories is not None else None
    revision["comments"] = [by_id[i] for i in json.loads(comment_ids) if i in by_id] if comment_ids is not None else None


def _decoded(row: dict) -> dict:
    """A posts row with its JSON columns (sources, notes) turned back into a dict and a list."""
    return row | {"sources": json.loads(row["sources"] or "{}"), "notes": json.loads(row["notes"] or "[]")}
