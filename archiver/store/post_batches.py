"""A crawl's batch of posts saved together: the rows store.posts.save_post writes for each, in fewer statements.

The store's speed trick for a batch, in one place (crawl_items.save_items calls it for each run of posts of a
batch; anything the archive refuses is saved again post by post, through save_post). Same rows, same order of
rows in every table, same outcomes as saving the posts one by one:

- the batch's stored posts are read in one SELECT, and its new posts written in one INSERT. FTS5 writes the terms
  it holds for the transaction to disk as a new segment at every statement that opens a statement journal (an
  INSERT into posts does: its trigger, its unique indexes), and merges them again later: a post inserted alone
  was a segment of its own, the batch's new posts together are one. The storage section's 5,004 posts inserted
  into posts 50 to a transaction: 1.05 s of CPU one by one, 0.47 s 50 to a statement;
- a new post's categories, tags, warnings and comments are neither deleted nor read first (one query checks that
  none of the batch's new posts has any), its rows of post_categories, post_tags and comments are inserted with
  the next posts' (one executemany per table until a stored post comes, whose save reads and writes its own),
  and a category or tag row written identically earlier in the batch is not upserted again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.store import prepared
from archiver.store.categories import post_categories, upsert_categories
from archiver.store.comments import comment_rows
from archiver.store.exchanges import drop_unrevised_copies
from archiver.store.post_aliases import add_aliases
from archiver.store.post_warnings import replace_warnings
from archiver.store.posts import post_columns, revise, save_children, save_post
from archiver.store.tags import post_tags, upsert_tags
from archiver.store.timestamps import utc_iso

LINK_TABLES = ("post_categories", "post_tags", "comments")


def save_posts(db: Database, posts: list, *, run_id: int | None) -> list[str]:
    """Store a batch's posts in order in the caller's transaction; what save_post(..., savepoint=False) returns for
    each. A batch that names a post twice, or a new post that has rows already (left by a damaged archive), is
    saved post by post."""
    items = [prepared.fields(post) for post in posts]
    ids = [item["id"] for item in items]
    stored = {row["id"]: row for part in _parts(db, ids) for row in prepared.query(
        db, f"SELECT * FROM posts WHERE id IN ({', '.join('?' * len(part))})", part)}
    fresh = [post_id for post_id in ids if post_id not in stored]
    if len(set(ids)) < len(ids) or (fresh and _has_rows(db, fresh)):
        return [save_post(db, post, run_id=run_id, savepoint=False) for post in posts]
    saves = [_columns(item, run_id) for item in items]
    prepared.insert_rows(db, "posts", [{"id": item["id"], **columns, **first} for item, (columns, _, first, _, _)
                                        in zip(items, saves) if item["id"] not in stored])
    links: dict[str, list[dict]] = {table: [] for table in LINK_TABLES}
    written: dict[tuple[str, str], tuple] = {}  # (table, slug) -> the row upserted last in this batch
    outcomes, unrevised = [], []
    for item, (columns, seen, first, stamp, children) in zip(items, saves):
        previous = stored.get(item["id"])
        try:
            if previous is None:
                outcome, url = "inserted", first["url"]
                _link_new_post(db, item["id"], *children, links=links, written=written)
            else:
                _insert_links(db, links)  # this post's save reads and writes rows: the earlier ones first
                written.clear()
                outcome, url = revise(db, previous, columns, seen=seen, stamp=stamp)
                save_children(db, item["id"], *children, previous=previous, fresh=False)
            replace_warnings(db, item["id"], item.get("warnings") or [], run_id=run_id, stamp=stamp,
                             fresh=previous is None)
            add_aliases(db, item["id"], item.get("aliases") or [], own_url=url)
        except (sqlite3.IntegrityError, OverflowError) as error:  # as save_post: the caller saves post by post
            raise ArchiveError(f"cannot save post {item['id']} ({item['url']}): {error}") from error
        if outcome != "updated":
            unrevised.append(item.get("fetched_url") or item["url"])
        outcomes.append(outcome)
    _insert_links(db, links)
    drop_unrevised_copies(db, unrevised, run_id=run_id)
    return outcomes


def _columns(item: Mapping, run_id: int | None) -> tuple[dict, dict, dict, str, tuple]:
    """What save_post writes of one crawled post: its columns, `seen` and `first` (as save_post sets them), the
    stamp, and its (categories, tags, comments) rows."""
    stamp, fetched = utc_iso(), utc_iso(item.get("fetched_at"))
    seen = {"url": item["url"], "last_seen": fetched, "gone": None}
    if run_id is not None:
        seen["last_run_id"] = run_id
    children = (post_categories(item.get("categories") or []), post_tags(item.get("tags") or []),
                comment_rows(item.get("comments") or []))
    return post_columns(item, *children), seen, {**seen, "first_seen": fetched, "updated": fetched}, stamp, children


def _link_new_post(db: Database, post_id: str, categories: dict[str, dict], tags: dict[str, dict],
                   comments: list[dict], *, links: dict[str, list[dict]], written: dict) -> None:
    """A new post's categories and tags upserted (those not written identically earlier in the batch), and its
    rows of post_categories, post_tags and comments (all live, in page order) queued in `links`."""
    for table, rows, upsert in (("categories", categories, upsert_categories), ("tags", tags, upsert_tags)):
        changed = [row for slug, row in rows.items() if written.get((table, slug)) != tuple(row.values())]
        upsert(db, changed)
        written.update({(table, row["slug"]): tuple(row.values()) for row in changed})
    links["post_categories"] += [{"post_id": post_id, "category_slug": slug, "position": position}
                                 for position, slug in enumerate(categories, start=1)]
    links["post_tags"] += [{"post_id": post_id, "tag_slug": slug, "position": position}
                           for position, slug in enumerate(tags, start=1)]
    links["comments"] += [{"post_id": post_id, **row, "position": position, "removed": None}
                          for position, row in enumerate(comments, start=1)]


def _insert_links(db: Database, links: dict[str, list[dict]]) -> None:
    """Insert the queued rows, table by table in order, and empty the queue."""
    for table in LINK_TABLES:
        prepared.insert_all(db, table, links[table])
        links[table] = []


def _has_rows(db: Database, post_ids: list[str]) -> bool:
    """Whether any of these posts (not in posts) has rows in the tables a save replaces or matches."""
    tables = ("post_categories", "post_tags", "post_warnings", "comments")
    for part in _parts(db, post_ids, len(tables)):
        marks = ", ".join("?" * len(part))
        sql = " UNION ALL ".join(f"SELECT 1 FROM {table} WHERE post_id IN ({marks})" for table in tables)
        if db.execute(f"SELECT EXISTS ({sql})", part * len(tables)).fetchone()[0] == 1:
            return True
    return False


def _parts(db: Database, values: list, times: int = 1) -> list[list]:
    """`values` in parts small enough for a statement that names each `times` (SQLite's limit of variables: 999
    before SQLite 3.32), so a batch of any size can be saved."""
    size = max(1, db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // times)
    return [values[start:start + size] for start in range(0, len(values), size)]
