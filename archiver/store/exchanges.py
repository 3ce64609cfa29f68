"""HTTP exchanges in the archive: the columns a page's copy or a media file keeps of its exchange, the earlier
copies of a post's page (`page_copies`) and the 304s that confirmed a copy (`page_revisits`).

A crawl hands over an exchange as archiver.middlewares.http_exchanges records it: {"protocol", "headers",
"headers_cut", "request_headers", "received_at"}, header lists as [[name, value], ...] (stored as JSON). Rows kept
before version 11 have none of it: their columns stay null, and exports rebuild what they can and say so.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping

from sqlite_utils import Database

EXCHANGE_COLUMNS = ("protocol", "headers", "headers_cut", "request_headers", "received_at")
# What a page's copy carries into page_copies when a newer body replaces it.
COPY_COLUMNS = ("url", "status", "content_type", *EXCHANGE_COLUMNS, "size", "html")


def exchange_columns(exchange: Mapping | None) -> dict:
    """The five columns of an exchange, header lists as JSON; all null without one (not recorded)."""
    if not exchange:
        return dict.fromkeys(EXCHANGE_COLUMNS)
    return {
        "protocol": exchange.get("protocol"),
        "headers": _json(exchange.get("headers")),
        "headers_cut": exchange.get("headers_cut"),
        "request_headers": _json(exchange.get("request_headers")),
        "received_at": exchange.get("received_at"),
    }


def _json(pairs) -> str | None:
    """A header list as JSON text (non-ASCII kept as is), or None."""
    return None if pairs is None else json.dumps([list(pair) for pair in pairs], ensure_ascii=False)


def keep_replaced_copy(db: Database, url: str, body: bytes, compressed: bytes, *, replaced_at: str,
                       run_id: int | None) -> bool:
    """Before `body` replaces the stored good copy of `url`, keep that copy in page_copies if its bytes differ
    (compared by size, then compressed, then whole); whether one was kept."""
    size, html = db.execute("SELECT size, html FROM pages WHERE url = ?", [url]).fetchone()
    if size == len(body) and html is not None and (html == compressed or _inflates_to(html, body)):
        return False
    columns = ", ".join(COPY_COLUMNS)
    db.execute(
        f"INSERT INTO page_copies ({columns}, replaced_at, run_id) SELECT {columns}, ?, ? FROM pages WHERE url = ?",
        [replaced_at, run_id, url],
    )
    return True


def _inflates_to(compressed: bytes, body: bytes) -> bool:
    """Whether a stored copy holds exactly `body` (never inflated past it; a damaged copy holds something else)."""
    inflater = zlib.decompressobj()
    try:
        return inflater.decompress(compressed, len(body) + 1) == body and inflater.eof
    except zlib.error:
        return False


def drop_unrevised_copy(db: Database, url: str, *, run_id: int | None) -> int:
    """The post read from `url` did not change (or is new): the earlier copy of its page that this run kept (its
    bytes changed with the blog's sidebar, not with the post) is not kept. How many rows went."""
    return db.execute("DELETE FROM page_copies WHERE url = ? AND run_id IS ?", [url, run_id]).rowcount


def drop_unrevised_copies(db: Database, urls: list[str], *, run_id: int | None) -> None:
    """drop_unrevised_copy for each of these URLs, in one executemany (store.post_batches)."""
    db.conn.executemany("DELETE FROM page_copies WHERE url = ? AND run_id IS ?", [(url, run_id) for url in urls])


def copy_date(db: Database, url: str, received_at: str | None, fetched_at: str | None) -> str | None:
    """The date of the stored copy of `url` a 304 confirms: its `received_at`; for a copy kept before version 11,
    when it was fetched. A 304 moves `fetched_at`, so once one confirmed such a copy, the copy's date is the one
    that 304's revisit gave (the revisit that last moved `fetched_at`: the body has not changed since)."""
    if received_at:
        return received_at
    last = db.execute("SELECT fetched_at, refers_to_date FROM page_revisits WHERE url = ? ORDER BY id DESC LIMIT 1",
                      [url]).fetchone()
    return last[1] if last and last[0] == fetched_at and last[1] else fetched_at


def add_revisit(db: Database, url: str, *, fetched_at: str, status: int, exchange: Mapping | None,
                refers_to_date: str | None, run_id: int | None) -> None:
    """One 304 that confirmed the stored copy of `url`: when (`fetched_at`, to the second, and its exchange's
    `received_at`), and the date of the copy it confirmed (`refers_to_date`)."""
    db["page_revisits"].insert({
        "url": url, "fetched_at": fetched_at, "status": status, **exchange_columns(exchange),
        "refers_to_date": refers_to_date, "run_id": run_id,
    })
