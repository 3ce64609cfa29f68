"""The `category` spider: from category pages (or the home page) to every post, each fetched once."""

from __future__ import annotations

from collections import Counter

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from archiver import store, urls
from archiver.crawl.extraction_worker import ExtractionWorker
from archiver.extract.feeds import feed_document, feed_entries
from archiver.extract.identity_of_blog import read_blog_identity
from archiver.extract.profiles import profiles_from_settings
from archiver.http_statuses import NOT_MODIFIED, REDIRECT_STATUSES
from archiver.items import BlogIdentity, CrawlFailure
from archiver.middlewares.refused_requests import refusal_failure
from spiders.census import CategoryCensus
from spiders.crawl_plan import CrawlPlan, Scope
from spiders.listing_pages import DISCOVERY_KINDS, ListingPages
from spiders.numbering import Numbering
from spiders.post_pages import PostPages
from spiders.revalidation import Revalidation
from spiders.responses import download_reason, fetched_page


class CategorySpider(ListingPages, PostPages, scrapy.Spider):
    """Crawl category pages and their pagination, and fetch each post they list once.

    `scrapy crawl category -a url=https://blog.example/ma-categorie/` (several URLs: comma-separated).
    Started from the home page (or /archives) it crawls the whole blog: every month archive (or, on a
    blog without them, the home pagination), each post's previous/next notes, and every category. Started
    from category pages it stays inside those categories. The feeds are read first; what is fetched then
    depends on the crawl mode (ARCHIVER_CRAWL_MODE: incremental, revalidate or full; see spiders/crawl_plan.py);
    a crawl that walks every listing (full, revalidate) checks each category's count (spiders/census.py),
    and every crawl asks again the pages earlier runs failed on (archiver.store.retries).

    Here: the start, the feeds, the requests and the errors; the listing pages' callbacks are in
    spiders/listing_pages.py, the post pages' in spiders/post_pages.py.
    """

    name = "category"

    def __init__(self, url: str | None = None, start_urls: list[str] | None = None, **kwargs):
        super().__init__(**kwargs)
        given = list(start_urls or []) + [u for u in (url or "").split(",") if u.strip()]
        if not given:
            raise ValueError("the category spider needs a start URL: -a url=https://blog.example/")
        self.start_urls = [urls.canonical_url(u) for u in given]
        self.allowed_domains = sorted({name for u in self.start_urls for name in urls.blog_hostnames(u)})
        self.whole_blog = any(urls.page_kind(u) in DISCOVERY_KINDS for u in self.start_urls)
        self.scope = {urls.category_slug(u) for u in self.start_urls if urls.page_kind(u) == "category"}
        self.tag_scope = {store.tag_slug(u) for u in self.start_urls if urls.page_kind(u) == "tag"}
        self.seen: set[str] = set()
        self.archived: dict[str, str] = {}  # url key of each post page read -> its permalink
        self.aliases: dict[str, list[str]] = {}  # url key of a permalink -> old URLs redirected to it
        self.listing_pages: Counter[tuple[str, ...]] = Counter()
        self.numbering = Numbering()  # how the blog numbers its listing pages, learnt from them
        self.census = CategoryCensus(self.numbering)
        self.home_walked = False  # the home pagination, walked when the blog shows no month archive
        self.home_pages: list[str] = []
        self.months_read = 0
        self.feeds_asked = 0
        self.listing_read = False  # once a listing is read, the pages decided so far are the expected total
        self.malformed: dict[str, str] = {}  # malformed href -> the listing page it was first seen on
        self.blog_feed = None  # the whole blog's feed, as read (a Selector), for the blog's identity
        self.identity_read = False  # the blog's identity is read once a crawl

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.profiles = profiles_from_settings(crawler.settings)
        spider.extraction = ExtractionWorker.from_crawler(crawler, spider.profiles)
        spider.max_listing_pages = crawler.settings.getint("ARCHIVER_MAX_LISTING_PAGES", 500)
        state = store.crawl_state(crawler.settings.get("ARCHIVE_DB"))
        spider.plan = CrawlPlan(crawler.settings.get("ARCHIVER_CRAWL_MODE", "incremental"), state, spider.start_urls)
        # The census counts the categories a walk reads whole: every one in full mode, the crawled ones when a
        # category or tag crawl revalidates (a whole-blog revalidation reads the months, not the categories).
        spider.counting = spider.plan.full or (spider.plan.walks_all and not spider.whole_blog)
        spider.revalidation = None
        if spider.plan.mode == "revalidate":
            runs = crawler.settings.getint("ARCHIVER_FULL_CHECK_RUNS", 8)
            spider.revalidation = Revalidation(state, spider.in_crawl_scope, runs)
        crawler.signals.connect(spider.check_counts, signal=signals.spider_idle)
        return spider

    async def start(self):
        self.crawler.stats.set_value("archiver/mode/effective", self.plan.mode)
        self.logger.info("crawl mode: %s (asked: %s)", self.plan.mode, self.plan.requested)
        feeds = self.plan.feeds(self.start_urls, self.whole_blog, self.scope)
        self.feeds_pending = len(feeds)
        for alternatives in feeds:
            yield self.feed_request(alternatives)
        if not feeds:
            for request in self.start_walk():
                yield request

    def page_request(self, url: str, headers: dict | None = None, **kwargs) -> scrapy.Request:
        """A request routed by the kind of page the URL is (post redirects are handled here, not followed)."""
        self.seen.add(urls.url_key(url))
        self.publish_expected()
        kind = urls.page_kind(url)
        if kind == "post":
            meta = {"handle_httpstatus_list": [*REDIRECT_STATUSES, NOT_MODIFIED]}
            return scrapy.Request(url, callback=self.parse_post, errback=self.on_error, meta=meta, headers=headers,
                                  cb_kwargs={"kind": kind, **kwargs}, **({"dont_filter": True} if kwargs else {}))
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"kind": kind},
                              headers=self.plan.listing_headers(url) or None, meta={"handle_httpstatus_list": [NOT_MODIFIED]})

    def publish_expected(self) -> None:
        """Once a listing is read, the pages decided so far (feeds, listings, posts) as the stat the progress line
        shows as its total (archiver/extensions/progress.py); it grows as listings lead to more."""
        if self.listing_read:
            self.crawler.stats.set_value("archiver/plan/pages_expected", self.feeds_asked + len(self.seen))

    def feed_request(self, alternatives: list[str]) -> scrapy.Request:
        """A request for a feed; if it fails, the next of its alternatives is asked."""
        self.feeds_asked += 1
        return scrapy.Request(alternatives[0], callback=self.parse_feed, errback=self.feed_failed,
                              cb_kwargs={"fallbacks": tuple(alternatives[1:])}, dont_filter=True)

    def parse_feed(self, response, fallbacks: tuple[str, ...] = ()):
        """A feed: learn its posts (new? updated? their ids), then start the walk once every feed is read."""
        yield fetched_page(response, "feed")
        document = feed_document(response.body)  # read once: its entries, and the blog's identity
        self.plan.learn_feed(feed_entries(document, response.url))
        if self.whole_blog:
            self.blog_feed = document
        yield from self.start_walk()

    def feed_failed(self, failure):
        """A feed that did not answer: its alternative is asked, else the walk starts without it."""
        self.logger.info("feed %s not read: %s", failure.request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value("archiver/feeds/failed")
        fallbacks = failure.request.cb_kwargs.get("fallbacks", ())
        if fallbacks:
            yield self.feed_request(list(fallbacks))
        else:
            yield from self.start_walk()

    def start_walk(self):
        """Called after each feed; once the last is read, the walk: the start pages, the pages asked again, the posts
        the feeds want (revalidate: the listings then say which known posts to ask again, spiders/revalidation.py)."""
        self.feeds_pending -= 1
        if self.feeds_pending > 0:
            return
        retries = self.retries_due()
        if not any(urls.page_kind(url) == "home" for url in self.start_urls):  # no home page to read it from
            yield from self.blog_identity(None, self.start_urls[0])
        for url in self.start_urls:
            yield self.page_request(url)
        yield from self.follow(retries)
        yield from self.follow(self.plan.feed_posts())

    def blog_identity(self, home, url: str) -> list[BlogIdentity]:
        """On a whole-blog crawl, once: the blog's identity from its home page (a Selector; None when the crawl does not
        start from it) and from the feed read first."""
        if not self.whole_blog or self.identity_read:
            return []
        self.identity_read = True
        fields, self.blog_feed = read_blog_identity(home, self.blog_feed), None
        return [BlogIdentity(url=urls.canonical_url("/", url), **fields)]

    def retries_due(self) -> list[str]:
        """The pages earlier runs failed on that this run asks again (their backoff over); the listing pages
        still waiting for their turn are this run's losses too (stat archiver/retries/waiting)."""
        due, waiting = self.plan.retries(self.start_urls[0], self.crawl_scope())
        self.crawler.stats.set_value("archiver/retries/asked", len(due))
        if waiting:
            self.crawler.stats.set_value("archiver/retries/waiting", waiting)
        for retry in waiting if self.revalidation is not None else []:
            self.revalidation.listing_unread(retry["url"])
        return due

    def follow(self, links: list[str]):
        """Requests for the links not requested yet (so the duplicate filter is not flooded)."""
        for link in links:
            if urls.url_key(link) not in self.seen:
                yield self.page_request(link)

    def crawl_scope(self) -> Scope | None:
        """The categories and tags this crawl covers (None: the whole blog)."""
        return None if self.whole_blog else Scope(frozenset(self.scope), frozenset(self.tag_scope))

    def in_crawl_scope(self, page) -> bool:
        """Whether an archived post (a store.KnownPage) is one this crawl covers."""
        scope = self.crawl_scope()
        return scope is None or scope.holds_post(page)

    def on_error(self, failure):
        """HTTP errors, download failures and refused requests: recorded, never fatal to the crawl.

        An HTTP error or a download failure is what was left after Scrapy's retries (RETRY_TIMES, with
        archiver.middlewares.retry_backoff's waits): it is recorded with the number of requests it took.
        """
        request = failure.request
        attempts = request.meta.get("retry_times", 0) + 1
        if failure.check(HttpError):
            response = failure.value.response
            kind = request.cb_kwargs.get("kind", urls.page_kind(request.url))
            yield fetched_page(response, kind, error=f"HTTP {response.status}")
            self.listing_failed(request.url)
            yield CrawlFailure(request.url, "http", f"HTTP {response.status}", response.status, attempts=attempts)
        elif failure.check(IgnoreRequest):  # refused by robots.txt, off-site, ...: recorded with its own kind
            self.listing_failed(request.url)
            yield refusal_failure(request, failure.getErrorMessage())
        else:
            self.listing_failed(request.url)
            yield CrawlFailure(request.url, "download", download_reason(failure), attempts=attempts)

