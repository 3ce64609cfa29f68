"""Categories: one row per slug, shared by posts, and each post's current categories in page order.

Namesake of archiver.extract.fields.categories: the same concept, a post's categories, at the store's layer (that
module reads them from a page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

from sqlite_utils import Database

from archiver import urls
from archiver.folding import fold
from archiver.store import prepared


# Cached: a blog has tens of categories and thousands of posts, and reading a slug from a URL costs more than the
# rest of a post's categories (storage section of `make bench`, 2,000 posts: 0.40 s of 6.6 s profiled).
@lru_cache(maxsize=4096)
def category_slug(url: str | None, name: str | None = None) -> str:
    """The slug of a category page URL, readable ("géopolitique", not "g%C3%A9opolitique"); for a URL
    that is not a category page of the platform, the name in lower case with dashes."""
    slug = urls.category_slug(url) if url else None
    if slug:
        return unquote(slug)
    return re.sub(r"\W+", "-", (name or "").strip().lower()).strip("-")


def post_categories(categories: Iterable) -> dict[str, dict]:
    """Categories rows by slug, once each, in page order (the first spelling of a slug wins)."""
    rows: dict[str, dict] = {}
    for category in map(prepared.fields, categories):
        slug = category_slug(category.get("url"), category.get("name"))
        rows.setdefault(slug, {"slug": slug, "name": category.get("name"), "url": category.get("url")})
    return rows


def save_categories(db: Database, post_id: str, rows: dict[str, dict], *, fresh: bool = False) -> None:
    """Upsert these categories by slug and make them the post's current ones, in this order (`fresh`: the post has
    none stored, nothing to delete first).

    The set they replace is kept with the post's revision when it changed (see `versions.keep_revision`).
    """
    if not fresh:
        db.execute("DELETE FROM post_categories WHERE post_id = ?", [post_id])
    if not rows:
        return
    upsert_categories(db, list(rows.values()))
    prepared.insert_all(db, "post_categories", [
        {"post_id": post_id, "category_slug": slug, "position": position}
        for position, slug in enumerate(rows, start=1)
    ])


def upsert_categories(db: Database, rows: list[dict]) -> None:
    """Add these categories rows ({"slug", "name", "url"}), or give a stored slug this name and URL."""
    prepared.upsert_all(db, "categories", rows, pk=("slug",))


def category_counts(db: Database) -> list[dict]:
    """Every category with its number of posts (and of those gone), by name the French way (accents and case aside:
    "Défense", "Diplomatie", "Économie", "Wagner"): slug, name, url, posts, gone."""
    return sorted(db.query(
        "SELECT c.slug, c.name, c.url, count(p.id) AS posts, count(p.gone) AS gone FROM categories c"
        " LEFT JOIN post_categories pc ON pc.category_slug = c.slug LEFT JOIN posts p ON p.id = pc.post_id"
        " GROUP BY c.slug"
    ), key=lambda row: (fold(row["name"]), row["slug"]))
