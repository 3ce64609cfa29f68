"""A search as typed, made an FTS5 query: plain words quoted and all required, ligatures both ways, syntax kept."""

from __future__ import annotations

import re
import sqlite3

from archiver.errors import UsageError
from archiver.folding import LIGATURES

# What makes a query FTS5 syntax rather than plain words: quotes, brackets, prefix stars, column
# filters, the initial-token caret, and the operators (in capitals, as FTS5 wants them).
FTS_SYNTAX = re.compile(r'["()*^:+{}]|(?<!\S)(?:AND|OR|NOT|NEAR)(?!\S)')


def fts_query(text: str) -> str:
    """The FTS5 query for what a user typed: FTS5 syntax is kept as written ("un mot" OR autre, souver*);
    plain words are each quoted and all required, so "l'armée" or "jean-pierre" match as words and never
    fail to parse, and "coeur" finds "cœur" too."""
    if FTS_SYNTAX.search(text):
        return text
    return " AND ".join(_word_query(word) for word in text.split())


# Each ligature of `folding.LIGATURES` and its two letters as a word may spell them ("OEUVRE" too): both
# spellings are searched, as the FTS5 tokenizer folds accents but not ligatures.
LIGATURE_SPELLINGS = [(plain, joined) for joined, opened in LIGATURES.items()
                      for plain in dict.fromkeys([opened.upper(), opened] if joined.isupper() else [opened])]


def _word_query(word: str) -> str:
    """One typed word as FTS5: quoted, and with its other spelling when French writes it with a ligature
    either way ("coeur" and "cœur": the tokenizer folds accents, not ligatures)."""
    spellings = dict.fromkeys([word, *(word.replace(plain, joined) for plain, joined in LIGATURE_SPELLINGS),
                               *(word.replace(joined, plain) for plain, joined in LIGATURE_SPELLINGS)])
    quoted = ['"' + spelling.replace('"', '""') + '"' for spelling in spellings]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


# FTS5's snippet() and bm25 grow with the square of a query's terms ("a OR a OR ..." 20,000 times: minutes);
# no one types more words than this, a pasted paragraph included.
MAX_QUERY_WORDS = 200


def check_query(query: str) -> None:
    """Raise UsageError for a query that is empty, not text SQLite can take, or too long to search."""
    if not query.strip():
        raise UsageError("empty search query")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UsageError(f"search query {shown(query)} is not UTF-8 text (undecodable bytes?)") from error
    words = len(re.findall(r"\w+", query))
    if words > MAX_QUERY_WORDS:
        raise UsageError(f"search query too long: {words:,} words (at most {MAX_QUERY_WORDS})")


def shown(query: str, limit: int = 80) -> str:
    """A query as an error message quotes it: its first `limit` characters, when it is long."""
    if len(query) <= limit:
        return repr(query)
    return f"{query[:limit]!r}… ({len(query):,} characters)"


def reason(error: sqlite3.OperationalError) -> str:
    """SQLite's complaint about a query, with a hint on how to search words as they are."""
    message = str(error).removeprefix("fts5: ")
    return f"{message} (FTS5 syntax; put words in double quotes to search them as they are)"
