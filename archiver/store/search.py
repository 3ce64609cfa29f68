"""Full-text search over posts_fts (the FTS5 table sqlite-utils made): ranked hits with a marked snippet."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from archiver.errors import UsageError
from archiver.store.filters import post_filters, where_sql
from archiver.store.queries import load_posts

# A match in a snippet is wrapped in these; callers turn them into [ ], bold, or <mark>.
HIT_START, HIT_END = "\x02", "\x03"
# bm25 weights of posts_fts's columns (title, body_text): a word in the title counts five times.
RANK = "bm25(posts_fts, 5.0, 1.0)"
SNIPPET = f"snippet(posts_fts, -1, '{HIT_START}', '{HIT_END}', '…', 24)"
# What makes a query FTS5 syntax rather than plain words: quotes, brackets, prefix stars, column
# filters, the initial-token caret, and the operators (in capitals, as FTS5 wants them).
FTS_SYNTAX = re.compile(r'["()*^:+{}]|(?<!\S)(?:AND|OR|NOT|NEAR)(?!\S)')


@dataclass
class SearchResult:
    """The hits of a search, best first (post rows with "rank" and "snippet"), and how many match in all."""

    hits: list[dict]
    total: int


def fts_query(text: str) -> str:
    """The FTS5 query for what a user typed: FTS5 syntax is kept as written ("un mot" OR autre, souver*);
    plain words are each quoted, so "l'armée" or "jean-pierre" match as words and never fail to parse."""
    if FTS_SYNTAX.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def search_posts(
    db: Database, query: str, *, category: str | Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, limit: int | None = 20,
) -> list[dict]:
    """Posts matching a query, best first, each a `load_posts` row with "rank" (bm25: lower is better)
    and "snippet" (the best passage, matches between HIT_START and HIT_END). See `search`."""
    return search(db, query, category=category, since=since, until=until, limit=limit).hits


def search(
    db: Database, query: str, *, category: str | Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, limit: int | None = 20,
) -> SearchResult:
    """The `limit` best posts for a query and the number that match, with the filters of `post_filters`.

    Accents and case never matter ("elysee" finds "Élysée": the index's tokenizer folds them). Raises
    UsageError for an empty query, or one that FTS5 cannot parse (an unbalanced quote, a bare AND).
    """
    if not query.strip():
        raise UsageError("empty search query")
    conditions, params = post_filters(db, category, since, until)
    params |= {"query": fts_query(query), "limit": limit if limit else -1}
    matching = (
        " FROM posts_fts JOIN posts ON posts.rowid = posts_fts.rowid"
        + where_sql(["posts_fts MATCH :query", *conditions])
    )
    sql = f"SELECT posts.id, {RANK} AS rank, {SNIPPET} AS snippet{matching} ORDER BY rank LIMIT :limit"
    try:
        rows = db.execute(sql, params).fetchall()
        total = db.execute(f"SELECT count(*){matching}", params).fetchone()[0] if limit and len(rows) >= limit else len(rows)
    except sqlite3.OperationalError as error:
        raise UsageError(f"bad search query {query!r}: {_reason(error)}") from error
    posts = load_posts(db, [post_id for post_id, _, _ in rows])
    hits = [post | {"rank": rank, "snippet": snippet} for post, (_, rank, snippet) in zip(posts, rows, strict=True)]
    return SearchResult(hits, total)


def _reason(error: sqlite3.OperationalError) -> str:
    """SQLite's complaint about a query, with a hint on how to search words as they are."""
    message = str(error).removeprefix("fts5: ")
    return f"{message} (FTS5 syntax; put words in double quotes to search them as they are)"
