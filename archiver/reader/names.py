"""File names in the offline reader: safe whatever a slug or an id contains, never outside the export, never twice."""

from __future__ import annotations

import hashlib
import re
import unicodedata

UNSAFE = re.compile(r"[^a-z0-9]+")
MAX_STEM = 80


def safe_stem(text: str) -> str:
    """A file name stem from any text: ASCII letters, digits and dashes only ("Géopolitique/../x" ->
    "geopolitique-x"), at most MAX_STEM characters; "x" for nothing left."""
    folded = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return UNSAFE.sub("-", ascii_text).strip("-")[:MAX_STEM].strip("-") or "x"


class Names:
    """One file name per key (a post id, a category slug): its safe stem, with a short hash of the key added
    when the stem was changed or is already taken, so that two keys never share a file."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._taken: set[str] = set()

    def __call__(self, key: str) -> str:
        if key in self._by_key:
            return self._by_key[key]
        stem = safe_stem(key)
        if stem != key or stem in self._taken:
            stem = f"{stem}-{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
        self._taken.add(stem)
        self._by_key[key] = stem
        return stem
