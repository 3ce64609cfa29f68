"""WarcFiles: WARC files written one after another in a folder, each rolled once it passes a size (Heritrix's way)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"  # a file being written (Heritrix's habit): renamed when closed, left so by a killed crawl


class WarcFiles:
    """WARC files `<stem>-<nnnnn>.warc.gz` in a folder, each begun by its warcinfo record and closed once it passes
    `size` bytes; written as `<name>.open`, renamed when closed. A file is never reopened: a new one is made."""

    def __init__(self, folder: Path, stem: str, size: int, warcinfo: Callable[[str], bytes]):
        self.folder, self.stem, self.size, self.warcinfo = folder, stem, size, warcinfo
        self.number = 0
        self.file = None
        self.path: Path | None = None
        self.closed: list[Path] = []  # the files written whole, closed and renamed
        self.bytes = 0  # of every file, the open one included

    def name(self) -> str:
        return f"{self.stem}-{self.number:05d}.warc.gz"

    def write(self, data: bytes) -> None:
        """Append records (whole gzip members) to the open file, opening a new one first if none is; written at once,
        so a killed crawl leaves whole records; the file is closed when it passes the size. OSError as is."""
        if self.file is None:
            self.open()
        start = self.file.tell()
        try:
            self.put(data)
        except OSError:
            self.abandon(start)
            raise
        self.bytes += len(data)
        if self.file.tell() >= self.size:
            self.close()

    def open(self) -> None:
        """Start the next file (exclusive creation: never one another run left) with its warcinfo record."""
        self.number += 1
        self.path = self.folder / (self.name() + OPEN_SUFFIX)
        self.file = open(self.path, "xb", buffering=0)  # noqa: SIM115 -- kept open across records, closed by close()
        try:
            self.put(self.warcinfo(self.name()))
        except OSError:
            self.abandon(0)
            raise
        self.bytes += self.file.tell()

    def put(self, data: bytes) -> None:
        """Write all of `data` to the file, unbuffered: in the OS's hands when this returns (a kill loses none of it;
        after a failed write, nothing of it lingers in a buffer)."""
        view = memoryview(data)
        while view:
            view = view[self.file.write(view):]

    def close(self) -> None:
        """Close the open file, if any, and give it its final name. OSError as is (the file then keeps `.open`)."""
        if self.file is not None:
            file, self.file = self.file, None
            file.close()
            self.closed.append(self.path.rename(self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX))))

    def abandon(self, whole: int) -> None:
        """After a failed write: cut the file back to its `whole` bytes (its records whole) and close it under its
        final name (remove it if nothing is left); if even that fails, leave it. Never raises: the write's error is
        the one to report."""
        try:
            self.file.truncate(whole)
            if whole:
                self.close()
            else:
                self.file.close()
                self.path.unlink()
        except OSError as error:
            logger.warning("WARC file %s left as it is after a write error: %s", self.path, error)
        self.file = None
