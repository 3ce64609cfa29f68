"""`archiver export warc`: the archive's stored pages as one WARC/1.1 file (gzip per record), streamed.

What it holds: a warcinfo record; per post its page's response and request and a metadata record (the archive's
post id, permalink, title, categories, tags); without filters, every other stored page (home, listings, feeds);
the posts' downloaded images; with `--with-history`, the earlier copies of post pages (`page_copies`) and each 304
as a revisit that replays the copy it confirmed. Pages whose stored copy cannot be read are named (`warn`), counted
and left out; the caller fails the command after the rest is written.
"""

from __future__ import annotations

import mimetypes
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database
from warcio.warcwriter import WARCWriter

from archiver.store import web_archive
from archiver.store.blog import blog_identity
from archiver.store.connection import reading
from archiver.store.filters import filters_text
from archiver.store.media import media_store
from archiver.terminal import plural
from archiver.whole_files import written_whole
from archiver.warc.records import (
    REBUILT, Copy, metadata_record, post_urn, request_record, response_record, revisit_record, warcinfo_record,
)

# The first bytes of the image formats a blog shows: the type of a file kept without its response's headers.
SNIFFED = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF8", "image/gif"),
           (b"RIFF", "image/webp"), (b"<svg", "image/svg+xml"), (b"<?xml", "image/svg+xml"))


@dataclass
class WarcSummary:
    """What an export wrote: records, posts, other pages, earlier copies, revisits, media, the file's bytes, what
    was rebuilt (record counts by part: headers, date, request-headers), and the copies it could not read."""

    records: int = 0
    posts: int = 0
    pages: int = 0
    copies: int = 0
    revisits: int = 0
    media: int = 0
    bytes: int = 0
    rebuilt: Counter = field(default_factory=Counter)
    unreadable: int = 0
    blog_name: str | None = None  # as its warcinfo names the blog (None: no whole-blog crawl read it)


class WarcStream:
    """Writes records to a WARC and keeps the summary; `warn` hears of each copy it cannot read."""

    def __init__(self, fp, warn: Callable[[str], None]):
        self.writer = WARCWriter(fp, gzip=True, warc_version="1.1")
        self.summary = WarcSummary()
        self.warn = warn

    def write(self, record) -> None:
        """One record, counted (and what it says was rebuilt)."""
        self.writer.write_record(record)
        self.summary.records += 1
        for part in filter(None, (record.rec_headers.get_header(REBUILT) or "").split(", ")):
            self.summary.rebuilt[part] += 1

    def exchange(self, copy: Copy):
        """A copy's response and request records; the response's WARC headers (its record id, its date)."""
        response = response_record(copy)
        self.write(response)
        self.write(request_record(copy, response))
        return response.rec_headers

    def unreadable(self, message: str) -> None:
        """A copy left out: named and counted."""
        self.summary.unreadable += 1
        self.warn(message)


def export_warc(db_path: str | Path, out: str | Path, *, with_history: bool = False, media_folder: str | None = None,
                warn: Callable[[str], None] = print, on_post: Callable[[dict, str], None] | None = None,
                **filters) -> WarcSummary:
    """Write the archive at db_path as a WARC to `out` (through `out`.partial, renamed at the end); `filters` as
    `store.iter_posts` takes them. `on_post(post, warc_date)` hears of each post written (the WACZ's pages), its
    "url" the one its page was captured at."""
    path = Path(out)
    with reading(db_path) as db:
        posts = web_archive.iter_posts_for_warc(db, **filters)  # the filters are checked before a file is made
        try:
            with written_whole(path, "wb") as fp:
                stream = WarcStream(fp, warn)
                write_archive(db, stream, posts, path.name, media=media_store(db_path, media_folder),
                              with_history=with_history, on_post=on_post, filters=filters)
        finally:
            posts.close()
    stream.summary.bytes = path.stat().st_size
    return stream.summary


def write_archive(db: Database, stream: WarcStream, posts, filename: str, *, media: Path, with_history: bool,
                  on_post, filters: dict) -> None:
    """The records, in order: warcinfo, posts, other pages (without filters), media, history."""
    info = _info(db, web_archive.blog_url(db), with_history, filters)
    stream.summary.blog_name = info["blog-name"]
    stream.write(warcinfo_record(filename, info))
    for post in posts:
        _write_post(db, stream, post, on_post)
    if not any(filters.values()):
        for row in web_archive.iter_other_pages(db):
            if _readable(stream, row):
                stream.exchange(_copy(row))
                stream.summary.pages += 1
    for row in web_archive.iter_media(db, **filters):
        _write_media(stream, row, media)
    if with_history:
        _write_history(db, stream, filters)


