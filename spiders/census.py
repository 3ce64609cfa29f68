"""A walking crawl's count of each category: do the posts its pages list add up to what its pages say?

A crawl that walks every listing (full or revalidate) reads every page of each category it reaches. The
first page shows how many posts a page holds, the pages show which is the last; the last page, how many
posts are left there. So the category lists `per_page * (last - 1) + on_last_page` posts, and the pages
read must list as many distinct posts. Only posts *listed* on the category's pages count (a post whose own
page says it is filed there, but that no page of the category lists, would hide a missing one), matched
by post id, permalink or any address a post was read at. A category still short once its pages are read
(a page the pagination never linked, a page numbered other than we thought) is a loss of the run.

A page's number is what the page says (its title, its pager: archiver.extract.page_number), else what its
pager's links show, else its URL's index plus the blog's offset (spiders/numbering.py): numbered from zero,
index-1.html is page 2. When nothing says the numbering, the pages are counted in URL order (the bare first
page, then index-N by N; a page listing the very posts of another is a copy of it). A blog whose pages
contradict each other's numbering is not counted: that contradiction is the loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver import urls
from archiver.extract.page_number import PageNumber
from spiders.numbering import Numbering

COUNTED = ("category", "tag")  # the listing families counted (urls.listing_family's first word)


@dataclass
class CategoryCount:
    """What the crawl learnt of one category from the pages of it that it read."""

    first_url: str | None = None
    read: dict[str, PageNumber] = field(default_factory=dict)  # canonical URL -> what the page says
    posts: dict[str, list[str]] = field(default_factory=dict)  # canonical URL -> the posts it lists (URLs)
    linked: set[str] = field(default_factory=set)  # every page of it a page read links to

    def numbers(self, offset: int | None, identity=lambda url: url) -> dict[str, int]:
        """Each page's number (pages read or linked), as the pages say, else by `offset`, else in URL order."""
        if offset is None:  # no page at an index-N.html URL said its number
            return self._ranks(identity)
        shown = {link: number for page in self.read.values() for link, number in page.links.items()}
        numbers = {}
        for url in sorted(self.linked | set(self.read), key=urls.listing_order):
            said = self.read[url].number if url in self.read else None
            index = urls.listing_index(url)
            numbers[url] = 1 if index is None else said or shown.get(url) or index + offset
        return numbers

    def _ranks(self, identity) -> dict[str, int]:
        """Nothing says the numbering: the pages in URL order, a read page listing another's very posts a copy."""
        numbers, lists = {}, {}
        for url in sorted(self.linked | set(self.read), key=urls.listing_order):
            listed = frozenset(identity(post) for post in self.posts.get(url, ()))
            copy = lists.get(listed) if url in self.read and listed else None
            numbers[url] = copy or len(set(numbers.values())) + 1
            lists.setdefault(listed, numbers[url])
        return numbers

    def offsets(self) -> set[int]:
        """The numberings its own pages show (number said less URL index): one, none, or a contradiction."""
        return {offset for page in self.read.values() for offset, *_ in page.evidence()}

    def listed_total(self, offset: int | None = None, identity=lambda url: url) -> int | None:
        """How many posts the category lists, once its first and last pages are read (else None): the first
        page's posts times the pages before the last, plus the last page's (each post once, by `identity`:
        a page may link one post under two addresses)."""
        numbers = self.numbers(offset, identity)
        on: dict[int, int] = {}
        for url in sorted(self.read, key=urls.listing_order):  # the bare first page before its copies
            if url in numbers:
                on.setdefault(numbers[url], len({identity(post) for post in self.posts[url]}))
        last = max(numbers.values(), default=1)
        if 1 not in on or last not in on:
            return None
        return on[1] * (last - 1) + on[last] if last > 1 else on[1]


@dataclass
class Shortfall:
    """A category whose pages list more posts than the crawl found on them (or that could not be counted)."""

    slug: str
    url: str
    listed: int
    found: int
    why: str | None = None

    def reason(self) -> str:
        if self.why:
            return self.why
        return (f"its pages say it lists {self.listed} posts, {self.found} were found on them; a page may be "
                "missing from its pagination (the next --revalidate or --full walks it again)")


class CategoryCensus:
    """Per category: what its pages say and list; and how the blog numbers its pages."""

    def __init__(self, numbering: Numbering | None = None):
        self.counts: dict[tuple[str, str], CategoryCount] = {}  # listing family ("category", slug) -> its count
        self.numbering = numbering or Numbering()
        self.permalinks: dict[str, str] = {}  # url key of any address a post was read at -> its post's identity

    def add_listing_page(self, page: PageNumber, posts: list[str], pages: list[str]) -> None:
        """Note a category page: what it says of its number, the posts it lists and the pages it links to."""
        family = urls.listing_family(page.url)
        if family is None or family[0] not in COUNTED:
            return
        count = self.counts.setdefault(family, CategoryCount())
        count.read[page.url], count.posts[page.url] = page, list(posts)
        count.linked.update(link for link in pages if urls.listing_family(link) == family)
        if page.index is None:
            count.first_url = page.url

    def add_post(self, fetched_url: str, permalink: str, aliases, post_id: str | None) -> None:
        """A post page read: every address it was read at names the same post."""
        identity = post_id or urls.url_key(permalink)
        for address in (fetched_url, permalink, *aliases):
            self.permalinks[urls.url_key(address)] = identity

    def posts_found(self, family: tuple[str, str]) -> int:
        """The distinct posts listed on the pages read of a category (or tag)."""
        return len({self.post_identity(post) for posts in self.counts[family].posts.values() for post in posts})

    def post_identity(self, url: str) -> str:
        """What names a listed post: the post read at that address, else the id in its URL, else the URL."""
        key = urls.url_key(url)
        return self.permalinks.get(key) or urls.post_id(url) or key

    def shortfalls(self) -> list[Shortfall]:
        """The categories (and tags) whose pages read list fewer posts than their pages say, in name order; on a
        blog whose pages contradict each other's numbering, that contradiction first. A category is counted by
        the numbering its own pages show, else the blog's; one whose own pages contradict each other, or that
        shows none on a blog whose numbering is contradictory, cannot be counted: the contradiction names it."""
        contradiction = self.numbering.contradiction()
        short = []
        if contradiction:
            url = list(self.numbering.offsets.values())[1].url  # the page that said otherwise
            short.append(Shortfall(urls.category_slug(url) or urls.tag_name(url) or "", url, 0, 0, contradiction))
        for family, count in sorted(self.counts.items()):
            own = count.offsets()
            if len(own) > 1 or (contradiction and not own):
                continue
            listed = count.listed_total(own.pop() if own else self.numbering.offset, self.post_identity)
            if listed is not None and count.first_url is not None and self.posts_found(family) < listed:
                short.append(Shortfall(family[1], count.first_url, listed, self.posts_found(family)))
        return short
