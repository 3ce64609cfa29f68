"""Opening the archive file, and grouping writes into one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.store.schema import ensure_schema


def open_archive(path: str | Path) -> Database:
    """Open (or create) the archive at `path`: WAL, foreign keys on, schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
    except (OSError, sqlite3.Error) as error:
        raise ArchiveError(f"cannot open archive {path}: {error}") from error
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        ensure_schema(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise ArchiveError(f"cannot use {path} as an archive: {error}") from error
    except ArchiveError:
        db.close()
        raise
    return db


@contextmanager
def batch(db: Database) -> Iterator[Database]:
    """One transaction: every write inside commits together, or none does (nests as savepoints)."""
    with db.atomic():
        yield db


def open_existing_archive(path: str | Path) -> Database:
    """Open an archive that must already exist (for commands that only read or re-read it)."""
    if not Path(path).is_file():
        raise ArchiveError(f"no archive at {path}")
    return open_archive(path)
