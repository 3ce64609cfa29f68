"""What makes a version of a post (the key compared between saves), and the revision kept when it changes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from sqlite_utils import Database

from archiver import urls

# The stored columns a version of a post is made of (besides its categories and comments).
CONTENT_COLUMNS = ("title", "body_text", "body_html", "content_hash", "version_hash")
CATEGORIES_SQL = (
    "SELECT c.slug, c.name, c.url FROM post_categories pc JOIN categories c ON c.slug = pc.category_slug"
    " WHERE pc.post_id = ? ORDER BY pc.position"
)
LIVE_COMMENTS_SQL = "SELECT id, fingerprint FROM comments WHERE post_id = ? AND removed IS NULL ORDER BY position, id"


def content_hash(title: str | None, body_text: str | None) -> str:
    """sha256 hex of the title and body text, whitespace collapsed, joined by a newline."""
    normalised = _squash(title) + "\n" + _squash(body_text)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def comment_fingerprint(author: str | None, published: str | None, body_text: str | None) -> str:
    """What identifies a comment between crawls: its author, its date (ISO, as stored) and its text."""
    signed = json.dumps([_squash(author), published or "", _squash(body_text)], ensure_ascii=False)
    return hashlib.sha1(signed.encode("utf-8")).hexdigest()


def version_hash(
    url: str, title: str | None, body_text: str | None, body_html: str | None,
    categories: Iterable[tuple[str, str | None]], comments: Iterable[str],
) -> str:
    """sha256 hex of everything a version of a post is: title, text, HTML, categories (slug, name) and
    comment fingerprints, in page order. Whitespace runs count as one space, and links to the post's
    own host are compared without it, so a blog served from another host or port is the same version."""
    key = [
        _squash(title), _squash(body_text), _squash(_without_host(body_html, url)),
        [[slug, _squash(name)] for slug, name in categories], list(comments),
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def _squash(text: str | None) -> str:
    """Text with every run of whitespace turned into one space, trimmed."""
    return " ".join((text or "").split())


def _without_host(html: str | None, url: str) -> str:
    """HTML with "http://HOST", "https://HOST" and "//HOST" of the post's own host left out of its links."""
    host = urls.host_of(url)
    if not html or not host:
        return html or ""
    return re.sub(r"(?:https?:)?//" + re.escape(host) + r"(?![\w.:-])", "", html, flags=re.IGNORECASE)


def keep_revision(db: Database, previous: dict, *, until: str) -> None:
    """Keep the post's current version (a `posts` row, with its categories and live comments) as a revision."""
    post_id = previous["id"]
    categories = [{"name": row["name"], "url": row["url"]} for row in db.query(CATEGORIES_SQL, [post_id])]
    comment_ids = [row["id"] for row in db.query(LIVE_COMMENTS_SQL, [post_id])]
    db["revisions"].insert({
        "post_id": post_id, **{key: previous[key] for key in CONTENT_COLUMNS},
        "categories": json.dumps(categories, ensure_ascii=False), "comment_ids": json.dumps(comment_ids),
        "seen_from": previous["updated"], "seen_until": until,
    })


def hash_stored_versions(db: Database) -> None:
    """Fingerprint every stored comment and hash every stored post's version (an archive older than schema 3)."""
    comments = db.execute("SELECT id, author, published, body_text FROM comments").fetchall()
    db.conn.executemany(
        "UPDATE comments SET fingerprint = ? WHERE id = ?",
        [(comment_fingerprint(author, published, text), comment_id) for comment_id, author, published, text in comments],
    )
    posts = db.execute("SELECT id, url, title, body_text, body_html FROM posts").fetchall()
    versions = []
    for post_id, url, title, body_text, body_html in posts:
        categories = [(row["slug"], row["name"]) for row in db.query(CATEGORIES_SQL, [post_id])]
        comments = [row["fingerprint"] for row in db.query(LIVE_COMMENTS_SQL, [post_id])]
        versions.append((version_hash(url, title, body_text, body_html, categories, comments), post_id))
    db.conn.executemany("UPDATE posts SET version_hash = ? WHERE id = ?", versions)
