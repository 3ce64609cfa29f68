"""What a crawl needs to know of the archive before it starts: the post pages and listings it holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from archiver import urls
from archiver.store.connection import open_archive, open_readonly_archive
from archiver.store.pages import GOOD_SQL, stored_page
from archiver.store.retries import PendingRetry, pending_retries
from archiver.store.runs import last_run_completed

POSTS_SQL = (
    "SELECT posts.id, posts.url, posts.gone, posts.last_seen, pages.etag, pages.last_modified, posts.title,"
    " posts.extraction FROM posts"
    " LEFT JOIN pages ON pages.url = posts.url AND pages.status BETWEEN 200 AND 299 AND pages.html IS NOT NULL"
)
TRIED_SQL = "SELECT url, etag, last_modified, status FROM pages WHERE kind = 'post'"
SUMMARY_SQL = "SELECT id, title, comments_count, body_text FROM posts WHERE id IN ({})"
SUMMARY_BATCH = 500  # ids per query (SQLite allows 32,766 parameters; a listing page shows tens of posts)
LISTINGS_SQL = f"SELECT url, etag, last_modified FROM pages WHERE kind IN ('home', 'archives', 'category', 'month', 'tag') AND {GOOD_SQL}"


def path_key(url: str) -> str:
    """What identifies a blog page whatever its host, port or scheme: its canonical path (and query)."""
    return "/" + urls.url_key(url).partition("/")[2]


@dataclass(frozen=True)
class KnownPage:
    """A page the archive knows: an archived post, a post URL fetched before that gave no post, a listing page."""

    url: str
    post_id: str | None  # None: not an archived post (fetched before: an error, no post on it; or a listing)
    gone: bool = False
    last_seen: str | None = None
    etag: str | None = None  # the validators of its stored good copy, if any
    last_modified: str | None = None
    categories: frozenset[str] = frozenset()  # slugs
    tags: frozenset[str] = frozenset()  # slugs (store.tags.tag_slug)
    title: str | None = None  # an archived post's title and the theme profile that read it (the identity gate's)
    extraction: str | None = None


@dataclass
class CrawlState:
    """The archive as a crawl starts, keyed by path (the blog may move host, port or scheme)."""

    pages: dict[str, KnownPage] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # old URL's path -> post id
    listings: dict[str, KnownPage] = field(default_factory=dict)  # listing pages with a good copy, by path
    complete: bool = False  # whether the last run walked everything it set out to (see last_run_completed)
    retries: list[PendingRetry] = field(default_factory=list)  # pages earlier runs failed on (store.retries)
    path: str | None = None  # the archive's file, for stored copies of listing pages
    _by_id: dict[str, KnownPage] | None = field(default=None, repr=False, compare=False)  # archived posts by id, made on first use

    def page(self, url: str) -> KnownPage | None:
        """The known post page at this URL's path, or None."""
        return self.pages.get(path_key(url))

    def knows(self, url: str) -> bool:
        """Whether a post URL was fetched before (archived, gone, failed) or is an old URL of a post."""
        key = path_key(url)
        return key in self.pages or key in self.aliases

    def archived_id(self, url: str) -> str | None:
        """The id the archive keeps the post at this URL (or old URL) under, or None."""
        known = self.page(url)
        return known.post_id if known else self.aliases.get(path_key(url))

    def archived_post(self, url: str, post_id: str | None = None) -> KnownPage | None:
        """The archived post at this URL (or old URL), else the one with this id, or None."""
        known = self.page(url)
        if known is not None and known.post_id is not None:
            return known
        wanted = self.aliases.get(path_key(url)) or post_id
        if wanted is None:
            return None
        if self._by_id is None:
            self._by_id = {page.post_id: page for page in self.pages.values() if page.post_id is not None}
        return self._by_id.get(wanted)

    def outdated(self, url: str, updated: str | None) -> bool:
        """Whether a feed's `updated` time (ISO UTC) says the post changed since the archive last saw it."""
        known = self.page(url)
        if known is None or known.post_id is None or known.gone:
            return True
        return updated is not None and (known.last_seen is None or updated >= known.last_seen)

    def crawled(self, url: str) -> bool:
        """Whether this listing page (a crawl's start page) was fetched before, by a run that completed."""
        return self.complete and path_key(url) in self.listings

    def listing(self, url: str) -> KnownPage | None:
        """The stored copy of a listing page (its validators), or None."""
        return self.listings.get(path_key(url))

    def revalidation(self) -> list[KnownPage]:
        """Every known post page, in path order (what --revalidate chooses from, within its crawl's scope, the posts
        no listing showed and the rolling full check's share: spiders/revalidation.py)."""
        return [page for _, page in sorted(self.pages.items())]

    def summaries(self, post_ids: list[str]) -> dict[str, dict]:
        """What the archive holds of these posts (title, comments_count, body_text by id), read when a listing
        page that shows them is compared with the archive: one query a page, no body kept in memory for the crawl."""
        if not post_ids or self.path is None:
            return {}
        db = open_readonly_archive(self.path)
        try:
            return post_summaries(db, post_ids)
        finally:
            db.close()

    def stored_listing(self, url: str) -> dict | None:
        """The stored good copy of a listing page (url, content_type, body), read from the archive: what a
        304 Not Modified answer stands for. None when there is none."""
        known = self.listing(url)
        if known is None or self.path is None:
            return None
        db = open_readonly_archive(self.path)
        try:
            return stored_page(db, known.url)
        finally:
            db.close()


