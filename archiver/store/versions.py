"""What makes a version of a post (the key compared between saves), and the revision kept when it changes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from sqlite_utils import Database

from archiver import urls
from archiver.store import prepared

# The stored columns a version of a post is made of (besides its categories and comments).
CONTENT_COLUMNS = ("title", "body_text", "body_html", "content_hash", "version_hash")
# Its other fields: a change of any of them is a new version, and a revision keeps their earlier values (in
# columns of the same names, listed in its `recorded`). A new field is one more name here, and its revisions
# column in a migration.
FIELD_COLUMNS = ("published", "author", "print_url", "comments_count")
CATEGORIES_SQL = (
    "SELECT c.slug, c.name, c.url FROM post_categories pc JOIN categories c ON c.slug = pc.category_slug"
    " WHERE pc.post_id = ? ORDER BY pc.position"
)
TAGS_SQL = (
    "SELECT t.slug, t.name, t.url FROM post_tags pt JOIN tags t ON t.slug = pt.tag_slug"
    " WHERE pt.post_id = ? ORDER BY pt.position"
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
    categories: Iterable[tuple[str, str | None]], comments: Iterable[str], fields: Mapping[str, object] | None = None,
    tags: Iterable[tuple[str, str | None]] = (),
) -> str:
    """sha256 hex of everything a version of a post is: title, text, HTML, categories (slug, name), comment
    fingerprints in page order, its FIELD_COLUMNS (as stored), and its tags (slug, name) in page order when it
    has some (a post without tags hashes as it did before tags were kept). Whitespace runs count as one space,
    and links to the post's own host are compared without it, so a blog served from another host or port is
    the same version."""
    fields, host = fields or {}, urls.host_of(url)
    key = [
        _squash(title), _squash(body_text), _squash(_without_host(body_html, host)),
        [[slug, _squash(name)] for slug, name in categories], list(comments),
        [_field_key(name, fields.get(name), host) for name in FIELD_COLUMNS],
    ]
    tagged = [[slug, _squash(name)] for slug, name in tags]
    if tagged:
        key.append(tagged)
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def _field_key(name: str, value, host: str | None):
    """A field's value as a version compares it: text squashed, a link to the post's own host without it."""
    if not isinstance(value, str):
        return value
    return _without_host(value, host) if name == "print_url" else _squash(value)


# Cached (a few entries): a post's title and text are squashed for its content_hash, then again for its
# version_hash, and a string's hash, what the cache looks it up by, is computed once per string object. The
# storage section's 5,004 posts: their columns took 1.01 s of CPU, 0.96 s cached (store.post_batches._columns).
@lru_cache(maxsize=16)
def _squash(text: str | None) -> str:
    """Text with every run of whitespace turned into one space, trimmed."""
    return " ".join((text or "").split())


def _without_host(html: str | None, host: str | None) -> str:
    """HTML with "http://HOST", "https://HOST" and "//HOST" of the post's own host left out of its links.

    What `re.sub(r"(?:https?:)?//HOST(?![\\w.:-])", "", html, flags=re.I)` makes, found faster: that pattern
    opens with an optional group, so re tries it at every character of the page; "//HOST" opens with a
    literal, found at once, and the scheme is then looked for just before it. In the storage section of `make
    bench` (3,328 bodies and print links of 2,000 posts) the sub took 0.25 s, the search for "//HOST" 0.008 s."""
    if not html or not host:
        return html or ""
    pieces, end = [], 0
    for link in _host_links(host).finditer(html):
        start = link.start()
        for width in (len("https:"), len("http:")):
            if start - width >= end and SCHEME.fullmatch(html, start - width, start):
                start -= width
                break
        pieces.append(html[end:start])
        end = link.end()
    return "".join([*pieces, html[end:]]) if pieces else html


SCHEME = re.compile(r"https?:", re.IGNORECASE)


@lru_cache(maxsize=64)
def _host_links(host: str) -> re.Pattern:
    """"//HOST" as a link to the host starts (not followed by more of a host name or a port)."""
    return re.compile("//" + re.escape(host) + r"(?![\w.:-])", re.IGNORECASE)


def keep_revision(db: Database, previous: dict, *, until: str) -> None:
    """Keep the post's current version (a `posts` row, with its categories, tags and live comments) as a revision."""
    post_id = previous["id"]
    categories = [{"name": row["name"], "url": row["url"]} for row in prepared.query(db, CATEGORIES_SQL, [post_id])]
    tags = [{"name": row["name"], "url": row["url"]} for row in prepared.query(db, TAGS_SQL, [post_id])]
    comment_ids = [row["id"] for row in prepared.query(db, LIVE_COMMENTS_SQL, [post_id])]
    prepared.insert(db, "revisions", {
        "post_id": post_id, **{key: previous[key] for key in CONTENT_COLUMNS + FIELD_COLUMNS},
        "categories": json.dumps(categories, ensure_ascii=False), "tags": json.dumps(tags, ensure_ascii=False),
        "comment_ids": json.dumps(comment_ids),
        "recorded": json.dumps(FIELD_COLUMNS), "seen_from": previous["updated"], "seen_until": until,
    })


def hash_stored_versions(db: Database) -> None:
    """Fingerprint every stored comment and hash every stored post's version (an archive older than schema 3,
    or than schema 8, whose versions did not cover FIELD_COLUMNS)."""
    comments = db.execute("SELECT id, author, published, body_text FROM comments").fetchall()
    db.conn.executemany(
        "UPDATE comments SET fingerprint = ? WHERE id = ?",
        [(comment_fingerprint(author, published, text), comment_id) for comment_id, author, published, text in comments],
    )
    columns = ", ".join(FIELD_COLUMNS)
    versions, tagged = [], "post_tags" in db.table_names()  # an archive migrated from before schema 10 has no tags yet
    for row in db.query(f"SELECT id, url, title, body_text, body_html, {columns} FROM posts"):
        categories = [(c["slug"], c["name"]) for c in db.query(CATEGORIES_SQL, [row["id"]])]
        comments = [c["fingerprint"] for c in db.query(LIVE_COMMENTS_SQL, [row["id"]])]
        tags = [(t["slug"], t["name"]) for t in db.query(TAGS_SQL, [row["id"]])] if tagged else []
        versions.append((version_hash(row["url"], row["title"], row["body_text"], row["body_html"], categories, comments,
                                      {name: row[name] for name in FIELD_COLUMNS}, tags), row["id"]))
    db.conn.executemany("UPDATE posts SET version_hash = ? WHERE id = ?", versions)
