"""A post's media: the images of its body the crawl downloaded (or failed to), one row per post and image URL,
kept in a folder beside the archive.

Namesake of archiver.extract.media and archiver.pipelines.media: the same concept, a post's images, at three layers
(found on the page, downloaded by the pipeline, recorded here).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from archiver.store import prepared
from archiver.store.exchanges import EXCHANGE_COLUMNS, exchange_columns
from archiver.store.timestamps import utc_iso

MEDIA_COLUMNS = ("url", "path", "checksum", "status")
MEDIA_SUFFIX = "-media"  # ARCHIVE.db -> ARCHIVE-media/


def media_store(db_path: str | Path, configured: str | None = None) -> Path:
    """The folder of an archive's media: ARCHIVER_MEDIA_STORE if set, else the archive's name + "-media"."""
    if configured:
        return Path(configured)
    db = Path(db_path)
    return db.with_name(db.stem + MEDIA_SUFFIX)


def save_media(db: Database, post_id: str, media: list[dict] | None, *, now: datetime | None = None) -> None:
    """Make the post's media rows the images its body now shows (None: leave them as they are).

    `fetched_at` is when the file was last downloaded, and its response's exchange and Content-Type
    (store.exchanges) are the download's: all kept while the file is "uptodate" (not fetched again; null for a
    file downloaded before version 11). An image no longer in the body loses its row; the file stays in the media
    folder (another post may use it).
    """
    if media is None:
        return
    stamp = utc_iso(now)
    kept_columns = ("fetched_at", *EXCHANGE_COLUMNS, "content_type")
    known = {row["url"]: row for row in prepared.query(db, 
        f"SELECT url, {', '.join(kept_columns)} FROM post_media WHERE post_id = ?", [post_id])}
    rows = []
    for record in media:
        row = {"post_id": post_id, **{name: record.get(name) for name in MEDIA_COLUMNS}}
        previous = known.get(row["url"]) if row["status"] == "uptodate" else None
        if previous is not None and previous["fetched_at"]:
            rows.append(row | {name: previous[name] for name in kept_columns})
        else:
            rows.append(row | {"fetched_at": stamp, **exchange_columns(record.get("exchange")),
                               "content_type": record.get("content_type")})
    gone = set(known) - {row["url"] for row in rows}
    for url in gone:
        db.execute("DELETE FROM post_media WHERE post_id = ? AND url = ?", [post_id, url])
    prepared.upsert_all(db, "post_media", rows, pk=("post_id", "url"))