def post_summaries(db: Database, post_ids: list[str]) -> dict[str, dict]:
    """The title, comment count and body text of each archived post among `post_ids`, by id."""
    ids, found = list(dict.fromkeys(post_ids)), {}
    for start in range(0, len(ids), SUMMARY_BATCH):
        chunk = ids[start : start + SUMMARY_BATCH]
        for post_id, title, comments_count, body_text in db.execute(SUMMARY_SQL.format(", ".join("?" * len(chunk))), chunk):
            found[post_id] = {"title": title, "comments_count": comments_count, "body_text": body_text}
    return found


def load_crawl_state(db: Database) -> CrawlState:
    """Read the post pages, old URLs and listing pages the archive knows."""
    slugs: dict[str, set[str]] = defaultdict(set)
    for post_id, slug in db.execute("SELECT post_id, category_slug FROM post_categories"):
        slugs[post_id].add(slug)
    tags: dict[str, set[str]] = defaultdict(set)
    for post_id, slug in db.execute("SELECT post_id, tag_slug FROM post_tags"):
        tags[post_id].add(slug)
    state = CrawlState()
    for post_id, url, gone, last_seen, etag, last_modified, title, extraction in db.execute(POSTS_SQL):
        state.pages[path_key(url)] = KnownPage(url, post_id, gone is not None, last_seen, etag, last_modified,
                                               frozenset(slugs[post_id]), frozenset(tags[post_id]), title,
                                               extraction)
    for url, etag, last_modified, status in db.execute(TRIED_SQL):
        good = status is not None and 200 <= status < 300
        state.pages.setdefault(path_key(url), KnownPage(url, None, etag=etag if good else None,
                                                        last_modified=last_modified if good else None))
    state.aliases = {path_key(url): post_id for url, post_id in db.execute("SELECT url, post_id FROM post_aliases")}
    state.listings = {path_key(url): KnownPage(url, None, etag=etag, last_modified=last_modified)
                      for url, etag, last_modified in db.execute(LISTINGS_SQL)}
    state.complete = last_run_completed(db)
    state.retries = pending_retries(db)
    return state


def crawl_state(path: str | Path) -> CrawlState:
    """The crawl state of the archive file at `path` (created if missing, as a crawl would)."""
    db = open_archive(path)
    try:
        state = load_crawl_state(db)
        state.path = str(path)
        return state
    finally:
        db.close()
