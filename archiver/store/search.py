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
# Ligatures French writes or not (the FTS5 tokenizer folds accents, not these): both spellings are searched.
LIGATURES = (("oe", "œ"), ("OE", "Œ"), ("Oe", "Œ"), ("ae", "æ"), ("AE", "Æ"), ("Ae", "Æ"))
# Above this many matches, rank the posts with the words in their title first (see `search`).
RANK_ALL = 2000
FTS_SYNTAX = re.compile(r'["()*^:+{}]|(?<!\S)(?:AND|OR|NOT|NEAR)(?!\S)')
# FTS5's snippet() and bm25 grow with the square of a query's terms ("a OR a OR ..." 20,000 times: minutes);
# no one types more words than this, a pasted paragraph included.
MAX_QUERY_WORDS = 200
WORD = re.compile(r"\w+")
SHOWN_QUERY = 80  # characters of a query an error message quotes


@dataclass
class SearchResult:
    """The hits of a search, best first (post rows with "rank" and "snippet"), how many match in all (None:
    too many to count cheaply under filters), and "title" when the hits were ranked among title matches."""

    hits: list[dict]
    total: int | None
    ranked_among: str | None = None


def fts_query(text: str) -> str:
    """The FTS5 query for what a user typed: FTS5 syntax is kept as written ("un mot" OR autre, souver*);
    plain words are each quoted and all required, so "l'armée" or "jean-pierre" match as words and never
    fail to parse, and "coeur" finds "cœur" too."""
    if FTS_SYNTAX.search(text):
        return text
    return " AND ".join(_word_query(word) for word in text.split())


def _word_query(word: str) -> str:
    """One typed word as FTS5: quoted, and with its other spelling when French writes it with a ligature
    either way ("coeur" and "cœur": the tokenizer folds accents, not ligatures)."""
    spellings = dict.fromkeys([word, *(word.replace(plain, joined) for plain, joined in LIGATURES),
                               *(word.replace(joined, plain) for plain, joined in LIGATURES)])
    quoted = ['"' + spelling.replace('"', '""') + '"' for spelling in spellings]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


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

    Accents and case never matter ("elysee" finds "Élysée": the index's tokenizer folds them). Ranking
    every match of a word found in half the posts costs ~25 ms on 50,000 posts; so when more than
    RANK_ALL posts match and the posts with the words in their title are enough to fill `limit`, the
    hits are the best of those (a title match is what bm25's title weight puts first anyway), and
    `SearchResult.ranked_among` says so. Raises UsageError for an empty query, one of more than
    MAX_QUERY_WORDS words or with undecodable bytes, or one that FTS5 cannot parse (an unbalanced quote,
    a bare AND, an unknown column).
    """
    _check_query(query)
    conditions, params = post_filters(db, category, since, until)
    params |= {"query": fts_query(query), "limit": limit if limit else -1}
    try:
        matches = db.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :query", params).fetchone()[0]
        rows = _ranked(db, conditions, params, titles_first=True) if limit and matches > RANK_ALL else None
        ranked_among = "title" if rows is not None else None
        if rows is None:
            rows = _ranked(db, conditions, params)
        total = _total(db, conditions, params, matches, len(rows), limit)
        snippets = _snippets(db, params["query"], [rowid for rowid, _, _ in rows])
    except sqlite3.OperationalError as error:
        raise UsageError(f"bad search query {_shown(query)}: {_reason(error)}") from error
    posts = load_posts(db, [post_id for _, post_id, _ in rows])
    hits = [post | {"rank": rank, "snippet": snippets.get(rowid)} for post, (rowid, _, rank) in zip(posts, rows, strict=True)]
    return SearchResult(hits, total, ranked_among)


def _check_query(query: str) -> None:
    """Raise UsageError for a query that is empty, not text SQLite can take, or too long to search."""
    if not query.strip():
        raise UsageError("empty search query")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UsageError(f"search query {_shown(query)} is not UTF-8 text (undecodable bytes?)") from error
    words = len(WORD.findall(query))
    if words > MAX_QUERY_WORDS:
        raise UsageError(f"search query too long: {words:,} words (at most {MAX_QUERY_WORDS})")


def _shown(query: str) -> str:
    """A query as an error message quotes it: its start, when it is long."""
    if len(query) <= SHOWN_QUERY:
        return repr(query)
    return f"{query[:SHOWN_QUERY]!r}… ({len(query):,} characters)"


def _ranked(db: Database, conditions: list[str], params: dict, *, titles_first: bool = False) -> list[tuple] | None:
    """(rowid, post id, rank) of the best matches, best first. With `titles_first`, only among the posts
    with the words in their title, and None when those are fewer than the limit."""
    query = f"title : ({params['query']})" if titles_first else params["query"]
    sql = (f"SELECT posts_fts.rowid, {RANK} AS rank FROM posts_fts WHERE posts_fts MATCH :ranked_query"
           f"{_allowed(conditions)} ORDER BY rank LIMIT :limit")
    rows = db.execute(sql, params | {"ranked_query": query}).fetchall()
    if titles_first and len(rows) < params["limit"]:
        return None
    ids = dict(db.execute(f"SELECT rowid, id FROM posts WHERE rowid IN ({', '.join('?' * len(rows))})", [r for r, _ in rows]))
    return [(rowid, ids[rowid], rank) for rowid, rank in rows]


def _allowed(conditions: list[str]) -> str:
    """The filters as a condition on the FTS row: its rowid among the posts they keep. The "+" keeps
    SQLite from handing the list to FTS5 (slow), and bm25 is then computed for the kept posts only."""
    if not conditions:
        return ""
    return f" AND +posts_fts.rowid IN (SELECT posts.rowid FROM posts{where_sql(conditions)})"


def _total(db: Database, conditions: list[str], params: dict, matches: int, found: int, limit: int | None) -> int | None:
    """How many posts match in all: the index's count without filters; with filters, counted when cheap
    (RANK_ALL matches or fewer), else None (many)."""
    if not conditions:
        return matches
    if not limit or found < limit:
        return found
    if matches > RANK_ALL:
        return None
    sql = f"SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :query{_allowed(conditions)}"
    return db.execute(sql, params).fetchone()[0]


def _snippets(db: Database, query: str, rowids: list[int]) -> dict[int, str]:
    """The best passage of each of these posts for the query, matches marked (computed for the hits only)."""
    if not rowids:
        return {}
    marks = ", ".join("?" * len(rowids))
    sql = f"SELECT rowid, {SNIPPET} FROM posts_fts WHERE posts_fts MATCH ? AND rowid IN ({marks})"
    return dict(db.execute(sql, [query, *rowids]).fetchall())


def _reason(error: sqlite3.OperationalError) -> str:
    """SQLite's complaint about a query, with a hint on how to search words as they are."""
    message = str(error).removeprefix("fts5: ")
    return f"{message} (FTS5 syntax; put words in double quotes to search them as they are)"
