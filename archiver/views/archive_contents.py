"""`archiver categories`, `archiver tags` and `archiver stats`: what the archive holds, at a glance or as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from archiver import store
from archiver.store.connection import reading
from archiver.views.runs import FAILURE_FIELDS, failure_line, run_record
from archiver.terminal import plural, printable

SHOWN_FAILURES = 10  # failures of the last crawl `stats` lists


def list_categories(db_path: str | Path) -> list[dict]:
    """The archive's categories with their posts counted (store.category_counts), read while a crawl may write."""
    with reading(db_path) as db:
        return store.category_counts(db)


def list_tags(db_path: str | Path) -> list[dict]:
    """The archive's tags with their posts counted (store.tag_counts), read while a crawl may write."""
    with reading(db_path) as db:
        return store.tag_counts(db)


def categories_text(categories: list[dict], nouns: tuple[str, str] = ("category", "categories")) -> str:
    """One line per category (or tag): posts, name, URL (gone posts counted apart); then the total."""
    if not categories:
        return f"No {nouns[0]} in the archive yet."
    width = max(len(str(row["posts"])) for row in categories)
    lines = [
        f"{row['posts']:>{width}}  {row['name'] or row['slug']}  {row['url'] or '-'}"
        + (f"  ({row['gone']} gone)" if row["gone"] else "")
        for row in categories
    ]
    return printable("\n".join([*lines, f"{len(categories)} {nouns[1]}."]))


def tags_text(tags: list[dict]) -> str:
    """One line per tag: posts, name, URL of its page (gone posts counted apart); then the total."""
    return categories_text(tags, ("tag", "tags"))


def categories_json(categories: list[dict]) -> str:
    """The categories (or tags) as a JSON array of {name, slug, url, posts, gone}."""
    keys = ("name", "slug", "url", "posts", "gone")
    return json.dumps([{key: row[key] for key in keys} for row in categories], ensure_ascii=False, indent=2)


def read_stats(db_path: str | Path) -> dict:
    """`archive_stats`, the blog's identity (with how many earlier ones are kept; None before a whole-blog crawl
    read it) and the failures of the last crawl (url, kind, status, attempts, reason)."""
    with reading(db_path) as db:
        stats = store.archive_stats(db)
        blog = store.blog_identity(db)
        if blog is not None:
            blog["earlier"] = len(store.blog_identity_history(db, blog["url"])) - 1
        last = stats["last_run"]
        failures = store.run_failures(db, last["id"]) if last else []
    return stats | {"blog": blog,
                    "last_crawl_failures": [{key: row[key] for key in FAILURE_FIELDS} for row in failures]}


def stats_record(stats: dict, db_path: str | Path) -> dict:
    """`read_stats` as `stats --json` gives it: the archive's path, counts, oldest/newest post, last crawl
    and what it failed on."""
    last = stats["last_run"]
    return {"archive": str(db_path), **{key: value for key, value in stats.items() if key != "last_run"},
            "last_crawl": run_record(last) if last else None}


def stats_text(record: dict) -> str:
    """The archive's figures for a reader, one per line."""
    last = record["last_crawl"]
    lines = [
        f"Archive:     {record['archive']} ({_size(record['db_size_bytes'])})",
        f"Blog:        {blog_line(record['blog'])}",
        f"Posts:       {record['posts']} ({record['gone']} gone, {record['undated']} undated)",
        f"Categories:  {record['categories']}",
        f"Comments:    {record['comments']}",
        f"Revisions:   {record['revisions']} earlier versions kept",
        f"Oldest post: {_post_line(record['oldest_post'])}",
        f"Newest post: {_post_line(record['newest_post'])}",
        f"Pages:       {record['pages']} stored",
        f"Crawls:      {record['runs']} ({record['failures']} failures recorded)",
        "Last crawl:  " + (
            f"#{last['id']} {last['started']}, {last['outcome']}, {last['posts_new']} new,"
            f" {last['posts_updated']} updated, {plural(last['errors'], 'error')}" if last else "none yet"
        ),
    ]
    failures = record["last_crawl_failures"]
    lines += [f"  {failure_line(failure)}" for failure in failures[:SHOWN_FAILURES]]
    if len(failures) > SHOWN_FAILURES:
        lines.append(f"  ... and {len(failures) - SHOWN_FAILURES} more: archiver runs --failures --limit 1")
    return printable("\n".join(lines))


def blog_line(blog: dict | None) -> str:
    """'NAME — DESCRIPTION (by AUTHOR)', each part the home page did not show left out (the name said missing),
    with the earlier identities kept; or that no whole-blog crawl read it yet."""
    if blog is None:
        return "not read yet (a crawl from the home page reads its name)"
    line = blog["name"] or "name not found on the home page"
    line += f" — {blog['description']}" if blog["description"] else ""
    line += f" (by {blog['author']})" if blog["author"] else ""
    earlier = blog.get("earlier") or 0
    return line + (f" [{plural(earlier, 'earlier identity', 'earlier identities')} kept]" if earlier else "")


def _post_line(post: dict | None) -> str:
    """'2022-02-04 | Title | url', or '-'."""
    if post is None:
        return "-"
    return f"{post['published'][:10]} | {post['title'] or '(untitled)'} | {post['url']}"


def _size(size: int) -> str:
    """A byte count as people read it: '1.2 MB'."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} bytes"
