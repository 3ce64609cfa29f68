"""Named queries of the archive that a browser runs with a parameter: Datasette's canned queries (its metadata file).

Each is plain SQLite over the schema (store.schema), read-only, with named parameters (`:category`); dates compare
as the archive stores them, ISO 8601 text, so `:since` may be a day (2026-12-01) or a moment (2026-12-01T08:00).
"""

from __future__ import annotations

from typing import NamedTuple


class CannedQuery(NamedTuple):
    """A query's title, what it answers, and its SQL with named parameters."""

    title: str
    description: str
    sql: str


POSTS_OF_A_CATEGORY = """
SELECT p.id, p.title, p.published, p.author, p.comments_count, p.gone, p.url
FROM posts p
JOIN post_categories pc ON pc.post_id = p.id
JOIN categories c ON c.slug = pc.category_slug
WHERE c.name = :category COLLATE NOCASE OR c.slug = :category COLLATE NOCASE
ORDER BY p.published_utc DESC, p.id
"""

POSTS_CHANGED_SINCE = """
SELECT p.id, p.title,
       CASE WHEN p.gone >= :since THEN 'gone' WHEN p.first_seen >= :since THEN 'new' ELSE 'changed' END AS change,
       (SELECT count(*) FROM revisions r WHERE r.post_id = p.id AND r.seen_until >= :since) AS versions_replaced,
       p.first_seen, p.updated, p.gone, p.url
FROM posts p
WHERE p.first_seen >= :since OR p.updated >= :since OR p.gone >= :since
ORDER BY max(coalesce(p.first_seen, ''), coalesce(p.updated, ''), coalesce(p.gone, '')) DESC, p.id
"""

COMMENTS_BY_AUTHOR = """
SELECT c.author, c.published, c.body_text, c.removed, p.title AS post_title, c.post_id, p.url AS post_url
FROM comments c
JOIN posts p ON p.id = c.post_id
WHERE c.author LIKE '%' || :author || '%'
ORDER BY c.published DESC, c.id
"""

POST_VERSIONS = """
SELECT row_number() OVER (ORDER BY seen_from, is_current) AS version, is_current, seen_from, seen_until,
       title, body_text, categories, content_hash
FROM (
    SELECT 0 AS is_current, seen_from, seen_until, title, body_text, categories, content_hash
    FROM revisions WHERE post_id = :post_id
    UNION ALL
    SELECT 1, coalesce(p.updated, p.first_seen), p.last_seen, p.title, p.body_text,
           (SELECT json_group_array(json_object('name', name, 'url', url)) FROM (
                SELECT c.name, c.url FROM post_categories pc JOIN categories c ON c.slug = pc.category_slug
                WHERE pc.post_id = p.id ORDER BY pc.position)),
           p.content_hash
    FROM posts p WHERE p.id = :post_id
)
ORDER BY version
"""

CANNED_QUERIES: dict[str, CannedQuery] = {
    "posts_of_a_category": CannedQuery(
        "Posts of a category",
        "The posts filed under a category, newest first: its name or slug, case aside (e.g. MALI, or mali).",
        POSTS_OF_A_CATEGORY,
    ),
    "posts_changed_since": CannedQuery(
        "Posts changed since a date",
        "The posts new, changed or gone since a date (UTC, e.g. 2026-12-01), latest first, with the versions "
        "each change replaced.",
        POSTS_CHANGED_SINCE,
    ),
    "comments_by_author": CannedQuery(
        "Comments by author",
        "The comments signed with a name, or part of one, newest first, with their post (removed ones say since when).",
        COMMENTS_BY_AUTHOR,
    ),
    "post_versions": CannedQuery(
        "A post's versions",
        "Every version of a post, oldest first, the current one last: when it was seen, its title, text and categories.",
        POST_VERSIONS,
    ),
}
