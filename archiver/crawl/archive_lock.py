"""The archive's lock: one crawl at a time per archive, released by the OS if the crawl dies."""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from archiver.errors import ArchiveError, ArchiveLocked
from archiver.store.timestamps import utc_iso


def lock_path(db_path: str | Path) -> Path:
    """Where the lock of an archive lives: beside it, `ARCHIVE.lock` (it stays there between crawls)."""
    return Path(f"{db_path}.lock")


def lock_holder(db_path: str | Path) -> str | None:
    """Who holds the archive's lock now (its pid, machine and since when), or None; takes nothing and creates
    nothing: for a reader that must not run during a crawl (`check`)."""
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:  # no lock file: no crawl ever ran here, none runs now (or it cannot be read: assume none)
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # refused while a crawl holds its exclusive lock
    except BlockingIOError:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
    finally:
        os.close(fd)  # closing lets a shared lock go
    return None


class ArchiveLock:
    """An exclusive `flock` on `ARCHIVE.lock`, taken at once or not at all; a context manager.

    The lock belongs to the open file, not to the file's name or contents: when the process ends,
    however it ends (SIGKILL included), the OS releases it, and the next crawl takes it. The file
    names its holder (pid, machine, since when) for the message of a crawl that finds it taken.
    Taking it never writes to the archive, nor to the lock file unless the lock is won.
    """

    def __init__(self, db_path: str | Path, command: str = "crawl"):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self.command = command  # who takes it: "crawl", "reextract", "check --repair"
        self.fd: int | None = None

    def acquire(self) -> ArchiveLock:
        """Take the lock, or raise ArchiveLocked naming who holds it (ArchiveError if it cannot be made)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise ArchiveError(f"cannot lock archive {self.db_path}: {error}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            command = holder.rsplit(" by archiver ", 1)[1] if " by archiver " in holder else "crawl"
            raise ArchiveLocked(f"another {command} holds the archive {self.db_path} ({holder}; lock file "
                                f"{self.path}): this {self.command} did nothing") from None
        os.ftruncate(fd, 0)
        by = f" by archiver {self.command}" if self.command != "crawl" else ""
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {utc_iso()}{by}\n".encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Let the lock go (the file stays: removing it would let two crawls lock two files)."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()
