"""The category spider's listing pages: follow their posts and next pages, count each category, cut a long listing.

A part of `CategorySpider` (spiders/category.py), which it reads through: the crawl's plan, census, numbering,
what it has seen and its stats. Like the spider, it only routes: `archiver.extract` reads the pages.
"""

from __future__ import annotations

from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse

from archiver import urls
from archiver.crawl.extraction_worker import ListingReading, read_listing
from archiver.extract import page_selector
from archiver.http_statuses import NOT_MODIFIED
from archiver.items import CrawlFailure
from archiver.store import path_key
from spiders.responses import content_type, fetched_page

DISCOVERY_KINDS = ("home", "archives")  # the pages that lead to every listing of the blog
MALFORMED_KEPT = 1000  # distinct malformed links counted (a crawl of a hostile blog keeps no more in memory)


class ListingPages:
    """The callbacks and bookkeeping of listing pages (category, tag, month, home, archives) for CategorySpider."""

    async def parse_listing(self, response, kind: str):
        """A category, month, home or archives page: its extraction awaited from the crawl's extraction worker
        (archiver/crawl/extraction_worker.py; the home page's first page, which the blog's identity is read from,
        here), then route_listing(). Only the reading reaches the routing, never the page's parsed tree: Scrapy takes
        a callback's outputs 32 at a time and suspends it in between, and a month page (~600 KB, ~10 MB parsed)
        yields ~250 requests; a suspended callback that held its tree kept it, several at once in a burst of month
        pages (20,004-post replica: 243 MB at the peak, 165 MB once the tree was freed before the first output)."""
        source, with_entries = self.listing_source(response), self.revalidation is not None
        reading = home = None
        if source is not None and kind == "home" and urls.is_first_page(response.url):
            home = page_selector(*source)
            reading = read_listing(home, response.url, self.profiles, with_entries)
        elif source is not None:
            body, url, content = source
            reading = await self.extraction.listing(url, body, content, with_entries)
        for output in self.route_listing(response, kind, reading, home):
            yield output

    def route_listing(self, response, kind: str, reading: ListingReading | None, home):
        """Follow a listing's posts, its pages, and on discovery pages every category (`reading`: what extraction
        made of it, None when it could not be read; `home`: the home page's first page, as a Selector)."""
        yield fetched_page(response, kind)
        if reading is None:
            self.listing_failed(response.url)
            if response.status != NOT_MODIFIED:
                yield CrawlFailure(response.url, "extraction", "not an HTML page", response.status)
            elif self.plan.walks_all:  # a walk must read every page: a 304 with no copy to read is a page unread
                yield CrawlFailure(response.url, "extraction", "304 Not Modified, and the archive holds no copy of it", NOT_MODIFIED)
            return
        if home is not None:
            yield from self.blog_identity(home, response.url)
        links = reading.links
        self.listing_read = True
        self.publish_expected()
        self.note_malformed(response.url, links.malformed)
        posts = links.posts + (links.mentioned if self.whole_blog else [])
        yield from self.follow([post for post in posts if self.plan.wants_post(post)])
        if self.revalidation is not None:
            for url in self.revalidation.read_listing(reading.entries, links.posts):
                yield from self.ask_again(urls.canonical_url(path_key(url), response.url))
        if kind in DISCOVERY_KINDS:
            yield from self.follow(self.plan.discovered_listings(links.archives, links.categories, links.months))
        family = urls.listing_family(response.url)
        if family:
            number = reading.number
            self.numbering.learn(number)
            if self.counting:
                self.census.add_listing_page(number, links.posts, links.pages)
        if self.whole_blog and self.plan.walks_all and family == ("home",) and not self.home_walked:
            self.home_pages = self.home_pages or links.pages  # walked only if the blog has no month archive
            return
        if family and family[0] == "month":
            self.months_read += 1
        if family and (links.posts or kind == "home") and self.plan.walks_on(links.posts):
            yield from self.paginate(response.url, family, self.plan.next_pages(response.url, links.pages))

    def listing_failed(self, url: str) -> None:
        """A listing page that could not be read: a revalidation cannot tell the posts it shows have left it."""
        if self.revalidation is not None and urls.page_kind(url) != "post":
            self.revalidation.listing_unread(url)

    def ask_again(self, url: str):
        """A known post asked again, conditionally (once a run)."""
        if urls.url_key(url) not in self.seen:
            yield self.page_request(url, headers=self.plan.post_headers(url) or None)

    def finish_revalidation(self) -> bool:
        """Once a revalidation's listings are read: ask the posts no listing showed and the rolling full check's
        share (spiders/revalidation.py), and say what it saw (stat archiver/revalidation). True: requests were added."""
        asked = {"/" + key.partition("/")[2] for key in self.seen}
        requests = []
        for url in self.revalidation.remaining(asked):
            requests += self.ask_again(urls.canonical_url(path_key(url), self.start_urls[0]))
        figures = self.revalidation.figures()
        self.crawler.stats.set_value("archiver/revalidation", figures)
        if figures["unread_count"]:
            self.logger.warning("%d listing pages not read (first: %s): the %d archived posts no listing showed are "
                                "asked again, not counted as having left", figures["unread_count"],
                                figures["unread_listings"][0], figures["unlisted"])
        for request in requests:
            self.crawler.engine.crawl(request)
        return bool(requests)

    def note_malformed(self, url: str, hrefs: list[str]) -> None:
        """Count the distinct malformed links the listings held (skipped: the rest of each page is read), and
        keep a few, with the page each was first seen on, for the summary (archiver/links/malformed...)."""
        for href in hrefs:
            if href not in self.malformed and len(self.malformed) < MALFORMED_KEPT:
                self.malformed[href] = url
        if hrefs:
            stats = self.crawler.stats
            stats.set_value("archiver/links/malformed", len(self.malformed))
            stats.set_value("archiver/links/malformed_examples",
                            [{"href": urls.shown(href), "page": page} for href, page in list(self.malformed.items())[:3]])

    def listing_source(self, response) -> tuple[bytes, str, str | None] | None:
        """A listing page as extraction reads it (body, URL, Content-Type), None when it cannot be read; a 304 Not
        Modified stands for its stored copy, which a walk of every page reads (incremental stops there: the posts
        it lists were followed when it was read)."""
        if response.status == NOT_MODIFIED:
            stored = self.plan.stored_listing(response.url)
            return None if stored is None else (stored["body"], response.url, stored["content_type"])
        return (response.body, response.url, content_type(response)) if isinstance(response, TextResponse) else None

    def check_counts(self):
        """When a walking crawl has nothing left to do: walk the home pagination if the blog showed no month
        archive; then each category whose pages list fewer posts than they say is a loss of the run (stat
        archiver/census/short, recorded by the Store as failures of kind "short"), and so, in every mode, is a
        blog whose listing pages contradict each other's numbering (spiders/numbering.py)."""
        if self.plan.walks_all and self.whole_blog and not self.months_read and not self.home_walked:
            self.home_walked = True
            self.logger.info("no month archive read: walking the home pagination")
            requests = [self.page_request(url) for url in self.home_pages if urls.url_key(url) not in self.seen]
            for request in requests:
                self.crawler.engine.crawl(request)
            if requests:
                raise DontCloseSpider
        if self.revalidation is not None and not self.revalidation.finished and self.finish_revalidation():
            raise DontCloseSpider
        numbering = self.numbering.describe()
        if self.crawler.stats.get_value("archiver/listings/numbering") != numbering:
            self.crawler.stats.set_value("archiver/listings/numbering", numbering)
            self.logger.info("listing pages numbered %s", numbering)
        short = self.census.shortfalls()
        if short:
            self.crawler.stats.set_value("archiver/census/short", [
                {"url": category.url, "reason": category.reason()} for category in short])
        for category in short:
            self.logger.warning("category %s: %s", category.slug, category.reason())

    def paginate(self, url: str, family: tuple[str, ...], pages: list[str]):
        """The listing's other pages, up to ARCHIVER_MAX_LISTING_PAGES per listing; a cut is reported once."""
        new_pages = [page for page in pages if urls.url_key(page) not in self.seen]
        before, limit = self.listing_pages[family], self.max_listing_pages
        self.listing_pages[family] += len(new_pages)  # pages found, followed or not
        room = max(limit - before, 0)
        yield from self.follow(new_pages[:room])
        if before <= limit < self.listing_pages[family]:
            for page in new_pages[room:]:
                self.listing_failed(page)
            yield CrawlFailure(url, "truncated", f"listing cut at ARCHIVER_MAX_LISTING_PAGES={limit}: "
                               f"{new_pages[room]} and the pages after it not followed")
