"""A whole-blog crawl's count of each category: does what the crawl read add up to what the category lists?

A whole-blog crawl finds its posts through the month archives (or the home pagination) and each post's
previous/next links, and reads only the first and the last page of each category: a post's categories
are on its own page. The category pages are the check. The first page shows how many posts a page holds
and the number of the last page; the last page, how many posts are left there. So the category lists
`per_page * (last - 1) + on_last_page` posts, and the crawl must account for as many: posts it read
that say they are filed there, and posts listed on the category pages it read.

A category that falls short is searched: its pages list posts newest first, so a page whose first known
post is the i-th newest the crawl read in that category, on page k, has `per_page * (k - 1) - i` posts
before it that the crawl has not read. Between two pages read, the posts missing are the difference of
those numbers (less the unread ones the first page listed itself); only the gaps holding some are split,
by reading their middle page, until each missing post is found: a few pages per missing post, not the
whole pagination. When the numbers contradict themselves (posts out of date order, a category the post
pages do not name) or the search ends still short, the category's pagination is walked, every page, as a
category crawl would walk it: a post no month archive lists is found, never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from archiver import urls

PAGE_NUMBER = re.compile(r"(\d+)(\.html?)?$")


@dataclass
class CategoryCount:
    """What the crawl learnt of one category from the pages of it that it read."""

    per_page: int | None = None     # posts on the first page
    last: int | None = None         # the last page's number, as the pagination shows it
    on_last_page: int | None = None
    page_urls: dict[int, str] = field(default_factory=dict)  # page number -> URL, as the pagination links them
    read: dict[int, list[str]] = field(default_factory=dict)  # page number -> url keys of the posts it lists

    def listed_total(self) -> int | None:
        """How many posts the category lists, once its first and last pages are read (else None)."""
        if self.per_page is None or self.last is None:
            return None
        if self.last == 1:
            return self.per_page
        return None if self.on_last_page is None else self.per_page * (self.last - 1) + self.on_last_page

    def page_url(self, number: int) -> str | None:
        """The URL of page `number`, from a page URL the pagination showed (its number replaced)."""
        if number in self.page_urls:
            return self.page_urls[number]
        model = next((url for n, url in sorted(self.page_urls.items()) if n > 1), None)
        if model is None:
            return None
        path_end = PAGE_NUMBER.search(model)
        return model[: path_end.start(1)] + str(number) + model[path_end.end(1):] if path_end else None


@dataclass
class Shortfall:
    """A category whose pages list more posts than the crawl accounted for."""

    slug: str
    listed: int | None  # None: the total could not be read (no page numbers, the last page failed)
    found: int


class CategoryCensus:
    """Per category: what its pages say, and which posts the crawl found filed there."""

    def __init__(self):
        self.counts: dict[str, CategoryCount] = {}
        self.filed: dict[str, set[str]] = {}  # slug -> permalink keys of the posts read that name it
        self.permalinks: dict[str, str] = {}  # url key of any address a post was read at -> its permalink's key
        self.published: dict[str, datetime] = {}  # permalink key -> the post's date

    def category_page(self, url: str, posts: list[str], pages: list[str]) -> str | None:
        """Note a category page's posts and pagination; the page to read next to count the category
        (its last page, or a later one the page believed last links to), or None."""
        slug, number = urls.category_slug(url), urls.category_page_number(url)
        if slug is None:
            return None
        count = self.counts.setdefault(slug, CategoryCount())
        count.read[number] = [urls.url_key(post) for post in posts]
        numbered = {urls.category_page_number(page): page for page in pages}
        count.page_urls.update(numbered)
        if number == 1:
            count.per_page, count.last = len(posts), max(numbered, default=1)
        elif number == count.last:
            count.on_last_page = len(posts)
        else:
            return None
        beyond = max(numbered, default=number)
        if beyond > number:  # pages after the one believed last: the pager shows a window, or only "next"
            count.last, count.on_last_page = beyond, None
            return numbered[beyond]
        return None

    def post(self, fetched_url: str, permalink: str, aliases, categories, published: datetime | None) -> None:
        """A post page read: the categories it says it is filed under, and its date."""
        key = urls.url_key(permalink)
        for address in (fetched_url, permalink, *aliases):
            self.permalinks[urls.url_key(address)] = key
        if published is not None:
            self.published[key] = published
        for category in categories:
            slug = urls.category_slug(category.url)
            if slug is not None:
                self.filed.setdefault(slug, set()).add(key)

    def found(self, slug: str) -> int:
        """Posts accounted for in a category: read and filed there, or listed on its pages read."""
        listed = {self.permalinks.get(key, key) for keys in self.counts[slug].read.values() for key in keys}
        return len(self.filed.get(slug, set()) | listed)

    def shortfalls(self) -> list[Shortfall]:
        """The categories read whose posts the crawl does not account for, in slug order."""
        short = []
        for slug, count in sorted(self.counts.items()):
            listed, found = count.listed_total(), self.found(slug)
            if listed is None or found < listed:
                short.append(Shortfall(slug, listed, found))
        return short

    def pages_to_search(self, slug: str) -> list[str] | None:
        """The pages to read next to find a short category's missing posts; [] when no gap holds any;
        None when the numbers contradict themselves (walk the category instead)."""
        count = self.counts[slug]
        if count.listed_total() is None or not count.per_page:
            return None
        newest_first = sorted(self.filed.get(slug, ()), key=lambda key: self.published.get(key, datetime.min), reverse=True)
        rank = {key: i for i, key in enumerate(newest_first) if key in self.published}
        read = sorted(count.read)
        wanted = []
        for before, after in zip(read, read[1:]):
            missing = self._missing_before(count, after, rank)
            known = self._missing_before(count, before, rank)
            if missing is None or known is None:
                gap = after - before - 1  # a page of posts none of which was read: search around it
            else:
                gap = missing - known - self._unread_on(count, before, rank)
            if gap > 0 and after - before > 1:
                wanted.append((before + after) // 2)
            elif gap > 0:
                return None  # posts missing between two adjacent pages: not in date order after all
        urls_wanted = [count.page_url(number) for number in wanted]
        return None if None in urls_wanted else urls_wanted

    def _missing_before(self, count: CategoryCount, number: int, rank: dict[str, int]) -> int | None:
        """How many posts listed before page `number` the crawl has not read (by the first post of the
        page it read and dated), or None when it read none of them."""
        for key in count.read[number]:
            permalink = self.permalinks.get(key, key)
            if permalink in rank:
                return count.per_page * (number - 1) - rank[permalink]  # the posts before it on its page are not
        return None

    def _unread_on(self, count: CategoryCount, number: int, rank: dict[str, int]) -> int:
        """How many of the posts a page read lists were not read before the search (not ranked)."""
        return sum(1 for key in count.read[number] if self.permalinks.get(key, key) not in rank)
