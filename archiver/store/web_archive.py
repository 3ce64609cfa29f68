"""Reading the archive back for a WARC: the posts, their stored pages with each copy's HTTP exchange, earlier copies,
304 revisits and downloaded media, streamed in chunks with the export's filters.

Each copy comes as a dict with its `exchange` (THE CONTRACT's dict, or None for a row kept before schema 11) and
its `body` (b"" and an `error` naming the URL when the stored copy cannot be read: one bad page never stops the rest).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.store.filters import post_filters, where_sql
from archiver.store.pages import GOOD_SQL, inflate
from archiver.store.queries import CATEGORIES_SQL, ORDER, TAGS_SQL

CHUNK = 200  # rows per query: memory stays flat whatever the archive's size
EXCHANGE = ("protocol", "headers", "headers_cut", "request_headers", "received_at")
PAGE_COLUMNS = f"url, kind, status, fetched_at, content_type, etag, last_modified, {', '.join(EXCHANGE)}, html"
COPY_COLUMNS = f"id, url, status, content_type, {', '.join(EXCHANGE)}, replaced_at, html"
REVISIT_COLUMNS = f"id, url, fetched_at, status, {', '.join(EXCHANGE)}, refers_to_date"
MEDIA_COLUMNS = f"url, path, fetched_at, content_type, {', '.join(EXCHANGE)}"
POST_COLUMNS = "posts.id, posts.url, posts.title, posts.published, posts.published_utc, posts.first_seen, posts.body_text"


def iter_posts_for_warc(db: Database, **filters) -> Iterator[dict]:
    """The posts the filters keep (`filters.post_filters`: category, tag, since, until, updated_since), oldest
    first, CHUNK at a time: id, url, title, published, published_utc, first_seen, body_text, and the names of
    their categories and tags in page order. The filters are checked at once (UsageError)."""
    conditions, params = post_filters(db, **filters)
    cursor = db.execute(f"SELECT {POST_COLUMNS} FROM posts{where_sql(conditions)} {ORDER}", params)
    return _posts(db, cursor)


def _posts(db: Database, cursor) -> Iterator[dict]:
    """The posts whose rows the cursor yields, with their categories' and tags' names, CHUNK at a time."""
    names = [column[0] for column in cursor.description]
    try:
        while chunk := cursor.fetchmany(CHUNK):
            posts = {row[0]: dict(zip(names, row)) | {"categories": [], "tags": []} for row in chunk}
            marks = ", ".join("?" * len(posts))
            for key, sql in (("categories", CATEGORIES_SQL), ("tags", TAGS_SQL)):
                for post_id, name, _url in db.execute(sql.format(marks=marks), list(posts)):
                    posts[post_id][key].append(name)
            yield from posts.values()
    finally:
        cursor.close()


def stored_copy(db: Database, url: str) -> dict | None:
    """The stored good copy of a URL with its exchange and validators, or None when the archive has none."""
    row = next(db.query(f"SELECT {PAGE_COLUMNS} FROM pages WHERE url = ? AND {GOOD_SQL}", [url]), None)
    return _with_body(row) if row else None


def post_copy(db: Database, post: dict) -> dict | None:
    """The stored good copy of a post's page: at its permalink, else at one of its aliases (an old URL that led to
    it), or None."""
    found = stored_copy(db, post["url"])
    if found is None:
        aliases = db.execute("SELECT url FROM post_aliases WHERE post_id = ? ORDER BY url", [post["id"]]).fetchall()
        found = next(filter(None, (stored_copy(db, url) for (url,) in aliases)), None)
    return found


def blog_url(db: Database) -> str | None:
    """A URL of the blog (its first post's, else any stored page's), for its host."""
    row = db.execute("SELECT url FROM posts ORDER BY rowid LIMIT 1").fetchone() or db.execute(
        "SELECT url FROM pages ORDER BY rowid LIMIT 1").fetchone()
    return row[0] if row else None


def iter_other_pages(db: Database) -> Iterator[dict]:
    """The stored good copies of every page that is not at a post's permalink (home, listings, feeds...), by URL."""
    yield from _chunks(db, f"SELECT {PAGE_COLUMNS} FROM pages WHERE {GOOD_SQL}"
                           " AND url NOT IN (SELECT url FROM posts) AND url > :after ORDER BY url", "url", "")


