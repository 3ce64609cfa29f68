"""A post's current extraction warnings: replaced each time the post is saved."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from archiver.store import prepared

WARNING_FIELDS = ("kind", "field", "detail")


def replace_warnings(
    db: Database, post_id: str, warnings: Iterable, *, run_id: int | None, stamp: str, fresh: bool = False
) -> None:
    """Replace the post's warnings with these: what its latest extraction doubted (`fresh`: it has none stored)."""
    if not fresh:
        db.execute("DELETE FROM post_warnings WHERE post_id = ?", [post_id])
    rows = [
        {"post_id": post_id, **{key: warning.get(key) for key in WARNING_FIELDS},
         "run_id": run_id, "seen_at": stamp}
        for warning in map(prepared.fields, warnings)
    ]
    prepared.insert_all(db, "post_warnings", rows)

