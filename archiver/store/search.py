"""Full-text search over posts_fts (the FTS5 table sqlite-utils made): ranked hits with a marked snippet."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from archiver.errors import UsageError
from archiver.store.filters import post_filters, where_sql
from archiver.store.queries import load_posts
from archiver.store.search_query import MAX_QUERY_WORDS, check_query, fts_query, reason, shown  # noqa: F401

# A match in a snippet is wrapped in these; callers turn them into [ ], bold, or <mark>.
HIT_START, HIT_END = "\x02", "\x03"
# bm25 weights of posts_fts's columns (title, body_text): a word in the title counts five times.
RANK = "bm25(posts_fts, 5.0, 1.0)"


@dataclass
class SearchResult:
    """The hits of a search, best first (post rows with "rank" and "snippet"), how many match in all (None:
    too many to count cheaply under filters), and "title" when the hits were ranked among title matches."""

    hits: list[dict]
    total: int | None
    ranked_among: str | None = None


def prepare_for_search(db: Database) -> Database:
    """Set a connection up for searching (for as long as it lasts): the index read through a memory map, which
    spares copying each page from the OS cache (~5% of a search)."""
    db.execute("PRAGMA mmap_size = 1073741824")
    return db


def search_posts(
    db: Database, query: str, *, category: str | Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, limit: int | None = 20, tag: str | Sequence[str] | None = None,
) -> list[dict]:
    """Posts matching a query, best first, each a `load_posts` row with "rank" (bm25: lower is better)
    and "snippet" (the best passage, matches between HIT_START and HIT_END). See `search`."""
    return search(db, query, category=category, since=since, until=until, limit=limit, tag=tag).hits


def search(
    db: Database, query: str, *, category: str | Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, limit: int | None = 20, tag: str | Sequence[str] | None = None,
) -> SearchResult:
    """The `limit` best posts for a query and the number that match, with the filters of `post_filters`.

    Accents and case never matter ("elysee" finds "Élysée": the index's tokenizer folds them). bm25 costs
    about a microsecond per matching post, and a phrase costs a pass over its words' positions to count
    as much as to rank: so a phrase, or a search among at most KEPT_LISTED posts kept by filters, is ranked
    and counted in one pass when at most RANK_IN_ONE_PASS posts match. Otherwise the index counts the
    matches, and all are ranked when at most RANK_ALL match; above, when the posts with the words in their
    title are enough to fill `limit`, the hits are the best of those (a title match is what bm25's title
    weight puts first anyway), and `SearchResult.ranked_among` says so. Raises UsageError for an empty
    query, one of more than MAX_QUERY_WORDS words or with undecodable bytes, or one that FTS5 cannot
    parse (an unbalanced quote, a bare AND, an unknown column).
    """
    check_query(query)
    conditions, params = post_filters(db, category, since, until, tag=tag)
    params |= {"query": fts_query(query), "limit": limit if limit else -1}
    try:
        params["query"] = _prefixes_spelled_out(db, params["query"])
        params |= _kept(db, conditions, params) if conditions else {}
        if params.get("kept_count") == 0:
            return SearchResult([], 0)
        every = _every_match_ranked(db, params) if "kept" in params or '"' in query else None
        rows, total, ranked_among = (*every, None) if every is not None else _ranked_best(db, params)
        snippets = _snippets(db, params["query"], [rowid for rowid, _, _ in rows], None if conditions else total)
    except sqlite3.OperationalError as error:
        raise UsageError(f"bad search query {shown(query)}: {reason(error)}") from error
    posts = load_posts(db, [post_id for _, post_id, _ in rows])
    hits = [post | {"rank": rank, "snippet": snippets.get(rowid)} for post, (rowid, _, rank) in zip(posts, rows, strict=True)]
    return SearchResult(hits, total, ranked_among)


# Above this many matches of plain words, rank the posts with the words in their title first (see `search`):
# bm25 costs about a microsecond a match. Ranking every match instead: common words' p95 2x to 4x (bench
# queries, 20,000 posts).
RANK_ALL = 2000


def _ranked_best(db: Database, params: dict) -> tuple[list[tuple], int | None, str | None]:
    """(rowid, post id, rank) of the best matches, how many match (see `_total`) and "title" when they
    were ranked among the posts with the words in their title (see `search`)."""
    limit = params["limit"]
    matches = db.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :query", params).fetchone()[0]
    rows = _ranked(db, params, titles_first=True) if limit > 0 and matches > RANK_ALL else None
    ranked_among = "title" if rows is not None else None
    if rows is None:
        rows = _ranked(db, params)
    return rows, _total(db, params, matches, len(rows)), ranked_among


# Queries whose prefixes are spelled out as the index's words (see `_prefixes_spelled_out`): bare words, some with a *.
BARE_WORDS = re.compile(r"\w+\*?(?:\s+\w+\*?)*")
PREFIX = re.compile(r"(\w+)\*")
# A prefix standing for more words is left to FTS5. Spelling none out: prefixes' p95 1.2x to 1.7x (bench queries).
MAX_PREFIX_WORDS = 20
INDEX_WORDS = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.posts_fts_words USING fts5vocab(main, posts_fts, row)"


def _prefixes_spelled_out(db: Database, fts: str) -> str:
    """A query of bare words and prefixes ("souver* mali") with each prefix written as the words of the
    index it stands for (("souverain" OR "souverainete" ...) mali): FTS5 merges a prefix's words anew in
    every statement that reads it (~4 ms for "comme*"), and reads a list of words as it goes. Left as
    written when the query is not that simple, or a prefix stands for no word or more than MAX_PREFIX_WORDS."""
    if "*" not in fts or not BARE_WORDS.fullmatch(fts.strip()):
        return fts
    db.execute(INDEX_WORDS)

    def spelled_out(prefix: re.Match) -> str:
        stem = "".join(c for c in unicodedata.normalize("NFD", prefix[1]) if not unicodedata.combining(c)).lower()
        if not (stem.isascii() and stem.isalnum()):
            return prefix[0]  # the tokenizer's own folding of other letters is not ours to guess
        sql = "SELECT term FROM temp.posts_fts_words WHERE term >= ? AND term < ? LIMIT ?"
        words = [term for term, in db.execute(sql, [stem, stem[:-1] + chr(ord(stem[-1]) + 1), MAX_PREFIX_WORDS + 1])]
        if not words or len(words) > MAX_PREFIX_WORDS:
            return prefix[0]
        return "(" + " OR ".join(f'"{word}"' for word in words) + ")"

    tokens = fts.split()
    operators = [token in ("AND", "OR", "NOT", "NEAR") for token in tokens]
    joined = [token if operator or index == 0 or operators[index - 1] else "AND " + token
              for index, (token, operator) in enumerate(zip(tokens, operators, strict=True))]
    return PREFIX.sub(spelled_out, " ".join(joined))  # "(a OR b) c" is not FTS5: "(a OR b) AND c" is


def _ranked(db: Database, params: dict, *, titles_first: bool = False) -> list[tuple] | None:
    """(rowid, post id, rank) of the best matches, best first. With `titles_first`, only among the posts
    with the words in their title, and None when those are fewer than the limit."""
    query = f"title : ({params['query']})" if titles_first else params["query"]
    sql = (f"SELECT posts_fts.rowid, {RANK} AS rank FROM posts_fts WHERE posts_fts MATCH :ranked_query"
           f"{_allowed(params)} ORDER BY rank LIMIT :limit")
    rows = db.execute(sql, params | {"ranked_query": query}).fetchall()
    if titles_first and len(rows) < params["limit"]:
        return None
    return _with_post_ids(db, rows)


# For a phrase or under filters, up to this many matches are ranked in the pass that counts them (see `search`).
# Counting, then ranking apart: phrases' p95 2.5x to 3.5x (bench queries, 20,000 posts).
RANK_IN_ONE_PASS = 5000


def _every_match_ranked(db: Database, params: dict) -> tuple[list[tuple], int] | None:
    """(rowid, post id, rank) of the best matches, best first (ties in rowid order), and how many match,
    ranked and counted in the pass that finds them; None when more than RANK_IN_ONE_PASS match (the pass
    stops there). SQLite sorts and counts them: handing every match to Python instead, phrases' p50 1.1x."""
    found = (f"SELECT posts_fts.rowid AS rowid, {RANK} AS rank FROM posts_fts WHERE posts_fts MATCH :query{_allowed(params)}"
             f" LIMIT {RANK_IN_ONE_PASS + 1}")
    sql = f"SELECT rowid, rank, matches FROM (SELECT *, count(*) OVER () AS matches FROM ({found})) ORDER BY rank, rowid LIMIT :limit"
    rows = db.execute(sql, params).fetchall()
    matches = rows[0][2] if rows else 0
    if matches > RANK_IN_ONE_PASS:
        return None
    return _with_post_ids(db, [(rowid, rank) for rowid, rank, _ in rows]), matches


def _with_post_ids(db: Database, rows: list[tuple]) -> list[tuple]:
    """(rowid, rank) rows as (rowid, post id, rank)."""
    ids = dict(db.execute(f"SELECT rowid, id FROM posts WHERE rowid IN ({', '.join('?' * len(rows))})", [r for r, _ in rows]))
    return [(rowid, ids[rowid], rank) for rowid, rank in rows]


# Filters keeping more posts than this are left to SQLite (see `_kept`). Leaving every filter to SQLite:
# filtered searches' p95 1.6x to 2.5x (bench queries, 20,000 posts).
KEPT_LISTED = 10_000
# The kept posts are a map of a byte per rowid between the first and the last (`_allowed`) when these are at
# most this far apart (1 MB), else a JSON list of their rowids.
MAX_KEPT_SPAN = 1 << 20


def _kept(db: Database, conditions: list[str], params: dict) -> dict:
    """The posts the filters keep, as parameters of `_allowed`: their rowids ("kept": a map of a byte per rowid,
    or a JSON list, "kept_count") and their bounds when they are at most KEPT_LISTED, else the filters' SQL
    (SQLite lists them itself)."""
    where = where_sql(conditions)
    sql = (f"SELECT json_group_array(rowid), count(*), min(rowid), max(rowid) FROM"
           f" (SELECT posts.rowid FROM posts{where} LIMIT {KEPT_LISTED + 1})")
    listed, count, first, last = db.execute(sql, params).fetchone()
    if count > KEPT_LISTED:
        return {"kept_where": where}
    bounds = {"kept_count": count, "first": first or 0, "last": last or 0}
    if not count or last - first >= MAX_KEPT_SPAN:
        return {"kept": listed} | bounds
    kept = bytearray(last - first + 1)
    for rowid in json.loads(listed):  # json's parser: 0.6x the time of int() on each of a split
        kept[rowid - first] = 1
    return {"kept": kept} | bounds


def _allowed(params: dict) -> str:
    """The filters as a condition on the FTS row: its rowid among the posts they kept (`_kept`), and FTS5
    seeks to the first of them and stops after the last. Whether a rowid is kept is checked outside FTS5
    (handed to it, each rowid would be its own search), so bm25 is computed for the kept posts only: in the
    map of a byte per rowid, one substr() a match; looking each match up in the JSON list (an index SQLite
    builds from it at every search) instead: filtered searches' CPU time p50 1.06x, p95 1.09x the map's
    (bench queries, 50,000 posts, best of 3 interleaved)."""
    if isinstance(params.get("kept"), bytearray):
        return (" AND posts_fts.rowid BETWEEN :first AND :last"
                " AND substr(:kept, posts_fts.rowid - :first + 1, 1) = X'01'")
    if "kept" in params:
        return (" AND posts_fts.rowid BETWEEN :first AND :last"
                " AND +posts_fts.rowid IN (SELECT value FROM json_each(:kept))")
    if "kept_where" in params:
        return f" AND +posts_fts.rowid IN (SELECT posts.rowid FROM posts{params['kept_where']})"
    return ""


def _total(db: Database, params: dict, matches: int, found: int) -> int | None:
    """How many posts match in all: the index's count without filters; with filters, counted when cheap
    (RANK_ALL matches or fewer), else None (many)."""
    if "kept" not in params and "kept_where" not in params:
        return matches
    if params["limit"] < 0 or found < params["limit"]:
        return found
    if matches > RANK_ALL:
        return None
    sql = f"SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :query{_allowed(params)}"
    return db.execute(sql, params).fetchone()[0]


SNIPPET = f"snippet(posts_fts, -1, '{HIT_START}', '{HIT_END}', '…', 24)"
# Up to this many matches, the snippets are made in one pass (see `_snippets`). Never in one pass: rare
# words' p95 2.3x to 4.7x (bench queries, 20,000 posts).
SNIPPETS_IN_ONE_PASS = 3500
# An index in at most this many segments (`index_segments`) is compact: a search per hit costs less than a
# pass for any number of matches. Snippets of the bench queries on the 50,000-post archive after FTS5's
# 'optimize' (1 segment), a search per hit rather than a pass: phrases' p95 0.71x, all queries' p95 0.81x
# (CPU time); as crawled (19 segments) a search per hit costs more: rare words' p95 1.36x, two words' 1.30x.
COMPACT_SEGMENTS = 2


def _snippets(db: Database, query: str, rowids: list[int], matches: int | None) -> dict[int, str]:
    """The best passage of each of these posts for the query, matches marked (computed for the hits only).

    Each rowid handed to FTS5 is a search of its own (~0.1 ms in an index of many segments, a prefix's words
    merged anew each time): in an index of more than COMPACT_SEGMENTS segments, when at most
    SNIPPETS_IN_ONE_PASS posts match (`matches`, None: unknown), and for a prefix, one pass over the
    matches between the first hit and the last costs less."""
    if not rowids:
        return {}
    marks = ", ".join("?" * len(rowids))
    few = matches is not None and matches <= SNIPPETS_IN_ONE_PASS
    if "*" in query or (few and index_segments(db) > COMPACT_SEGMENTS):
        sql = f"SELECT rowid, {SNIPPET} FROM posts_fts WHERE posts_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
        return dict(db.execute(sql, [query, min(rowids), max(rowids), *rowids]).fetchall())
    sql = f"SELECT rowid, {SNIPPET} FROM posts_fts WHERE posts_fts MATCH ? AND rowid IN ({marks})"
    return dict(db.execute(sql, [query, *rowids]).fetchall())


def compact_index(db: Database) -> bool:
    """Merge the full-text index into one segment (FTS5's 'optimize') when it is in more than COMPACT_SEGMENTS,
    in a transaction of its own; whether it did. Every write transaction adds a segment, which FTS5 merges
    by fours: 19 segments after 50,000 posts written 500 at a time. Merging them all: 0.24 s for 5,000 posts,
    2.8 s for 50,000 (loaded 2-core machine); a search in the merged index: see COMPACT_SEGMENTS."""
    if index_segments(db) <= COMPACT_SEGMENTS:
        return False
    with db.atomic():
        db.execute("INSERT INTO posts_fts(posts_fts) VALUES('optimize')")
    return True


# FTS5's structure record (posts_fts_data's row 10): a 4-byte cookie, a 4-byte mark in its newer format, then
# varints, the second of which is how many segments the index is in.
STRUCTURE_ROWID, STRUCTURE_V2 = 10, b"\xff\x00\x00\x01"


def index_segments(db: Database) -> int:
    """How many segments the full-text index is in (FTS5's 'optimize' merges them into one), from its
    structure record; a large number when it cannot be read (the index then counts as made of many)."""
    row = db.execute("SELECT block FROM posts_fts_data WHERE id = ?", [STRUCTURE_ROWID]).fetchone()
    block, at = (row[0] if row and isinstance(row[0], bytes) else b""), 4
    at += 4 if block[4:8] == STRUCTURE_V2 else 0
    for _ in range(2):  # the number of levels, then of segments
        value = 0
        while at < len(block):
            value, at = value << 7 | block[at] & 0x7F, at + 1
            if block[at - 1] < 0x80:
                break
        else:
            return 2**31
    return value
