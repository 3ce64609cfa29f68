"""Fetched pages: the last good copy of every URL (raw bytes, zlib-compressed) beside its latest attempt.

Namesake of archiver.replica.pages, which writes the replica's pages (this module keeps what a crawl fetched).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import datetime

from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.http_statuses import NOT_MODIFIED
from archiver.settings import DOWNLOAD_MAXSIZE
from archiver.slow_imports import item_fields
from archiver.store.exchanges import add_revisit, copy_date, exchange_columns, keep_replaced_copy
from archiver.store.timestamps import utc_iso

PAGE_CHUNK = 200  # rows read per query by iter_good_pages: bounded memory, no long-lived cursor
GOOD_SQL = "status BETWEEN 200 AND 299 AND html IS NOT NULL AND error IS NULL"  # not a "not the post" answer
VALIDATORS = ("etag", "last_modified")
# The columns save_page writes (version 11's table).
PAGE_COLUMNS = frozenset({"url", "kind", "status", "etag", "last_modified", "content_type", "fetched_at", "run_id", "size",
                          "error", "html", "last_status", "last_fetched_at", "last_error", "last_run_id", "protocol",
                          "headers", "headers_cut", "request_headers", "received_at"})
# The most a stored page may hold once decompressed: what a crawl downloads at most (16 MB). An archive received
# from someone else may hold a zip bomb; its pages are never inflated past this.
PAGE_MAX_BYTES = DOWNLOAD_MAXSIZE


def is_good(status: int | None) -> bool:
    """Whether an HTTP status gives a page worth keeping (2xx)."""
    return status is not None and 200 <= status < 300


def save_page(db: Database, page, *, run_id: int | None, now: datetime | None = None) -> None:
    """Record one fetch of a URL (at the page's `fetched_at`, else `now`) as its latest attempt (`last_status`,
    `last_fetched_at`, `last_error`, `last_run_id`). A good answer (2xx, no error) becomes the stored copy, with its
    HTTP exchange (store.exchanges); a bodiless 304 refreshes it (and the validators it repeats), its exchange left
    as it was, and is kept as a revisit of it (`page_revisits`); any other answer, a 2xx with an error ("not the
    post") included, never replaces a good copy: it is stored, without validators, only while the URL has none.
    A post page's good copy replaced by different bytes is kept in `page_copies` (store.posts lets it go again
    when the post read from the new bytes did not change).
    """
    item = item_fields(page)
    stamp, status, body = utc_iso(item.get("fetched_at") or now), item["status"], item.get("body") or b""
    good = is_good(status) and not item.get("error")
    row = {
        "url": item["url"], "kind": item.get("kind"),
        "last_status": status, "last_fetched_at": stamp, "last_error": item.get("error"), "last_run_id": run_id,
    }
    copy = {
        "etag": item.get("etag") if good or status == NOT_MODIFIED else None,
        "last_modified": item.get("last_modified") if good or status == NOT_MODIFIED else None,
        "fetched_at": stamp, "run_id": run_id, "error": item.get("error"),
    }
    stored = db.execute("SELECT status, error, received_at, fetched_at FROM pages WHERE url = ?", [item["url"]]).fetchone()
    has_good_copy = stored is not None and is_good(stored[0]) and not stored[1]
    if status == NOT_MODIFIED and not body and has_good_copy:  # validators a 304 does not repeat are kept
        row |= {key: value for key, value in copy.items() if value is not None or key not in VALIDATORS}
        add_revisit(db, item["url"], fetched_at=stamp, status=status, exchange=item.get("exchange"),
                    refers_to_date=copy_date(db, item["url"], stored[2], stored[3]), run_id=run_id)
    elif good or not has_good_copy:
        html = zlib.compress(body)
        if good and has_good_copy and item.get("kind") == "post":
            keep_replaced_copy(db, item["url"], body, html, replaced_at=utc_iso(now), run_id=run_id)
        exchange = item.get("exchange") if status != NOT_MODIFIED else None  # a 304's exchange is no copy's
        row |= copy | exchange_columns(exchange) | {
            "status": status, "content_type": item.get("content_type"), "size": len(body), "html": html,
        }
    upsert_page(db, row)


def upsert_page(db: Database, row: dict) -> None:
    """Insert the row of a URL, or set these columns of its row (the others kept): what sqlite-utils'
    `db["pages"].upsert(row, pk="url")` does, in one statement. sqlite-utils looks the table up again on every call
    (its names, its columns): on the writer's thread, which the crawl waits for when it falls behind, 1.6 s of its
    9.5 s busy in a crawl of the 1,000-post replica (py-spy); the same 1,500 pages upserted into a copy of that
    archive: 5.9 s through sqlite-utils, 0.07 s this way."""
    columns = list(row)
    if not PAGE_COLUMNS.issuperset(columns):  # only names of ours in the SQL
        raise ArchiveError(f"not a column of pages: {sorted(set(columns) - PAGE_COLUMNS)}")
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column != "url")
    db.execute(f"INSERT INTO pages ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
               f"ON CONFLICT(url) DO UPDATE SET {updates}", list(row.values()))


def iter_good_pages(db: Database, kind: str | None = None) -> Iterator[dict]:
    """The stored good copies (optionally of one kind of page), newest fetch first: url, kind, status,
    fetched_at, content_type and body (the raw bytes, for `extract.page_selector` to decode). A copy that
    cannot be read (over PAGE_MAX_BYTES once decompressed, or damaged) comes with body b"" and an "error" (why,
    naming the URL): one bad page never stops the others."""
    where = GOOD_SQL + (" AND kind = :kind" if kind else "")
    after: dict | None = None
    while True:
        rows = list(db.query(
            f"SELECT url, kind, status, fetched_at, content_type, html FROM pages WHERE {where}"
            + (" AND (fetched_at, url) < (:at, :url)" if after else "")
            + f" ORDER BY fetched_at DESC, url DESC LIMIT {PAGE_CHUNK}",
            {"kind": kind, **(after or {})},
        ))
        for row in rows:
            html = row.pop("html")
            try:
                yield {**row, "body": inflate(html, row["url"])}
            except ArchiveError as error:
                yield {**row, "body": b"", "error": str(error)}
        if len(rows) < PAGE_CHUNK:
            return
        after = {"at": rows[-1]["fetched_at"], "url": rows[-1]["url"]}


def stored_page(db: Database, url: str) -> dict | None:
    """The stored good copy of one URL (url, kind, status, fetched_at, content_type, body), or None;
    ArchiveError naming the URL when it is over PAGE_MAX_BYTES once decompressed, or damaged."""
    row = next(db.query(
        f"SELECT url, kind, status, fetched_at, content_type, html FROM pages WHERE url = ? AND {GOOD_SQL}", [url]
    ), None)
    if row is None:
        return None
    return {**row, "body": inflate(row.pop("html"), url)}


def inflate(compressed: bytes, url: str, limit: int = PAGE_MAX_BYTES) -> bytes:
    """A stored page's bytes, decompressed at most to `limit` (never more in memory); ArchiveError naming the
    URL for a page over the limit or a copy zlib cannot read."""
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(compressed, limit + 1)
    except zlib.error as error:
        raise ArchiveError(f"the stored copy of {url} is damaged: {error}") from error
    if len(body) > limit or inflater.unconsumed_tail:
        raise ArchiveError(f"the stored copy of {url} is over {limit // 2**20} MB once decompressed: not read")
    if not inflater.eof:
        raise ArchiveError(f"the stored copy of {url} is damaged: its compressed data is cut short")
    return body
