"""Tags: one row per tag (its name, case aside), shared by posts, and each post's current tags in page order.

Namesake of archiver.extract.fields.tags: the same concept, a post's tags, at the store's layer (that module reads
them from a page).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlite_utils import Database

from archiver import urls
from archiver.folding import fold
from archiver.store import prepared
from archiver.store.versions import TAGS_SQL

# A tag's row is added, or given a URL it lacked (and the name that goes with a URL).
SAVE_TAG_SQL = ("INSERT INTO tags (slug, name, url) VALUES (:slug, :name, :url) ON CONFLICT (slug) DO UPDATE"
                " SET url = coalesce(excluded.url, tags.url), name = CASE WHEN excluded.url IS NOT NULL"
                " OR tags.url IS NULL THEN excluded.name ELSE tags.name END")


@lru_cache(maxsize=4096)  # as categories.category_slug: a few tags, met again and again
def tag_slug(url: str | None, name: str | None = None) -> str:
    """What names a tag whatever its spelling: the name its page's URL gives ("salika wenger" for
    /tag/Salika+Wenger), else its printed name, in lower case, spaces collapsed."""
    named = urls.tag_name(url) if url else None
    return " ".join((named or name or "").split()).casefold()


def post_tags(tags: Iterable) -> dict[str, dict]:
    """Tags rows by slug, once each, in page order (the first spelling of a tag wins)."""
    rows: dict[str, dict] = {}
    for tag in map(prepared.fields, tags):
        slug = tag_slug(tag.get("url"), tag.get("name"))
        if slug:
            rows.setdefault(slug, {"slug": slug, "name": tag.get("name"), "url": tag.get("url")})
    return rows


def save_tags(db: Database, post_id: str, rows: dict[str, dict], *, fresh: bool = False) -> None:
    """Make these tags the post's current ones, in this order (a tag's row is added, or given a URL it lacked;
    `fresh`: the post has none stored, nothing to delete first).

    The tags they replace are kept with the post's revision when they changed (see `versions.keep_revision`).
    """
    if not fresh:
        db.execute("DELETE FROM post_tags WHERE post_id = ?", [post_id])
    if not rows:
        return
    upsert_tags(db, list(rows.values()))
    prepared.insert_all(db, "post_tags", [
        {"post_id": post_id, "tag_slug": slug, "position": position} for position, slug in enumerate(rows, start=1)
    ])


def upsert_tags(db: Database, rows: list[dict]) -> None:
    """Add these tags rows ({"slug", "name", "url"}), or give a stored tag the URL it lacked (SAVE_TAG_SQL)."""
    if rows:
        db.conn.executemany(SAVE_TAG_SQL, rows)


def tags_of(db: Database, post_id: str) -> list[dict]:
    """A post's current tags, in page order: {"name", "url"}."""
    return [{"name": row["name"], "url": row["url"]} for row in db.query(TAGS_SQL, [post_id])]


def tag_counts(db: Database) -> list[dict]:
    """Every tag with its number of posts (and of those gone), by name the French way (accents and case aside:
    "Défense", "Diplomatie", "Économie", "Wagner"): slug, name, url, posts, gone."""
    return sorted(db.query(
        "SELECT t.slug, t.name, t.url, count(p.id) AS posts, count(p.gone) AS gone FROM tags t"
        " LEFT JOIN post_tags pt ON pt.tag_slug = t.slug LEFT JOIN posts p ON p.id = pt.post_id"
        " GROUP BY t.slug"
    ), key=lambda row: (fold(row["name"]), row["slug"]))
