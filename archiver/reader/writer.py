"""Writing the reader's files: each through a temporary file renamed into place, only when its text changed,
never outside the export folder, never over a file an earlier export did not write (unless forced); files an
earlier export wrote and this one did not are removed.

Namesake of archiver.store.writer, which writes the archive during a crawl (this module writes the offline reader's
files).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from archiver.errors import UsageError

MANIFEST = ".archiver-reader.json"  # the files the last export wrote, to remove those no longer written


class ForeignFile(UsageError):
    """Raised by SiteWriter when the export would replace a file that no earlier export wrote (the user's own)."""


class SiteWriter:
    """Writes files under `root`, counting those written anew and those left as they were.

    A file already in the folder that the manifest of an earlier export does not list is the user's: the export
    stops (ForeignFile) before replacing it, and takes back the files it had created, unless `force`.
    """

    def __init__(self, root: Path, *, force: bool = False):
        self.root = root.resolve()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create the folder {root}: {error.strerror or error}") from None
        self.names: set[str] = set()
        self.written = self.unchanged = 0
        self.force = force
        self.ours = self.manifest()  # what earlier exports wrote here
        self.created: list[Path] = []  # files this export added (taken back if it stops)

    def manifest(self) -> set[str]:
        """The files the last export here wrote (none when there was none)."""
        try:
            return set(json.loads((self.root / MANIFEST).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return set()

    def claim(self, name: str, target: Path) -> None:
        """Before replacing root/name: refuse if it is a file no export of ours wrote; note a file we add."""
        if not target.exists():
            self.created.append(target)
        elif name not in self.ours and not self.force:
            for path in reversed(self.created):
                path.unlink(missing_ok=True)
            raise ForeignFile(f"{target} was not written by an export of this archiver: not overwritten "
                              "(export into an empty folder, or add --force to replace it)")

    def write(self, name: str, text: str) -> None:
        """Write `text` to root/name (a relative path of ours), unless the file already holds it."""
        target = (self.root / name).resolve()
        if not target.is_relative_to(self.root):
            raise ValueError(f"{name!r} is outside the export")
        self.names.add(name)
        data = text.encode("utf-8")
        try:
            if target.is_file() and target.read_bytes() == data:
                self.unchanged += 1
                return
            self.claim(name, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            os.replace(partial, target)
        except OSError as error:
            raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
        self.written += 1

    def copy(self, name: str, source: Path) -> None:
        """Copy a file (a post's image) to root/name, unless a file of the same size is already there."""
        target = (self.root / name).resolve()
        if not target.is_relative_to(self.root):
            raise ValueError(f"{name!r} is outside the export")
        if name in self.names:  # an image two posts show: copied once
            return
        self.names.add(name)
        try:
            if target.is_file() and target.stat().st_size == source.stat().st_size and name in self.ours:
                self.unchanged += 1
                return
            self.claim(name, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        except OSError as error:
            raise UsageError(f"cannot copy {source} to {target}: {error.strerror or error}") from None
        self.written += 1

    def finish(self) -> int:
        """Remove what the previous export wrote and this one did not; record this one's files. How many removed."""
        manifest = self.root / MANIFEST
        removed = 0
        for name in sorted(self.ours - self.names):
            target = (self.root / name).resolve()
            if target.is_relative_to(self.root) and target.is_file():
                target.unlink()
                removed += 1
        manifest.write_text(json.dumps(sorted(self.names), ensure_ascii=False), encoding="utf-8")
        return removed
