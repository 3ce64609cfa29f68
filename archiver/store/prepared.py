"""Plain SQL for the rows a post's save writes: the store's one speed trick for them, in one place.

sqlite-utils' `db[table].insert`, `insert_all`, `upsert_all` and `update` read the table's schema on every
call (`table_names`, `columns`: a few PRAGMAs and a scan of sqlite_master each time) and build their SQL anew;
`update` reads the row first; each of them, and each `db.query`, runs in a savepoint of its own, and at every
savepoint FTS5 writes the terms it holds for the transaction to disk as a new segment (merged again later).
Saving one post wrote about ten small sets of rows (the post, its categories, tags, comments, warnings,
aliases), so that work was most of the store's time. In the storage section of `make bench` (5,004 posts
through Validate, Clean, Deduplicate and the store), 2,000 posts made 101,772 SQLite calls before, 47% of the
profile in sqlite-utils' insert_all; after, 16,680 `execute` and 7,757 `executemany` calls (with the batch's
one savepoint, crawl_items.save_items), and the section writes 2.3x the posts per second (755 against 332,
median of 5 paired runs on the same posts, loaded 2-core machine).

Here each statement is built once per table and set of columns (`_sql`, cached) and sqlite3 keeps it prepared
(its statement cache, by SQL text); a set of rows is one `executemany`. Same rows, same triggers (the FTS
index's), same errors (sqlite3's, OverflowError for an integer SQLite cannot hold). The tables and columns
named here are the store's own (never a user's input): they are quoted all the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from sqlite_utils import Database

from archiver.slow_imports import item_fields


def insert(db: Database, table: str, row: Mapping) -> int:
    """INSERT one row; its rowid."""
    return db.conn.execute(_sql("insert", table, tuple(row)), tuple(row.values())).lastrowid


def insert_all(db: Database, table: str, rows: Sequence[Mapping]) -> None:
    """INSERT rows that all have the same columns (the first row's), in order."""
    if rows:
        columns = tuple(rows[0])
        db.conn.executemany(_sql("insert", table, columns), _values(rows, columns))


def insert_rows(db: Database, table: str, rows: Sequence[Mapping]) -> None:
    """INSERT rows that all have the same columns (the first row's), in order, as many in one statement as SQLite
    takes (its limit of variables): a statement is one FTS5 segment for the rows a trigger indexes (posts.save_posts)."""
    if rows:
        columns = tuple(rows[0])
        per = max(1, db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            db.conn.execute(_sql("insert", table, columns, rows=len(chunk)),
                            [value for row in _values(chunk, columns) for value in row])


def upsert_all(db: Database, table: str, rows: Sequence[Mapping], pk: tuple[str, ...]) -> None:
    """INSERT rows that all have the same columns; a row whose `pk` is stored updates that row's other columns
    (as sqlite-utils' upsert_all: INSERT ... ON CONFLICT (pk) DO UPDATE), when one differs (a category shared by
    thousands of posts is not written again with each of them)."""
    if rows:
        columns = tuple(rows[0])
        db.conn.executemany(_sql("upsert", table, columns, pk), _values(rows, columns))


def update(db: Database, table: str, key: Mapping, values: Mapping) -> None:
    """UPDATE the row whose columns equal `key` with `values` (nothing when `values` is empty)."""
    if values:
        db.conn.execute(_sql("update", table, tuple(values), tuple(key)), (*values.values(), *key.values()))


def query(db: Database, sql: str, params: Sequence = ()) -> list[dict]:
    """The rows a SELECT returns, as dicts (as sqlite-utils' `db.query`, without the savepoint it opens around
    each query: a savepoint makes FTS5 write the terms it holds for the transaction as a new segment)."""
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def first(db: Database, sql: str, params: Sequence = ()) -> dict | None:
    """The first row a SELECT returns, as a dict, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip([column[0] for column in cursor.description], row))


def fields(item) -> Mapping:
    """An item's fields as a mapping: a dict as it is, a dataclass of archiver.items its own attributes (`vars`),
    anything else through ItemAdapter (slow_imports.item_fields). ItemAdapter alone cost 5% of the storage section."""
    if isinstance(item, dict):
        return item
    if hasattr(item, "__dataclass_fields__") and hasattr(item, "__dict__"):
        return vars(item)
    return item_fields(item)


@lru_cache(maxsize=256)
def _sql(kind: str, table: str, columns: tuple[str, ...], keys: tuple[str, ...] = (), rows: int = 1) -> str:
    """The statement of `kind` ("insert", "upsert", "update") for these columns (and key columns); an insert of
    `rows` rows."""
    name = _quoted(table)
    if kind == "update":
        assignments = ", ".join(f"{_quoted(column)} = ?" for column in columns)
        return f"UPDATE {name} SET {assignments} WHERE " + " AND ".join(f"{_quoted(key)} = ?" for key in keys)
    values = ", ".join([f"({', '.join('?' * len(columns))})"] * rows)
    sql = f"INSERT INTO {name} ({', '.join(map(_quoted, columns))}) VALUES {values}"
    if kind == "upsert":
        others = [column for column in columns if column not in keys]
        changed = " OR ".join(f"{_quoted(c)} IS NOT excluded.{_quoted(c)}" for c in others)
        action = ("DO UPDATE SET " + ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in others)
                  + f" WHERE {changed}" if others else "DO NOTHING")
        sql += f" ON CONFLICT ({', '.join(map(_quoted, keys))}) {action}"
    return sql


def _quoted(name: str) -> str:
    """A table or column name as SQL quotes it."""
    return '"' + name.replace('"', '""') + '"'


def _values(rows: Iterable[Mapping], columns: Sequence[str]) -> list[tuple]:
    """The rows' values in the order of `columns` (every row has them all: KeyError otherwise)."""
    return [tuple(row[column] for column in columns) for row in rows]
