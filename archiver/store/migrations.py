"""The archive's later versions, one migration each (version 2 on): what each added, in the order they shipped.

archiver.store.schema lists them after version 1's tables and applies them (ensure_schema). Append new ones at
the end; never edit or reorder one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from archiver import urls
from archiver.store.versions import hash_stored_versions


def _v2_extraction_checks(db: Database) -> None:
    """Version 2: what extraction found and doubted per post, old URLs as aliases, per-field run figures."""
    db["posts"].add_column("sources", str)  # JSON: field -> the rule that found it
    db["posts"].add_column("notes", str)  # JSON list of strings
    db["post_warnings"].create(
        {
            "id": int, "post_id": str, "kind": str, "field": str, "detail": str,
            "run_id": int, "seen_at": str,
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id"), ("run_id", "crawl_runs", "id")],
    )
    db["post_warnings"].create_index(["post_id"])
    db["post_warnings"].create_index(["field"])
    db["post_aliases"].create(
        {"url": str, "post_id": str}, pk="url", foreign_keys=[("post_id", "posts", "id")]
    )
    db["post_aliases"].create_index(["post_id"])
    db["crawl_runs"].add_column("warnings", int, not_null_default=0)
    db["crawl_runs"].add_column("fields", str)  # JSON: per-field figures and drift verdicts


def _v3_history(db: Database) -> None:
    """Version 3: history, not overwrite. Pages keep their last good copy beside their latest attempt;
    comments are matched by fingerprint and kept, marked removed, when they leave the page; a post's
    version (title, text, HTML, categories, comments) is hashed, and revisions keep categories and comments."""
    for name, kind in (("last_status", int), ("last_fetched_at", str), ("last_error", str), ("last_run_id", int)):
        db["pages"].add_column(name, kind)
    db.execute(
        "UPDATE pages SET last_status = status, last_fetched_at = fetched_at, last_error = error, last_run_id = run_id"
    )
    db["pages"].create_index(["kind", "fetched_at"])
    db["comments"].add_column("fingerprint", str)  # see versions.comment_fingerprint
    db["comments"].add_column("removed", str)  # the last time it was seen on the page, once it is gone from it
    db["posts"].add_column("version_hash", str)
    db["revisions"].add_column("version_hash", str)
    db["revisions"].add_column("categories", str)  # JSON [{"name", "url"}]; null in revisions kept before v3
    db["revisions"].add_column("comment_ids", str)  # JSON [comments.id, ...]; null in revisions kept before v3
    hash_stored_versions(db)


def _v4_attempts(db: Database) -> None:
    """Version 4: how many requests a failed URL took (1 + Scrapy's retries), so a flaky page and a dead one differ."""
    db["crawl_failures"].add_column("attempts", int, not_null_default=1)
    db["crawl_failures"].create_index(["url"])


def _v5_filter_index(db: Database) -> None:
    """Version 5: posts by id with their date, so a category and date filter reads an index, not each post's row."""
    db["posts"].create_index(["id", "published_utc"], index_name="idx_posts_id_published_utc")


def _v6_post_media(db: Database) -> None:
    """Version 6: the images of each post's body the crawl downloaded (path under the media folder, MD5) or failed to."""
    db["post_media"].create(
        {"post_id": str, "url": str, "path": str, "checksum": str, "status": str, "fetched_at": str},
        pk=("post_id", "url"),
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["post_media"].create_index(["url"])


def _v7_category_posts_index(db: Database) -> None:
    """Version 7: a category's post ids from an index alone, for search's and export's category filters."""
    db["post_categories"].create_index(["category_slug", "post_id"], index_name="idx_post_categories_category_slug_post_id",
                                       if_not_exists=True)


def _v8_field_history(db: Database) -> None:
    """Version 8: every field has history. Revisions keep the date, author, print link and comment count they
    had (null, and left out of `recorded`, in revisions kept before: not recorded), and a post's version covers
    them, so the stored versions are hashed again."""
    for name, kind in (("published", str), ("author", str), ("print_url", str), ("comments_count", int)):
        db["revisions"].add_column(name, kind)
    db["revisions"].add_column("recorded", str)  # JSON list of the fields this revision keeps (versions.FIELD_COLUMNS)
    hash_stored_versions(db)


def _v9_retry_queue(db: Database) -> None:
    """Version 9: the pages a crawl failed on, asked again by the next crawls until they answer (store.retries)."""
    db["retry_queue"].create(
        {
            "url": str, "page_kind": str, "failure_kind": str, "reason": str, "failed_runs": int,
            "first_failed": str, "last_failed": str, "last_run_id": int, "answered_run_id": int,
        },
        pk="url",
    )
    # Pages that failed before this version: each URL's newest failure, unless a fetch answered it since.
    rows = db.execute("""
        SELECT f.url, f.kind, f.reason, f.at, f.run_id
        FROM crawl_failures f LEFT JOIN pages p ON p.url = f.url
        WHERE f.id = (SELECT max(id) FROM crawl_failures g WHERE g.url = f.url)
          AND f.kind NOT IN ('robots', 'offsite', 'truncated')
          AND (p.url IS NULL OR p.last_status IS NULL OR p.last_status NOT BETWEEN 200 AND 399
               OR p.last_error IS NOT NULL OR p.last_run_id IS NULL OR p.last_run_id <= f.run_id)
    """).fetchall()
    db["retry_queue"].insert_all(
        {"url": url, "page_kind": urls.page_kind(url), "failure_kind": kind, "reason": reason, "failed_runs": 1,
         "first_failed": at, "last_failed": at, "last_run_id": run_id}
        for url, kind, reason, at, run_id in rows
    )


def _v10_tags(db: Database) -> None:
    """Version 10: tags beside the categories (`tags`, `post_tags` in page order), and the tags each revision had
    (null in revisions kept before: not recorded). Stored versions keep their hash: a post without tags hashes
    as before, and no post has tags yet."""
    db["tags"].create({"slug": str, "name": str, "url": str}, pk="slug")
    db["post_tags"].create(
        {"post_id": str, "tag_slug": str, "position": int},
        pk=("post_id", "tag_slug"),
        foreign_keys=[("post_id", "posts", "id"), ("tag_slug", "tags", "slug")],
    )
    db["post_tags"].create_index(["tag_slug", "post_id"])
    db["revisions"].add_column("tags", str)  # JSON [{"name", "url"}]


def _v11_web_archive(db: Database) -> None:
    """Version 11: what a WARC needs. A page's copy keeps its HTTP exchange as received: the response's protocol
    and headers (JSON [[name, value], ...], bounded: `headers_cut` counts what was left out), the request's headers
    and the exact time its body was fetched (`received_at`, to the microsecond; a 304 leaves it). Earlier good
    copies of a post's page whose post changed are kept (`page_copies`), and every 304 that confirmed a copy
    (`page_revisits`). Downloaded media keep their response's headers too. Null in rows kept before: rebuilt on
    export from what is stored, and said so."""
    exchange = {"protocol": str, "headers": str, "headers_cut": int, "request_headers": str, "received_at": str}
    for name, kind in exchange.items():
        db["pages"].add_column(name, kind)
    db["page_copies"].create(
        {
            "id": int, "url": str, "status": int, "content_type": str, **exchange, "replaced_at": str,
            "run_id": int, "size": int, "html": bytes,
        },
        pk="id",
    )
    db["page_copies"].create_index(["url", "received_at"])
    db["page_revisits"].create(
        {
            "id": int, "url": str, "fetched_at": str, "status": int, **exchange, "refers_to_date": str,
            "run_id": int,
        },
        pk="id",
    )
    db["page_revisits"].create_index(["url", "fetched_at"])
    for name, kind in {**exchange, "content_type": str}.items():
        db["post_media"].add_column(name, kind)


def _v12_blog_identity(db: Database) -> None:
    """Version 12: the blog's identity (name, description, author) as each whole-blog crawl read it from the home
    page and the feed: `blog`, one row per blog (its base URL) with what was read last, since when it reads so
    (`since`) and when it was last read (`seen_at`); `blog_history`, the earlier values with the dates they were
    read (`seen_from` to `seen_until`), oldest first."""
    db["blog"].create(
        {"url": str, "name": str, "description": str, "author": str, "first_seen": str, "since": str,
         "seen_at": str, "run_id": int},
        pk="url",
    )
    db["blog_history"].create(
        {"id": int, "url": str, "name": str, "description": str, "author": str, "seen_from": str,
         "seen_until": str, "replaced_at": str},
        pk="id",
        foreign_keys=[("url", "blog", "url")],
    )
    db["blog_history"].create_index(["url", "seen_from"])


def _v13_post_facets_view(db: Database) -> None:
    """Version 13: `post_facets`, a view of the posts to browse and facet in Datasette: each post's year (as the blog
    dates it), its categories and tags as JSON arrays of names in page order, its earlier versions counted, `gone`
    as yes or no (with `gone_since`), and its rowid for the full-text index (posts_fts). A view: no data, no write."""
    db.execute("""
        CREATE VIEW post_facets AS
        SELECT p.id, p.title, p.published, substr(p.published, 1, 4) AS year, p.author,
               (SELECT json_group_array(name) FROM (
                    SELECT coalesce(c.name, c.slug) AS name FROM post_categories pc
                    JOIN categories c ON c.slug = pc.category_slug WHERE pc.post_id = p.id ORDER BY pc.position
               )) AS categories,
               (SELECT json_group_array(name) FROM (
                    SELECT coalesce(t.name, t.slug) AS name FROM post_tags pt
                    JOIN tags t ON t.slug = pt.tag_slug WHERE pt.post_id = p.id ORDER BY pt.position
               )) AS tags,
               p.comments_count, (SELECT count(*) FROM revisions r WHERE r.post_id = p.id) AS earlier_versions,
               CASE WHEN p.gone IS NULL THEN 'no' ELSE 'yes' END AS gone, p.gone AS gone_since,
               p.first_seen, p.updated, p.url, p.rowid AS post_rowid
        FROM posts p
    """)


# What posts_au does from version 14 on (`archiver check --repair` makes it so too, store.integrity): the post's
# indexed text (title, body_text, FTS_COLUMNS of store.schema) taken out of posts_fts and put back, only when it
# changed. sqlite-utils' own trigger did it on every UPDATE of posts: each post a crawl found unchanged (its
# `last_seen`, its run) was indexed again.
FTS_UPDATE_TRIGGER = """
    CREATE TRIGGER posts_au AFTER UPDATE ON posts
    WHEN old.rowid IS NOT new.rowid OR old.title IS NOT new.title OR old.body_text IS NOT new.body_text BEGIN
      INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES('delete', old.rowid, old.title, old.body_text);
      INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.rowid, new.title, new.body_text);
    END
"""


def index_changed_text_only(db: Database) -> None:
    """Make posts_au re-index a post only when its indexed text changed (FTS_UPDATE_TRIGGER)."""
    db.execute("DROP TRIGGER IF EXISTS posts_au")
    db.execute(FTS_UPDATE_TRIGGER)


def _v14_fts_update_trigger(db: Database) -> None:
    """Version 14: the full-text index's update trigger re-indexes a post only when its title or text changed, not
    at every save of an unchanged post (index_changed_text_only)."""
    index_changed_text_only(db)


# Versions 2 to SCHEMA_VERSION, in order (version 1, the first tables, is archiver.store.schema's).
LATER_MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v2_extraction_checks, _v3_history, _v4_attempts, _v5_filter_index, _v6_post_media, _v7_category_posts_index,
    _v8_field_history, _v9_retry_queue, _v10_tags, _v11_web_archive, _v12_blog_identity, _v13_post_facets_view,
    _v14_fts_update_trigger,
)
