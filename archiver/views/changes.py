"""`archiver changes`: what the crawls changed since a moment, newest first, as text lines or JSON objects.

One change object per change (the README's "The change record", archiver/views/change.schema.json): a post new,
edited (with a one-line summary), its categories changed, comments added or removed, gone, or back from gone.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from archiver.date_ranges import since_bound
from archiver.store import changes as stored
from archiver.store.connection import reading
from archiver.terminal import plural, printable, printable_json
from archiver.views.version_changes import VersionChange, compare_versions, shown_version

# The kinds of change, in the order changes seen at the same moment are listed.
KINDS = ("new", "edited", "categories", "comments-added", "comments-removed", "gone", "returned")
# What makes a version "edited" (categories and comments are changes of their own kinds).
EDIT_FIELDS = ("title", "body_text", "body_html", "published", "author", "print_url", "comments_count", "tags")
COMMENT_FIELDS = ("author", "published", "body_text")
FIXED_SUMMARIES = {"new": "new post", "gone": "gone: answers 404 or 410", "returned": "back: answers again"}


def list_changes(db_path: str | Path, since: str | None = None) -> tuple[list[dict], str | None]:
    """The changes since `since` (a date as the filters take it; default: the last run's start), newest first,
    and the moment they start from (ISO UTC); ([], None) when no crawl ran yet."""
    with reading(db_path) as db:
        if not stored.has_runs(db):
            return [], None
        start = since_bound(since) if since else stored.last_run_started(db)
        return archive_changes(db, start), start


def archive_changes(db: Database, since: str) -> list[dict]:
    """Every change seen at or after `since` (ISO UTC), newest first; at one moment, in KINDS order, then by post."""
    found = [change_record("new", row["first_seen"], row) for row in stored.new_posts(db, since)]
    for record in stored.changed_posts(db, since):
        found += [change for change in post_changes(record) if change["at"] >= since]
    found.sort(key=lambda change: (KINDS.index(change["kind"]), change["post_id"]))
    found.sort(key=lambda change: change["at"], reverse=True)
    return found


def post_changes(record: dict) -> list[dict]:
    """The changes of one post (a `load_posts` row with revisions) but its arrival, oldest first: each revision to
    the version after it, a return from gone wherever a version starts after the one before it ended, its going."""
    changes, versions = [], [*record["revisions"], shown_version(record)]
    ended = record["first_seen"]
    for before, after in zip(versions, versions[1:]):
        if before.get("seen_from") and ended and before["seen_from"] != ended:
            changes.append(change_record("returned", before["seen_from"], record))
        changes += version_records(compare_versions(before, after), record)
        ended = before["seen_until"]
    if record["updated"] and ended and record["updated"] != ended:
        changes.append(change_record("returned", record["updated"], record))
    if record["gone"]:
        changes.append(change_record("gone", record["gone"], record))
    return changes


def version_records(change: VersionChange, record: dict) -> list[dict]:
    """The change records one new version makes: edited, categories, comments added, comments removed."""
    at, found = change.seen_at, []
    commented = "comments" in change.fields
    edited = [name for name in change.fields if name in EDIT_FIELDS and not (name == "comments_count" and commented)]
    if edited:
        found.append(change_record("edited", at, record, replace(change, fields=edited)))
    if "categories" in change.fields:
        found.append(change_record("categories", at, record, replace(change, fields=["categories"])))
    if change.comments_added:
        found.append(change_record("comments-added", at, record, replace(change, fields=["comments"], comments_removed=[])))
    if change.comments_removed:
        found.append(change_record("comments-removed", at, record, replace(change, fields=["comments"], comments_added=[])))
    return found


def change_record(kind: str, at: str, post: dict, change: VersionChange | None = None) -> dict:
    """One change as `changes --json` prints it (the change record), its fields in contract order."""
    change = change or VersionChange()
    comments = change.comments_added if kind == "comments-added" else change.comments_removed if kind == "comments-removed" else []
    return {
        "kind": kind, "at": at, "post_id": post["id"], "url": post["url"], "title": post["title"],
        "summary": FIXED_SUMMARIES.get(kind) or change.summary(),
        "fields": list(change.fields) if kind in ("edited", "categories") else [],
        "lines_added": change.lines_added if "body_text" in change.fields else [],
        "lines_removed": change.lines_removed if "body_text" in change.fields else [],
        "categories_added": change.categories_added if kind == "categories" else [],
        "categories_removed": change.categories_removed if kind == "categories" else [],
        "tags_added": change.tags_added if "tags" in change.fields else [],
        "tags_removed": change.tags_removed if "tags" in change.fields else [],
        "comments": [{name: comment.get(name) for name in COMMENT_FIELDS} for comment in comments],
    }


def changes_json(changes: list[dict]) -> str:
    """JSON Lines: one change record a line, newest first ("" for none)."""
    return "".join(printable_json(json.dumps(change, ensure_ascii=False)) + "\n" for change in changes)


def changes_text(changes: list[dict], since: str, default: bool) -> str:
    """A heading, then one line per change: `2026-12-07 18:10:05 UTC  edited  6361381  Title: text (+1 -0 lines)`."""
    start = utc_text(since) + (" (the last run's start)" if default else "")
    if not changes:
        return f"No change since {start}."
    lines = [f"{plural(len(changes), 'change')} since {start}, newest first:"]
    width = max(len(change["kind"]) for change in changes)
    for change in changes:
        lines.append(printable(f"{utc_text(change['at'])}  {change['kind']:<{width}}  {change['post_id']}  "
                               f"{change['title'] or '(untitled)'}: {change['summary']}"))
    return "\n".join(lines)


def utc_text(moment: str) -> str:
    """An archive timestamp as the other commands print it: `2026-12-07 18:10:05 UTC`."""
    return moment.replace("T", " ").removesuffix("+00:00") + " UTC"
