"""Writing the reader's files: each through a temporary file renamed into place, only when its text changed,
never outside the export folder; files an earlier export wrote and this one did not are removed.

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


class SiteWriter:
    """Writes files under `root`, counting those written anew and those left as they were."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create the folder {root}: {error.strerror or error}") from None
        self.names: set[str] = set()
        self.written = self.unchanged = 0

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
            if target.is_file() and target.stat().st_size == source.stat().st_size:
                self.unchanged += 1
                return
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
        try:
            before = set(json.loads(manifest.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            before = set()
        removed = 0
        for name in sorted(before - self.names):
            target = (self.root / name).resolve()
            if target.is_relative_to(self.root) and target.is_file():
                target.unlink()
                removed += 1
        manifest.write_text(json.dumps(sorted(self.names), ensure_ascii=False), encoding="utf-8")
        return removed
