"""Fetched pages: the latest exchange for every URL, raw bytes zlib-compressed for re-extraction."""

from __future__ import annotations

import codecs
import zlib
from collections.abc import Iterator
from datetime import datetime
from email.message import Message

from itemadapter import ItemAdapter
from sqlite_utils import Database

from archiver.store.timestamps import utc_iso

NOT_MODIFIED = 304
PAGE_CHUNK = 200  # rows read per query by iter_pages: bounded memory, no long-lived cursor


def save_page(db: Database, page, *, run_id: int | None, now: datetime | None = None) -> None:
    """Store the latest fetch of a URL; a bodiless 304 keeps the stored status and body."""
    item = ItemAdapter(page)
    row = {
        "url": item["url"],
        "kind": item.get("kind"),
        "etag": item.get("etag"),
        "last_modified": item.get("last_modified"),
        "fetched_at": utc_iso(now),
        "run_id": run_id,
        "error": item.get("error"),
    }
    body = item.get("body") or b""
    if not (item["status"] == NOT_MODIFIED and not body and _is_stored(db, item["url"])):
        row |= {
            "status": item["status"],
            "content_type": item.get("content_type"),
            "size": len(body),
            "html": zlib.compress(body),
        }
    db["pages"].upsert(row, pk="url")


def _is_stored(db: Database, url: str) -> bool:
    """Whether the archive already holds a fetch of this URL."""
    return db.execute("SELECT 1 FROM pages WHERE url = ?", [url]).fetchone() is not None


def get_page_html(db: Database, url: str) -> str | None:
    """The stored page as text (charset from its Content-Type, else UTF-8), or None."""
    row = db.execute("SELECT html, content_type FROM pages WHERE url = ?", [url]).fetchone()
    if row is None or row[0] is None:
        return None
    return decode_html(row[0], row[1])


def decode_html(compressed: bytes, content_type: str | None) -> str:
    """Decompress stored bytes and decode them with the page's charset."""
    return zlib.decompress(compressed).decode(_charset(content_type), errors="replace")


def _charset(content_type: str | None) -> str:
    """The charset a Content-Type header names, if Python knows it; else "utf-8"."""
    message = Message()
    message["content-type"] = content_type or "text/html"
    charset = message.get_content_charset() or "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "utf-8"


def iter_pages(db: Database, kind: str | None = None) -> Iterator[dict]:
    """Stored pages by URL (optionally of one kind): url, status, kind, fetched_at, html as text."""
    where, params = ("AND kind = :kind", {"kind": kind}) if kind else ("", {})
    after = ""
    while True:
        rows = list(db.query(
            f"SELECT url, status, kind, fetched_at, content_type, html FROM pages"
            f" WHERE url > :after {where} ORDER BY url LIMIT {PAGE_CHUNK}",
            {"after": after, **params},
        ))
        for row in rows:
            html = row.pop("html")
            content_type = row.pop("content_type")
            yield row | {"html": decode_html(html, content_type) if html is not None else None}
        if len(rows) < PAGE_CHUNK:
            return
        after = rows[-1]["url"]