def _write_post(db: Database, stream: WarcStream, post: dict, on_post) -> None:
    """A post's page (response + request) and its metadata record; a post without a readable copy is named."""
    row = web_archive.post_copy(db, post)
    if row is None:
        stream.unreadable(f"post {post['id']}: no stored copy of its page {post['url']}")
        return
    if not _readable(stream, row):
        return
    copy = _copy(row)
    response = stream.exchange(copy)
    record_id, date = response.get_header("WARC-Record-ID"), response.get_header("WARC-Date")
    fields = {"id": post["id"], "url": post["url"], "title": post["title"], "published": post["published"],
              "categories": post["categories"], "tags": post["tags"]}
    if copy.url != post["url"]:
        fields["captured_url"] = copy.url  # kept at an old URL of the post (an alias): replayed there
    stream.write(metadata_record(post_urn(post["id"]), fields, record_id, date))
    stream.summary.posts += 1
    if on_post:
        on_post({**post, "url": copy.url}, date)


def _write_media(stream: WarcStream, row: dict, media: Path) -> None:
    """A downloaded image as its own response: its kept headers, else rebuilt from the file (type, length)."""
    try:
        body = (media / row["path"]).read_bytes()
    except OSError as error:
        stream.unreadable(f"image {row['url']}: its file {media / row['path']} cannot be read ({error.strerror})")
        return
    content_type = row["content_type"] or _media_type(row["url"], body)
    stream.exchange(Copy(row["url"], 200, body, row["exchange"], row["fetched_at"], content_type))
    stream.summary.media += 1


def _write_history(db: Database, stream: WarcStream, filters: dict) -> None:
    """The earlier copies of post pages as responses at their own dates, then each 304 as a revisit."""
    for row in web_archive.iter_page_copies(db, **filters):
        if _readable(stream, row):
            stream.exchange(_copy(row))
            stream.summary.copies += 1
    for row in web_archive.iter_page_revisits(db, **filters):
        confirmed = web_archive.confirmed_copy(db, row["url"], row["refers_to_date"])
        if confirmed is None:
            stream.unreadable(f"the 304 of {row['url']} at {row['fetched_at']}: the copy it confirmed is not kept")
        elif _readable(stream, confirmed):
            stream.write(revisit_record(_copy(confirmed), row["exchange"], row["fetched_at"], row["refers_to_date"]))
            stream.summary.revisits += 1


def _readable(stream: WarcStream, row: dict) -> bool:
    """Whether a copy's body could be read; if not, it is named and counted."""
    if "error" in row:
        stream.unreadable(row["error"])
        return False
    return True


def _copy(row: dict) -> Copy:
    """A stored copy (page or earlier copy) as records.Copy; an earlier copy without its exchange is dated when it
    was replaced (the latest it is known to have been the copy)."""
    return Copy(row["url"], row["status"], row["body"], row["exchange"], row.get("fetched_at") or row.get("replaced_at"),
                row.get("content_type"), row.get("etag"), row.get("last_modified"))


def _media_type(url: str, body: bytes) -> str:
    """An image's type from its first bytes, else its name's extension, else application/octet-stream."""
    for magic, kind in SNIFFED:
        if body.startswith(magic):
            return kind
    return mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"


def _info(db: Database, url: str | None, with_history: bool, filters: dict) -> dict:
    """The warcinfo fields: the blog's host, its name, description and author (store.blog_identity; left out when
    unknown), the crawl runs covered, the filters and what the file holds."""
    runs = web_archive.runs_covered(db)
    blog = blog_identity(db) or {}
    filtered = filters_text(filters.get("category"), filters.get("tag"), filters.get("since"), filters.get("until"),
                            filters.get("updated_since")).strip()
    return {
        "host": urlsplit(url).netloc if url else None,
        "isPartOf": urlsplit(url).netloc if url else None,
        "blog-name": blog.get("name"),
        "blog-description": blog.get("description"),
        "blog-author": blog.get("author"),
        "crawl-runs": "; ".join(f"{run['id']} ({run['started']} to {run['finished'] or 'unfinished'})" for run in runs),
        "filters": filtered or "none",
        "holds": "posts' pages, metadata per post, "
                 + ("" if filtered else "other pages (home, listings, feeds), ") + "downloaded images"
                 + (", earlier copies of post pages and 304 revisits" if with_history else ""),
        "description": "Exported by blog-archiver from its SQLite archive; headers rebuilt where marked "
                       f"{REBUILT} (copies kept before the archive kept HTTP exchanges).",
    }


def summary_line(summary: WarcSummary, path: str | Path, filters: str = "") -> str:
    """"Exported 4 posts in category Mali (12 records, 0 other pages, 5 images, 48 kB) to blog.warc.gz; rebuilt
    (...): headers of 12 records, ...": what the export wrote (`filters` in words) and what it rebuilt."""
    parts = [plural(summary.records, "record"), plural(summary.pages, "other page"), plural(summary.media, "image")]
    if summary.copies or summary.revisits:
        parts += [plural(summary.copies, "earlier copy", "earlier copies"), plural(summary.revisits, "revisit")]
    size = f"{summary.bytes / 1000:,.0f} kB" if summary.bytes < 10**7 else f"{summary.bytes / 10**6:,.1f} MB"
    rebuilt = ", ".join(f"{part} of {plural(count, 'record')}" for part, count in sorted(summary.rebuilt.items()))
    return (f"Exported {plural(summary.posts, 'post')}{filters} ({', '.join(parts)}, {size}) to {path}"
            + (f"; rebuilt (not kept by the archive): {rebuilt}" if rebuilt else ""))
