"""Aliases: other canonical URLs that led to a post (an old URL redirected to it), never a second post."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from archiver.store import prepared


def add_aliases(db: Database, post_id: str, urls: Iterable[str], *, own_url: str) -> None:
    """Record these URLs as aliases of the post (an alias moves if another post now answers it)."""
    rows = [{"url": url, "post_id": post_id} for url in dict.fromkeys(urls) if url and url != own_url]
    prepared.upsert_all(db, "post_aliases", rows, pk=("url",))


def add_alias(db: Database, url: str, post_url: str) -> bool:
    """Record an old URL as an alias of the post stored at `post_url`; False if no post is stored there."""
    row = db.execute("SELECT id FROM posts WHERE url = ?", [post_url]).fetchone()
    if row is None:
        return False
    add_aliases(db, row[0], [url], own_url=post_url)
    return True


def aliased_post_id(db: Database, url: str) -> str | None:
    """The id of the post an alias URL leads to, or None."""
    row = db.execute("SELECT post_id FROM post_aliases WHERE url = ?", [url]).fetchone()
    return row[0] if row else None
