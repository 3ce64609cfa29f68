"""The blog's identity in the archive: its name, description and author as the last whole-blog crawl read them,
and their earlier values with the dates they were read (history, like the posts')."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from archiver.slow_imports import item_fields
from archiver.store.timestamps import utc_iso

IDENTITY_FIELDS = ("name", "description", "author")
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def save_blog_identity(db: Database, identity, *, run_id: int | None = None, now: datetime | None = None) -> str:
    """Keep what a crawl read of the blog (a BlogIdentity item or a mapping: url, name, description, author,
    fetched_at); return "new", "changed" (the earlier values kept in `blog_history`) or "unchanged".

    It was read when its page was fetched (`fetched_at`, else `now`). A field the pages no longer show keeps its
    last value: a theme that hides the description is not the blog changing it, and good data is never
    overwritten by nothing.
    """
    item = item_fields(identity)
    stamp = utc_iso(item.get("fetched_at") or now)
    read = {name: item.get(name) or None for name in IDENTITY_FIELDS}
    known = next(db.query("SELECT * FROM blog WHERE url = ?", [item["url"]]), None)
    if known is None:
        db["blog"].insert({"url": item["url"], **read, "first_seen": stamp, "since": stamp, "seen_at": stamp,
                           "run_id": run_id})
        return NEW
    values = {name: read[name] if read[name] is not None else known[name] for name in IDENTITY_FIELDS}
    seen = {"seen_at": max(stamp, known["seen_at"]), "run_id": run_id}
    if values == {name: known[name] for name in IDENTITY_FIELDS}:
        db["blog"].update(item["url"], seen)
        return UNCHANGED
    db["blog_history"].insert({
        "url": item["url"], **{name: known[name] for name in IDENTITY_FIELDS}, "seen_from": known["since"],
        "seen_until": known["seen_at"], "replaced_at": stamp,
    })
    db["blog"].update(item["url"], {**values, **seen, "since": stamp})
    return CHANGED


def blog_identity(db: Database, url: str | None = None) -> dict | None:
    """The blog as last read: {"name", "description", "author", "url", "seen_at", "first_seen", "since"} (each
    field None when the pages did not show it); the blog of `url` (its base URL), else the one read last.
    None before any whole-blog crawl kept it (and in an archive older than schema version 12)."""
    if "blog" not in db.table_names():
        return None
    where, params = ("WHERE url = ?", [url]) if url else ("", [])
    sql = (f"SELECT name, description, author, url, seen_at, first_seen, since FROM blog {where}"
           " ORDER BY seen_at DESC, url LIMIT 1")
    return next(db.query(sql, params), None)


def blog_identity_history(db: Database, url: str | None = None) -> list[dict]:
    """Every identity the blog had, oldest first, the current one last: {"name", "description", "author", "url",
    "seen_from", "seen_until"} (the current one's `seen_until` is its last reading). Of the blog of `url`, else of
    the one read last; [] before any whole-blog crawl kept it."""
    current = blog_identity(db, url)
    if current is None:
        return []
    earlier = db.query(
        "SELECT name, description, author, url, seen_from, seen_until FROM blog_history WHERE url = ?"
        " ORDER BY seen_from, id", [current["url"]])
    latest = {**{name: current[name] for name in (*IDENTITY_FIELDS, "url")}, "seen_from": current["since"],
              "seen_until": current["seen_at"]}
    return [*earlier, latest]
