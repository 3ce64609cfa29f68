"""`archiver datasette-metadata`: the metadata file of `datasette ARCHIVE -m FILE`, so the archive is ready to browse.

Titles and descriptions of every table and column come from views.schema_descriptions, the canned queries from
store.canned_queries; this module adds what Datasette does with them: facets, the full-text search, sort orders and
the labels of foreign keys. The format is Datasette 0.65's metadata.json: `datasette ARCHIVE -m FILE`. Datasette 1.0
(its alphas, 1.0a41 tried) reads the titles, descriptions, facets and search from it too, and the canned queries only
from a configuration file: the same file serves, `datasette ARCHIVE -m FILE -c FILE`.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from archiver import store
from archiver.store.canned_queries import CANNED_QUERIES
from archiver.store.connection import reading
from archiver.terminal import printable_json
from archiver.views.schema_descriptions import TABLES
from archiver.whole_files import write_text_whole

# The posts' search, on the table and on the view (store.schema: posts_fts indexes posts by rowid). "escaped":
# each word is quoted, so l'armée or jean-pierre need no syntax (`&_searchmode=raw` gives FTS5's).
SEARCH = {"fts_table": "posts_fts", "searchmode": "escaped"}

# What Datasette does with each table beyond titles and descriptions (label_column: how a foreign key to the table
# reads; facets: shown on the table's page; sort / sort_desc: its default order).
SETTINGS: dict[str, dict] = {
    "posts": {**SEARCH, "fts_pk": "rowid", "label_column": "title", "sort_desc": "published_utc"},
    "post_facets": {**SEARCH, "fts_pk": "post_rowid", "sort_desc": "published",
                    "facets": ["year", {"array": "categories"}, {"array": "tags"}, "gone"]},
    "categories": {"label_column": "name", "sort": "name"},
    "tags": {"label_column": "name", "sort": "name"},
    "post_categories": {"facets": ["category_slug"]},
    "post_tags": {"facets": ["tag_slug"]},
    "comments": {"sort_desc": "published", "facets": ["author"]},
    "revisions": {"sort_desc": "seen_until"},
    "crawl_runs": {"sort_desc": "id", "facets": ["status"]},
    "crawl_failures": {"sort_desc": "id", "facets": ["kind"]},
    "retry_queue": {"facets": ["failure_kind"]},
    "pages": {"facets": ["kind"]},
    "blog": {"label_column": "name"},
}


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the archive's database, and the first segment of its URLs: the file's name without
    its extension (data/archive.db -> archive)."""
    return Path(db_path).stem


def read_metadata(db_path: str | Path) -> dict:
    """The metadata of the archive at db_path (opened read-only): its blog's identity titles it."""
    with reading(db_path) as db:
        identity = store.blog_identity(db)
        stats = store.archive_stats(db)
    return datasette_metadata(database_name(db_path), identity, stats)


def datasette_metadata(database: str, identity: dict | None, stats: dict) -> dict:
    """Datasette's metadata for the archive's database `database`: the blog's identity (store.blog_identity, or None
    before a whole-blog crawl read it) and the archive's figures (store.archive_stats: a post's host names the blog
    then). No figure goes into the file: Datasette counts the rows itself, and the file outlives the next crawl."""
    title, url, about = blog_title(identity, stats)
    tables = {name: {"title": table.title, "description": table.description, **SETTINGS.get(name, {}),
                     "columns": dict(table.columns)} for name, table in TABLES.items()}
    return {
        "title": title,
        "description": about,
        **({"source": title, "source_url": url} if url else {}),
        "databases": {database: {
            "title": title,
            "description": f"{about} The posts by year, category, tag and gone: post_facets (a view, searchable too); "
                           "ready-made queries below.",
            "tables": tables,
            "queries": {name: query._asdict() for name, query in CANNED_QUERIES.items()},
        }},
    }


def blog_title(identity: dict | None, stats: dict) -> tuple[str, str | None, str]:
    """The blog's name, its address and a sentence about it: from its identity, else from its newest post's host."""
    identity = identity or {}
    newest = (stats.get("newest_post") or {}).get("url")
    url = identity.get("url") or (newest and "{0.scheme}://{0.netloc}/".format(urlsplit(newest)))
    host = urlsplit(url).netloc if url else None
    name = identity.get("name")
    if not name:
        where = f"the blog at {host}" if host else "a blog with no post yet"
        return (f"Archive of {host}" if host else "Blog archive"), url, f"The archive of {where}, kept by blog-archiver."
    said = f"{identity['description'].rstrip('.')}. " if identity.get("description") else ""
    by = f" by {identity['author']}" if identity.get("author") else ""
    return name, url, f"{said}The archive of {name} ({host}){by}, kept by blog-archiver."


def write_metadata(metadata: dict, out: str | Path) -> None:
    """The metadata as JSON to `out`, or to standard output for "-"; a file is written whole or not at all."""
    text = printable_json(json.dumps(metadata, ensure_ascii=False, indent=2)) + "\n"
    if str(out) == "-":
        print(text, end="")
        return
    write_text_whole(out, text)
