"""Comments: never deleted; a comment that leaves the page stays, marked removed with the day it was last seen.

A comment's date is stored as precisely as its page gives it: "2013-05-28T14:45:00+02:00", or the day alone,
"2013-05-28", when the page shows no time of day (never an invented midnight).

Namesake of archiver.extract.fields.comments: the same concept, a post's comments, at the store's layer (that module
reads them from a page).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import date, datetime, time

from sqlite_utils import Database

from archiver.dates import paris_time
from archiver.store import prepared
from archiver.store.timestamps import local_iso
from archiver.store.versions import comment_fingerprint


def comment_rows(comments: Iterable) -> list[dict]:
    """The page's comments as comments rows (fingerprinted), in page order."""
    rows = []
    for comment in map(prepared.fields, comments):
        published = moment_iso(comment.get("published"))
        rows.append({
            "author": comment.get("author"),
            "author_url": comment.get("author_url"),
            "published": published,
            "body_text": comment.get("body_text"),
            "body_html": comment.get("body_html"),
            "fingerprint": comment_fingerprint(comment.get("author"), published, comment.get("body_text")),
        })
    return rows


def moment_iso(moment: datetime | date | None) -> str | None:
    """A comment's date as stored: an aware datetime as ISO 8601 with its offset, a day (a date) as an ISO date."""
    if isinstance(moment, date) and not isinstance(moment, datetime):
        return moment.isoformat()
    return local_iso(moment)


def save_comments(db: Database, post_id: str, rows: list[dict], *, last_seen: str | None, fresh: bool = False) -> None:
    """Make these the post's live comments, matched to stored ones by fingerprint; a stored comment the
    page no longer shows is marked removed on `last_seen` (the last time the post was read with it) and
    keeps its place in the thread. A removed comment that shows again is live again. `fresh`: the post has
    none stored (nothing to match).
    """
    stored = [] if fresh else prepared.query(
        db, "SELECT id, fingerprint, removed FROM comments WHERE post_id = ? ORDER BY position, id", [post_id])
    matches = _match(stored, rows)
    added = []
    for position, (row, index) in enumerate(_thread(rows, matches, len(stored)), start=1):
        if row is None:  # no longer on the page
            removed = stored[index]["removed"] or last_seen
            prepared.update(db, "comments", {"id": stored[index]["id"]}, {"position": position, "removed": removed})
        elif index is None:
            added.append({"post_id": post_id, **row, "position": position, "removed": None})
        else:
            prepared.update(db, "comments", {"id": stored[index]["id"]}, row | {"position": position, "removed": None})
    prepared.insert_all(db, "comments", added)


def _match(stored: list[dict], rows: list[dict]) -> list[int | None]:
    """For each page comment, the index of the stored comment with its fingerprint (each used once), or None.
    A comment dated by day also matches, second, the one stored before with that day's midnight (archives
    written before dates kept their precision): it is then updated, never removed and added again."""
    free: dict[str, deque[int]] = defaultdict(deque)
    for index, comment in enumerate(stored):
        free[comment["fingerprint"]].append(index)
    matches = [free[row["fingerprint"]].popleft() if free.get(row["fingerprint"]) else None for row in rows]
    for position, row in enumerate(rows):
        earlier = _midnight_fingerprint(row) if matches[position] is None else None
        if earlier and free.get(earlier):
            matches[position] = free[earlier].popleft()
    return matches


def _midnight_fingerprint(row: dict) -> str | None:
    """The fingerprint a comment dated by day had when its day was stored as Paris midnight, or None."""
    published = row["published"]
    if not published or len(published) != len("2013-05-28"):
        return None
    midnight = local_iso(paris_time(datetime.combine(date.fromisoformat(published), time(0, 0))))
    return comment_fingerprint(row["author"], midnight, row["body_text"])


def _thread(rows: list[dict], matches: list[int | None], stored_count: int) -> list[tuple[dict | None, int | None]]:
    """The whole thread in order, as (page row or None, stored index or None): the page's comments in page
    order, each stored comment the page no longer shows just after the one it followed before."""
    left = deque(sorted(set(range(stored_count)) - {index for index in matches if index is not None}))
    thread: list[tuple[dict | None, int | None]] = []
    for row, index in zip(rows, matches, strict=True):
        while left and index is not None and left[0] < index:
            thread.append((None, left.popleft()))
        thread.append((row, index))
    thread.extend((None, index) for index in left)
    return thread
