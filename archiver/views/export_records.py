"""Exports of the archive: the post record (the README's "The export record"), as JSON or JSON Lines."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from archiver.errors import UsageError
from archiver.store import iter_posts
from archiver.store.connection import reading
from archiver.terminal import printable_json
from archiver.whole_files import written_whole
from archiver.store.versions import FIELD_COLUMNS

# The record's fields, in the order of the contract (the README's "The export record").
HEAD_FIELDS = ("id", "url", "title", "published", "author", "body_html", "body_text", "print_url")
TAIL_FIELDS = ("first_seen", "last_seen", "updated", "gone")
CATEGORY_FIELDS = ("name", "url")
VERSION_COMMENT_FIELDS = ("author", "author_url", "published", "body_text", "body_html")
COMMENT_FIELDS = (*VERSION_COMMENT_FIELDS, "removed")  # removed: null, or the last time the page showed it
REVISION_FIELDS = ("title", "body_text", "body_html", "categories", "tags", "comments")
# Then the fields a revision has when it recorded them (those kept from schema 8 on), then its stamps.
REVISION_RECORDED = FIELD_COLUMNS
REVISION_TAIL = ("content_hash", "seen_from", "seen_until")
WARNING_FIELDS = ("kind", "field", "detail")


def export_record(row: dict, *, with_revisions: bool = False) -> dict:
    """The export record of one `store.iter_posts` row, fields in contract order."""
    record = {key: row.get(key) for key in HEAD_FIELDS}
    record["categories"] = _pick_all(row.get("categories"), CATEGORY_FIELDS)
    record["tags"] = _pick_all(row.get("tags"), CATEGORY_FIELDS)
    record["comments_count"] = row.get("comments_count")
    record["comments"] = _pick_all(row.get("comments"), COMMENT_FIELDS)
    record |= {key: row.get(key) for key in TAIL_FIELDS}
    if with_revisions:
        record["revisions"] = [_revision(revision) for revision in row.get("revisions") or ()]
    record["content_hash"] = row.get("content_hash")
    record["warnings"] = _pick_all(row.get("warnings"), WARNING_FIELDS)
    record["notes"] = list(row.get("notes") or [])
    return record


def _revision(row: dict) -> dict:
    """An earlier version of the post, with the categories, tags and comments it had (null if not recorded), and
    the date, author, print link and comment count it had (left out if not recorded)."""
    record = {key: row.get(key) for key in REVISION_FIELDS}
    record |= {key: row[key] for key in REVISION_RECORDED if key in row}
    record |= {key: row.get(key) for key in REVISION_TAIL}
    for key in ("categories", "tags"):
        if record[key] is not None:
            record[key] = _pick_all(record[key], CATEGORY_FIELDS)
    if record["comments"] is not None:
        record["comments"] = _pick_all(record["comments"], VERSION_COMMENT_FIELDS)
    return record


def _pick_all(rows: Iterable[dict] | None, fields: tuple[str, ...]) -> list[dict]:
    """Each row reduced to these fields, in this order."""
    return [{key: row.get(key) for key in fields} for row in rows or ()]


def iter_export_records(db: Database, *, with_revisions: bool = False, **filters) -> Iterator[dict]:
    """Export records of the archived posts, oldest first, streamed; `filters` as `store.iter_posts`
    takes them (category, tag, since, until, updated_since), checked at once."""
    rows = iter_posts(db, **filters, with_revisions=with_revisions)
    return (export_record(row, with_revisions=with_revisions) for row in rows)


def write_jsonl(records: Iterable[dict], fp: TextIO) -> int:
    """Write one compact JSON object per line; return how many."""
    count = 0
    for count, record in enumerate(records, start=1):
        fp.write(printable_json(json.dumps(record, ensure_ascii=False, separators=(",", ":"))) + "\n")
    return count


def write_json(records: Iterable[dict], fp: TextIO) -> int:
    """Write a JSON array (indent 2) one record at a time, streamed; return how many."""
    count = 0
    fp.write("[")
    for count, record in enumerate(records, start=1):
        fp.write(",\n" if count > 1 else "\n")
        fp.write(textwrap.indent(printable_json(json.dumps(record, indent=2, ensure_ascii=False)), "  "))
    fp.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"json": write_json, "jsonl": write_jsonl}


def export_to(fmt: str, db_path: str | Path, out: str | Path = "-", *, with_revisions: bool = False, **filters) -> int:
    """Export the archive at db_path as "json" or "jsonl" to a file (or "-": stdout); `filters` as
    `store.iter_posts` takes them. The archive is opened read-only: an export runs while a crawl
    writes, and is one snapshot of the archive."""
    if fmt not in WRITERS:
        raise UsageError(f"unknown export format {fmt!r}; expected one of {sorted(WRITERS)}")
    with reading(db_path) as db:
        records = iter_export_records(db, **filters, with_revisions=with_revisions)
        try:
            if str(out) == "-":
                count = WRITERS[fmt](records, sys.stdout)
                sys.stdout.flush()
                return count
            with written_whole(out) as fp:
                return WRITERS[fmt](records, fp)
        finally:
            records.close()  # a reader gone mid-export (`| head`): the query ends before its connection does

