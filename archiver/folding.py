"""Text folded for matching what people type: lower case, without accents, ligatures opened ("Œuvre à
l'Élysée" -> "oeuvre a l'elysee"). Dates, category filters and the reader's search index all fold this way."""

from __future__ import annotations

import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def fold(text: str | None) -> str:
    """Lower case, no accents (NFKD, combining marks dropped), œ and æ as two letters; "" for None."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