def iter_page_copies(db: Database, **filters) -> Iterator[dict]:
    """The earlier good copies of post pages (`page_copies`) in the order they were kept; with filters, only
    those of the posts the filters keep."""
    scope, params = _posts_scope(db, filters)
    yield from _chunks(db, f"SELECT {COPY_COLUMNS} FROM page_copies WHERE id > :after{scope} ORDER BY id", "id", 0,
                       params)


def iter_page_revisits(db: Database, **filters) -> Iterator[dict]:
    """The 304s that confirmed a stored copy (`page_revisits`, no body), in the order they came; with filters,
    only those of the posts the filters keep."""
    scope, params = _posts_scope(db, filters)
    yield from _chunks(db, f"SELECT {REVISIT_COLUMNS} FROM page_revisits WHERE id > :after{scope} ORDER BY id", "id",
                       0, params, bodies=False)


def iter_media(db: Database, **filters) -> Iterator[dict]:
    """The images the crawl downloaded (a file in the media folder) for the posts the filters keep, once each
    (an image two posts show is one file), by URL, with their exchange and `path` under the media folder."""
    scope, params = _posts_scope(db, filters, column="post_id", of="posts.id")
    yield from _chunks(db, f"SELECT {MEDIA_COLUMNS}, min(rowid) AS first FROM post_media WHERE path IS NOT NULL"
                           f" AND url > :after{scope} GROUP BY url ORDER BY url", "url", "", params, bodies=False)


def confirmed_copy(db: Database, url: str, refers_to_date: str) -> dict | None:
    """The copy a 304 confirmed: the earlier copy received at `refers_to_date`, else the URL's stored copy."""
    row = next(db.query(f"SELECT {COPY_COLUMNS} FROM page_copies WHERE url = ? AND received_at = ? ORDER BY id LIMIT 1",
                        [url, refers_to_date]), None)
    return _with_body(row) if row else stored_copy(db, url)


def runs_covered(db: Database) -> list[dict]:
    """The crawl runs whose copies the archive keeps (id, started, finished), oldest first."""
    return list(db.query(
        "SELECT id, started, finished FROM crawl_runs WHERE id IN (SELECT run_id FROM pages UNION"
        " SELECT run_id FROM page_copies UNION SELECT run_id FROM page_revisits) ORDER BY id"))


def _posts_scope(db: Database, filters: dict, column: str = "url", of: str = "posts.url") -> tuple[str, dict]:
    """" AND url IN (the filtered posts' URLs)" and its parameters; ("", {}) without filters."""
    if not any(filters.values()):
        return "", {}
    conditions, params = post_filters(db, **filters)
    return f" AND {column} IN (SELECT {of} FROM posts{where_sql(conditions)})", params


def _chunks(db: Database, sql: str, key: str, start, params: dict | None = None, *,
            bodies: bool = True) -> Iterator[dict]:
    """The rows of `sql` (which pages with `:after` on `key`) CHUNK at a time, each with its exchange (and body)."""
    after = start
    while True:
        rows = list(db.query(f"{sql} LIMIT {CHUNK}", {**(params or {}), "after": after}))
        for row in rows:
            yield _with_body(row) if bodies else _with_exchange(row)
        if len(rows) < CHUNK:
            return
        after = rows[-1][key]


def _with_body(row: dict) -> dict:
    """A copy row with its exchange and its body inflated (b"" and an "error" when it cannot be read)."""
    row = _with_exchange(row)
    try:
        row["body"] = inflate(row.pop("html"), row["url"])
    except ArchiveError as error:
        row |= {"body": b"", "error": str(error)}
    return row


def _with_exchange(row: dict) -> dict:
    """A row with its exchange columns gathered into `exchange` (JSON decoded), None when none was kept."""
    exchange = {name: row.pop(name) for name in EXCHANGE}
    if all(value is None for value in exchange.values()):
        return row | {"exchange": None}
    for name in ("headers", "request_headers"):
        if exchange[name] is not None:
            exchange[name] = json.loads(exchange[name])
    return row | {"exchange": exchange}
