"""The reader's search index: for each post its page, title, date and the distinct words of its title and text,
folded (lower case, no accents), as a script that sets a global (a browser will not fetch a JSON file from file://)."""

from __future__ import annotations

import json
import re

from archiver.folding import fold  # as assets/reader.js folds
from archiver.reader.french_dates import short_date

WORD = re.compile(r"\w{2,}")


def index_entry(post: dict, href: str) -> list:
    """[page, title, day (ISO, to sort), title words, text words, day as shown]: each word once, title words
    first (they rank first)."""
    title_words = list(dict.fromkeys(WORD.findall(fold(post["title"]))))
    seen = set(title_words)
    text_words = [word for word in dict.fromkeys(WORD.findall(fold(post["body_text"]))) if word not in seen]
    return [href, post["title"] or "(sans titre)", (post["published"] or "")[:10], " ".join(title_words), " ".join(text_words),
            short_date(post["published"])]


def index_script(entries: list[list]) -> str:
    """The index as a script: `window.ARCHIVE_INDEX = [...]` (compact JSON, no HTML-breaking characters)."""
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.ARCHIVE_INDEX = {data};\n"
