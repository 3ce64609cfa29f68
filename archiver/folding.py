"""Text folded for matching what people type: lower case, without accents, ligatures opened ("Œuvre à l'Élysée" -> "oeuvre a l'elysee")."""

from __future__ import annotations

import unicodedata

# The ligatures French writes or not, and their two letters (dates, category filters, the reader's index and
# search's alternative spellings all read this one table).
LIGATURES = {"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"}
_OPENED = str.maketrans(LIGATURES)


def fold(text: str | None) -> str:
    """Lower case, no accents (NFKD, combining marks dropped), œ and æ as two letters; "" for None."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_OPENED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
