"""A walking crawl's count of each category: do the posts its pages list add up to what its pages say?

A crawl that walks every listing (full or revalidate) reads every page of each category it reaches. The
first page shows how many posts a page holds and the number of the last page; the last page, how many
posts are left there. So the category lists `per_page * (last - 1) + on_last_page` posts, and the pages
read must list as many distinct posts. Only posts *listed* on the category's pages count (a post whose own
page says it is filed there, but that no page of the category lists, would hide a missing one), matched
by post id, permalink or any address a post was read at. A category still short once its pages are read
(a page the pagination never linked, a page numbered other than we thought) is a loss of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver import urls


@dataclass
class CategoryCount:
    """What the crawl learnt of one category from the pages of it that it read."""

    first_url: str | None = None
    last: int = 1                   # the highest page number its pages link to (or are)
    read: dict[int, list[str]] = field(default_factory=dict)  # page number -> the posts it lists (URLs)

    def listed_total(self, identity=lambda url: url) -> int | None:
        """How many posts the category lists, once its first and last pages are read (else None): the first
        page's posts times the pages before the last, plus the last page's (each post once, by `identity`:
        a page may link one post under two addresses)."""
        if 1 not in self.read or self.last not in self.read:
            return None
        on = {number: len({identity(post) for post in self.read[number]}) for number in (1, self.last)}
        return on[1] * (self.last - 1) + on[self.last] if self.last > 1 else on[1]


@dataclass
class Shortfall:
    """A category whose pages list more posts than the crawl found on them."""

    slug: str
    url: str
    listed: int
    found: int

    def reason(self) -> str:
        return (f"its pages say it lists {self.listed} posts, {self.found} were found on them; a page may be "
                "missing from its pagination (the next --revalidate or --full walks it again)")


class CategoryCensus:
    """Per category: what its pages say and list."""

    def __init__(self):
        self.counts: dict[str, CategoryCount] = {}
        self.permalinks: dict[str, str] = {}  # url key of any address a post was read at -> its post's identity

    def category_page(self, url: str, posts: list[str], pages: list[str]) -> None:
        """Note a category page: the posts it lists and the pages its pagination links to."""
        slug, number = urls.category_slug(url), urls.category_page_number(url)
        if slug is None:
            return
        count = self.counts.setdefault(slug, CategoryCount())
        count.read[number] = list(posts)
        count.last = max([count.last, number, *(urls.category_page_number(page) for page in pages)])
        if number == 1:
            count.first_url = url

    def post(self, fetched_url: str, permalink: str, aliases, post_id: str | None) -> None:
        """A post page read: every address it was read at names the same post."""
        identity = post_id or urls.url_key(permalink)
        for address in (fetched_url, permalink, *aliases):
            self.permalinks[urls.url_key(address)] = identity

    def found(self, slug: str) -> int:
        """The distinct posts listed on the category's pages read."""
        return len({self.identity(post) for posts in self.counts[slug].read.values() for post in posts})

    def identity(self, url: str) -> str:
        """What names a listed post: the post read at that address, else the id in its URL, else the URL."""
        key = urls.url_key(url)
        return self.permalinks.get(key) or urls.post_id(url) or key

    def shortfalls(self) -> list[Shortfall]:
        """The categories whose pages read list fewer posts than their pages say, in slug order."""
        short = []
        for slug, count in sorted(self.counts.items()):
            listed = count.listed_total(self.identity)
            if listed is not None and count.first_url is not None and self.found(slug) < listed:
                short.append(Shortfall(slug, count.first_url, listed, self.found(slug)))
        return short
