"""Opening the archive file, and writing to it in transactions that wait for the lock and retry."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from archiver.errors import ArchiveError, ArchiverError, NotAnArchive
from archiver.store.schema import SCHEMA_VERSION, ensure_schema, schema_version

T = TypeVar("T")

# Notes for the user about how the archive was opened (a snapshot): the CLI prints them on stderr, once each.
logger = logging.getLogger(__name__)

# How long a connection waits for another writer's lock before "database is locked" (seconds).
DEFAULT_BUSY_TIMEOUT = 10.0
# SQLite's primary result codes of a failure that may pass: busy, locked, I/O error.
PASSING_ERRORS = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR)


def open_archive(path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
    """Open (or create) the archive at `path`: WAL, foreign keys on, a busy timeout, schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
    except (OSError, sqlite3.Error) as error:
        raise ArchiveError(f"cannot open archive {path}: {error}") from error
    try:
        db.execute(f"PRAGMA busy_timeout = {max(int(busy_timeout * 1000), 0)}")
        db.execute("PRAGMA foreign_keys = ON")
        _refuse_foreign(db, path)
        db.enable_wal()
        ensure_schema(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise _archive_error(error, path, f"cannot use {path} as an archive") from error
    except ArchiveError:
        db.close()
        raise
    return db


def _archive_error(error: sqlite3.DatabaseError, path: Path, failed: str) -> ArchiverError:
    """NotAnArchive for a file SQLite does not recognise as a database, else ArchiveError: `failed: error`."""
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return NotAnArchive(f"{path} is not an archive: {error}")
    return ArchiveError(f"{failed}: {error}")


def _refuse_foreign(db: Database, path: Path) -> None:
    """NotAnArchive for a SQLite file of something else (tables, none of them ours): never add ours to it."""
    tables = db.table_names()
    if schema_version(db) == 0 and tables and "posts" not in tables:
        raise NotAnArchive(f"{path} is not an archive: a SQLite database of something else (tables: {', '.join(tables[:5])})")


@contextmanager
def batch(db: Database) -> Iterator[Database]:
    """One transaction: every write inside commits together, or none does (nests as savepoints).

    It begins IMMEDIATE: the write lock is taken first (waiting up to the busy timeout for another
    writer), so a transaction never reads, then fails to upgrade to a write at once.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def write_batch(
    db: Database, write: Callable[[Database], T], *, attempts: int = 3, backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `write(db)` in one `batch` and return its result; nothing is written unless all of it is.

    A transaction that fails for a passing reason (locked, busy, I/O) is rolled back and tried again
    after `backoff` seconds, doubled each time, `attempts` times in all. Raises ArchiveError when the
    last attempt fails, or at once for any other database error (a retry would fail the same way).
    """
    for attempt in range(1, attempts + 1):
        try:
            with batch(db):
                return write(db)
        except sqlite3.Error as error:
            if not passing(error):
                raise ArchiveError(f"cannot write to the archive: {error}") from error
            if attempt >= attempts:
                raise ArchiveError(f"cannot write to the archive ({attempts} attempts): {error}") from error
            sleep(backoff * 2 ** (attempt - 1))
    raise ValueError(f"attempts must be 1 or more, not {attempts}")


def passing(error: sqlite3.Error) -> bool:
    """Whether a database error may pass if the transaction is tried again (another writer, I/O)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in PASSING_ERRORS


def open_existing_archive(path: str | Path) -> Database:
    """Open an archive that must already exist, to read and write it (`reextract`)."""
    if not Path(path).is_file():
        raise NotAnArchive(f"no archive at {path}")
    return open_archive(path)


def open_readonly_archive(path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, older: bool = False) -> Database:
    """Open an existing archive read-only, for the commands that only read it: they run while a crawl
    writes (WAL readers see the last commit) and never change the file, not even to migrate it.

    Raises NotAnArchive for a missing file, a file that is not SQLite, or a database without our schema;
    ArchiveError for an archive of an older schema (only `crawl` and `check --repair` bring it up to date),
    unless `older` (`check` reads it as it is), or of a newer one.
    """
    path = Path(path)
    if not path.is_file():
        raise NotAnArchive(f"no archive at {path}")

    def checked(db: Database) -> Database:
        version = _archive_version(db, path)
        if version < SCHEMA_VERSION and not older:
            raise ArchiveError(f"the archive {path} has schema version {version}, older than this archiver's {SCHEMA_VERSION}: "
                               f"reading commands never change it; bring it up to date with `archiver check --repair --db {path}` "
                               "(or a crawl), then try again")
        return db

    return _readonly(path, busy_timeout, checked)


@contextmanager
def reading(path: str | Path, *, older: bool = False) -> Iterator[Database]:
    """The archive opened read-only for the `with` block, closed after it whatever happens: how every command
    that only reads the archive opens it (`with reading(db_path) as db:`). Raises as `open_readonly_archive`."""
    db = open_readonly_archive(path, older=older)
    try:
        yield db
    finally:
        db.close()


def _readonly(path: Path, busy_timeout: float, use: Callable[[Database], T]) -> T:
    """Open `path` read-only and hand it to `use`; close it unless `use` returns it.

    Read-only is `mode=ro`: it reads while a crawl writes, through the WAL's -shm beside the file. Where that
    -shm cannot be made (a read-only folder: a share, a mounted backup, a DVD), the file is read as a snapshot
    (`immutable=1`), which writes nothing at all, and a note is logged (snapshot_note)."""
    try:
        return _read_with(path, busy_timeout, use, "mode=ro")
    except ArchiveError as error:
        cause = error.__cause__
        if not isinstance(cause, sqlite3.Error) or not _needs_snapshot(cause, path):
            raise
    result = _read_with(path, busy_timeout, use, "mode=ro&immutable=1")
    logger.warning(snapshot_note(path))
    return result


def _read_with(path: Path, busy_timeout: float, use: Callable[[Database], T], query: str) -> T:
    """`use(db)` on `path` opened with this URI query (mode=ro...); closed unless `use` returns it."""
    uri = f"{path.resolve().as_uri()}?{query}"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=ReadConnection)
        conn.uri = uri
    except sqlite3.Error as error:
        raise ArchiveError(f"cannot open archive {path}: {error}") from error
    db = Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {max(int(busy_timeout * 1000), 0)}")
        result = use(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise _archive_error(error, path, f"cannot read archive {path}") from error
    except ArchiverError:
        db.close()
        raise
    if result is not db:
        db.close()
    return result


class ReadConnection(sqlite3.Connection):
    """A read-only connection that keeps the URI it was opened with: `reading_uri` opens the file again the same way."""

    uri = ""


def reading_uri(db: Database) -> str:
    """The URI that opens `db`'s file again as `db` reads it: read-only, and a snapshot if `db` is one."""
    return getattr(db.conn, "uri", "") or f"{Path(db.execute('PRAGMA database_list').fetchone()[2]).as_uri()}?mode=ro"


def _needs_snapshot(error: sqlite3.Error, path: Path) -> bool:
    """Whether `mode=ro` failed only because the WAL's -shm (or -wal) cannot be made or opened beside a file
    we can read: "attempt to write a readonly database", or "unable to open" with a -wal and no -shm."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) and os.access(path, os.R_OK)


def snapshot_note(path: str | Path) -> str:
    """The note for an archive read as a snapshot: why, and what of it is not seen (a -wal left beside it)."""
    path = Path(path)
    where = "is in a read-only folder" if not os.access(path.parent, os.W_OK) else "cannot share its -shm file"
    wal = path.with_name(path.name + "-wal")
    unseen = wal.stat().st_size if wal.is_file() else 0
    missed = (f", without the last changes in its -wal file ({unseen} bytes): copy both to a writable folder to see them"
              if unseen else "")
    return f"Note: {path} {where}; read as a snapshot (immutable){missed}"


def _archive_version(db: Database, path: Path, *, allow_empty: bool = False) -> int:
    """The schema version of an archive: ArchiveError when it is newer than ours, NotAnArchive for a SQLite
    file that is not one (an empty database too, unless `allow_empty`: a crawl makes an archive of it)."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise ArchiveError(f"archive has schema version {version}, newer than this archiver's {SCHEMA_VERSION}")
    tables = db.table_names()
    if "posts" not in tables and (tables or not allow_empty):
        what = f"a SQLite database of something else (tables: {', '.join(tables[:5])})" if tables else "an empty database"
        raise NotAnArchive(f"{path} is not an archive: {what}")
    return version


def check_archive_file(path: str | Path) -> None:
    """Refuse, without changing it, a file that a crawl could not use as its archive: not SQLite, another
    program's database, or an archive from a newer archiver (an empty file or database is fine)."""
    path = Path(path)
    if path.is_file() and path.stat().st_size:
        _readonly(path, DEFAULT_BUSY_TIMEOUT, lambda db: _archive_version(db, path, allow_empty=True))
