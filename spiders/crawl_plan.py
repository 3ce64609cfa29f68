"""What each crawl mode fetches, decided from the archive's crawl state and the blog's feeds.

- "incremental" (the default): the feeds first; then each listing the crawl starts from, page by page, until
  a page whose posts are all archived; only posts that are new, or that a feed says were updated since the
  archive last saw them. Started from the home page (or /archives), the listings are the home pagination
  and each category's first page: month archives and previous/next chains are left to "full".
  Category and month pages are asked for conditionally (their stored ETag / Last-Modified): one that has
  not changed answers a bodiless 304, and lists nothing new.
- "revalidate": reads the listings and compares each entry with the archive (spiders/revalidation.py). From the
  home page (or /archives): the feed, the home page, /archives and every month archive with its pagination (a
  blog without month archives: the home pagination), not the categories; from a category or tag: every page of
  it. Listing pages are asked for conditionally (a 304 is read from its stored copy). It fetches the posts that
  are new, those whose entry shows a change (title, comment count, categories, visible text), gone posts listed
  again, posts no listing shows any more, and the rolling full check's share (ARCHIVER_FULL_CHECK_RUNS), all
  conditionally (an unchanged post costs a bodiless 304).
- "full": fetch every post, walking every listing that leads to posts (from the home page: the month
  archives and every page of each category, whose posts are counted: spiders/census.py). A crawl whose
  start pages were never fetched before (an empty archive, a new category or tag), or that follows a run which did not complete (interrupted, killed, failed:
  the archive may hold a listing's newest posts without its older ones), runs as "full", whatever was asked.

Every mode also asks again the pages earlier runs failed on (store.retries), as their backoff allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from archiver import urls
from archiver.extract import FeedEntry
from archiver.store import CrawlState, KnownPage, PendingRetry, path_key
from archiver.store.tags import tag_slug
from archiver.store.retries import skipped_runs

# What ARCHIVER_CRAWL_MODE may say (the CLI's --revalidate and --full set it); checked before a crawl starts
# (archiver.crawl.run_settings).
MODES = ("incremental", "revalidate", "full")
CONDITIONAL_LISTINGS = ("category", "month", "tag")  # the home page and /archives are read whole: they lead to the rest
WHOLE_BLOG_FEEDS = ("/atom.xml", "/index.rss")  # one feed is read; the second only if the first fails


@dataclass(frozen=True)
class Scope:
    """What a category or tag crawl covers: the slugs of the categories and of the tags it started from."""

    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def holds_listing(self, url: str) -> bool:
        """Whether a listing page is a page of one of the crawled categories or tags."""
        kind = urls.page_kind(url)
        return (kind == "category" and urls.category_slug(url) in self.categories) or (
            kind == "tag" and tag_slug(url) in self.tags)

    def holds_post(self, page: KnownPage) -> bool:
        """Whether an archived post is filed under one of the crawled categories or carries one of the tags."""
        return page.post_id is not None and bool(page.categories & self.categories or page.tags & self.tags)


class CrawlPlan:
    """The decisions of one crawl: which feeds, posts, listing pages and revalidations to request."""

    def __init__(self, mode: str, state: CrawlState, start_urls: list[str]):
        if mode not in MODES:
            raise ValueError(f"ARCHIVER_CRAWL_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        self.requested, self.state = mode, state
        first_time = not all(state.crawled(url) for url in start_urls)
        self.mode = "full" if first_time else mode
        self.full = self.mode == "full"
        self.walks_all = self.mode in ("full", "revalidate")  # every page of every listing it reaches
        self.feed: dict[str, FeedEntry] = {}  # path -> what the feeds say of that post
        self.retrying: set[str] = set()  # paths of the pages asked again this run

    def feeds(self, start_urls: list[str], whole_blog: bool, scope: set[str]) -> list[list[str]]:
        """The feeds to read before anything else: groups of alternatives (the first that answers is read)."""
        if whole_blog:
            return [[urls.canonical_url(path, start_urls[0]) for path in WHOLE_BLOG_FEEDS]]
        return [[urls.canonical_url(f"/{slug}/index.rss", start_urls[0])] for slug in sorted(scope)]

    def learn_feed(self, entries: list[FeedEntry]) -> None:
        """Keep what a feed says of its posts."""
        for entry in entries:
            self.feed.setdefault(path_key(entry.url), entry)

    def wants_post(self, post_url: str) -> bool:
        """Whether to fetch a post: always in full mode, else when new or updated according to a feed."""
        if self.full or not self.state.knows(post_url):
            return True
        entry = self.feed.get(path_key(post_url))
        return entry is not None and self.state.outdated(post_url, entry.updated)

    def feed_posts(self) -> list[str]:
        """The posts the feeds list that this crawl fetches (new, or updated since last seen)."""
        return [entry.url for entry in self.feed.values() if self.wants_post(entry.url)]

    def walks_on(self, listed_posts: list[str]) -> bool:
        """Whether to go on to a listing's next page: in full and revalidate modes, or while a page lists a
        post not archived."""
        return self.walks_all or any(not self.state.knows(url) for url in listed_posts)

    def next_pages(self, url: str, pages: list[str]) -> list[str]:
        """The listing pages to follow from this one: every one in full and revalidate modes, else only the next
        one in URL order (the bare first page, then index-N by N: whether the blog numbers from zero or from one,
        the next index is the next page)."""
        if self.walks_all:
            return pages
        here = urls.listing_order(url)
        after = sorted((urls.listing_order(page), page) for page in pages if urls.listing_order(page) > here)
        return [after[0][1]] if after else []

    def discovered_listings(self, archives: list[str], categories: list[str], months: list[str]) -> list[str]:
        """From the home page or /archives: every listing in full mode, the archives and months in revalidate
        mode (each post is in one month: the categories show it again), else the categories' first pages."""
        if self.mode == "revalidate":
            return archives + months
        return archives + categories + months if self.full else categories

    def known_id(self, url: str) -> str | None:
        """The id to keep a post under when its permalink has none: the archive's, else the feed's."""
        entry = self.feed.get(path_key(url))
        return self.state.archived_id(url) or (entry.post_id if entry else None)

    def listing_headers(self, url: str) -> dict[str, str]:
        """The conditional headers of a category or month page (not in full mode, never for the home page, nor
        for a page asked again after a failure)."""
        known = self.state.listing(url)
        if self.full or known is None or urls.page_kind(url) not in CONDITIONAL_LISTINGS or path_key(url) in self.retrying:
            return {}
        return conditional_headers(known)

    def stored_listing(self, url: str) -> dict | None:
        """What a listing page that answered 304 holds, when the walk must read it: its stored copy."""
        return self.state.stored_listing(url) if self.walks_all else None

    def retries(self, base_url: str, scope: Scope | None) -> tuple[list[str], list[dict]]:
        """The pages earlier runs failed on: those this run asks again (on the crawled host), and the listing
        pages in its scope still waiting for their turn (url, reason, first_failed, wait: runs left)."""
        due, waiting = [], []
        for retry in self.state.retries:
            if not self._in_scope(retry, scope):
                continue
            if retry.due:
                self.retrying.add(path_key(retry.url))
                due.append(urls.canonical_url(path_key(retry.url), base_url))
            elif retry.listing:
                waiting.append({"url": retry.url, "reason": retry.reason, "first_failed": retry.first_failed,
                                "wait": skipped_runs(retry.failed_runs) - retry.runs_since})
        return due, waiting

    def _in_scope(self, retry: PendingRetry, scope: Scope | None) -> bool:
        """On a category or tag crawl, a retry of its listings' pages, or of a post not archived under
        another category or tag."""
        if scope is None:
            return True
        if retry.listing:
            return scope.holds_listing(retry.url)
        known = self.state.page(retry.url)
        return known is None or known.post_id is None or scope.holds_post(known)

    def post_headers(self, url: str) -> dict[str, str]:
        """The conditional headers of an archived post asked again (none for a page an earlier run failed on: its
        answer must be read again)."""
        known = self.state.archived_post(url)
        if known is None or path_key(url) in self.retrying:
            return {}
        return conditional_headers(known)


def conditional_headers(page: KnownPage) -> dict[str, str]:
    """The headers that ask for a page only if it changed since its stored copy."""
    headers = {"If-None-Match": page.etag} if page.etag else {}
    return headers | ({"If-Modified-Since": page.last_modified} if page.last_modified else {})
