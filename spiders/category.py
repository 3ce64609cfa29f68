"""The `category` spider: from category pages (or the home page) to every post, each fetched once."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from archiver import store, urls
from archiver.extract import (
    detect_profile,
    extract_feed,
    extract_listing,
    extract_neighbours,
    extract_post,
    page_selector,
)
from archiver.extract.page_number import read_page_number
from archiver.extract.profiles import profiles_from_settings
from archiver.extract.recognise import not_the_post, recognise
from archiver.http_statuses import NOT_MODIFIED, REDIRECT_STATUSES
from archiver.items import CrawlFailure, Post, PostAlias
from archiver.middlewares.refused_requests import refusal_failure
from spiders.census import CategoryCensus
from spiders.crawl_plan import CrawlPlan, Scope
from spiders.numbering import Numbering
from spiders.responses import download_reason, fetched_page, redirect_failure, response_selector

DISCOVERY_KINDS = ("home", "archives")
MALFORMED_KEPT = 1000  # distinct malformed links counted (a crawl of a hostile blog keeps no more in memory)


class CategorySpider(scrapy.Spider):
    """Crawl category pages and their pagination, and fetch each post they list once.

    `scrapy crawl category -a url=https://blog.example/ma-categorie/` (several URLs: comma-separated).
    Started from the home page (or /archives) it crawls the whole blog: every month archive (or, on a
    blog without them, the home pagination), each post's previous/next notes, and every category. Started
    from category pages it stays inside those categories. The feeds are read first; what is fetched then
    depends on the crawl mode (ARCHIVER_CRAWL_MODE: incremental, revalidate or full; see spiders/crawl_plan.py);
    a crawl that walks every listing (full, revalidate) checks each category's count (spiders/census.py),
    and every crawl asks again the pages earlier runs failed on (archiver.store.retries).
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
        self.malformed: dict[str, str] = {}  # malformed href -> the listing page it was first seen on

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.profiles = profiles_from_settings(crawler.settings)
        spider.max_listing_pages = crawler.settings.getint("ARCHIVER_MAX_LISTING_PAGES", 500)
        state = store.crawl_state(crawler.settings.get("ARCHIVE_DB"))
        spider.plan = CrawlPlan(crawler.settings.get("ARCHIVER_CRAWL_MODE", "incremental"), state, spider.start_urls)
        spider.counting = spider.plan.walks_all
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
        kind = urls.page_kind(url)
        if kind == "post":
            meta = {"handle_httpstatus_list": [*REDIRECT_STATUSES, NOT_MODIFIED]}
            return scrapy.Request(url, callback=self.parse_post, errback=self.on_error, meta=meta, headers=headers,
                                  cb_kwargs={"kind": kind, **kwargs}, **({"dont_filter": True} if kwargs else {}))
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"kind": kind},
                              headers=self.plan.listing_headers(url) or None, meta={"handle_httpstatus_list": [NOT_MODIFIED]})

    def feed_request(self, alternatives: list[str]) -> scrapy.Request:
        """A request for a feed; if it fails, the next of its alternatives is asked."""
        return scrapy.Request(alternatives[0], callback=self.parse_feed, errback=self.feed_failed,
                              cb_kwargs={"fallbacks": tuple(alternatives[1:])}, dont_filter=True)

    def parse_feed(self, response, fallbacks: tuple[str, ...] = ()):
        """A feed: learn its posts (new? updated? their ids), then start the walk once every feed is read."""
        yield fetched_page(response, "feed")
        self.plan.learn_feed(extract_feed(response.body, response.url))
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
        the feeds want, and (revalidate) every known post."""
        self.feeds_pending -= 1
        if self.feeds_pending > 0:
            return
        retries = self.retries_due()
        for url in self.start_urls:
            yield self.page_request(url)
        yield from self.follow(retries)
        yield from self.follow(self.plan.feed_posts())
        for url, headers in self.plan.revalidations(self.start_urls[0], self.crawl_scope()):
            if urls.url_key(url) not in self.seen:
                yield self.page_request(url, headers=headers or None)

    def retries_due(self) -> list[str]:
        """The pages earlier runs failed on that this run asks again (their backoff over); the listing pages
        still waiting for their turn are this run's losses too (stat archiver/retries/waiting)."""
        due, waiting = self.plan.retries(self.start_urls[0], self.crawl_scope())
        self.crawler.stats.set_value("archiver/retries/asked", len(due))
        if waiting:
            self.crawler.stats.set_value("archiver/retries/waiting", waiting)
        return due

    def follow(self, links: list[str]):
        """Requests for the links not requested yet (so the duplicate filter is not flooded)."""
        for link in links:
            if urls.url_key(link) not in self.seen:
                yield self.page_request(link)

    def parse_listing(self, response, kind: str):
        """A category, month, home or archives page: follow its posts, its pages, and on discovery pages every category."""
        yield fetched_page(response, kind)
        page = self.listing_selector(response)
        if page is None:
            if response.status != NOT_MODIFIED:
                yield CrawlFailure(response.url, "extraction", "not an HTML page", response.status)
            elif self.plan.walks_all:  # a walk must read every page: a 304 with no copy to read is a page unread
                yield CrawlFailure(response.url, "extraction", "304 Not Modified, and the archive holds no copy of it", NOT_MODIFIED)
            return
        links = extract_listing(page, response.url, detect_profile(page, self.profiles))
        self.note_malformed(response.url, links.malformed)
        posts = links.posts + (links.mentioned if self.whole_blog else [])
        yield from self.follow([post for post in posts if self.plan.wants_post(post)])
        if kind in DISCOVERY_KINDS:
            yield from self.follow(self.plan.discovered_listings(links.archives, links.categories, links.months))
        family = urls.listing_family(response.url)
        if family:
            number = read_page_number(page, response.url)
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

    def listing_selector(self, response):
        """A listing page as extraction reads it; a 304 Not Modified stands for its stored copy, which a walk of
        every page reads (incremental stops there: the posts it lists were followed when it was read)."""
        if response.status == NOT_MODIFIED:
            stored = self.plan.stored_listing(response.url)
            return None if stored is None else page_selector(stored["body"], response.url, stored["content_type"])
        return response_selector(response) if isinstance(response, TextResponse) else None

    def check_counts(self):
        """When a walking crawl has nothing left to do: walk the home pagination if the blog showed no month
        archive; then each category whose pages list fewer posts than they say is a loss of the run (stat
        archiver/census/short, recorded by the Store as failures of kind "short"), and so, in every mode, is a
        blog whose listing pages contradict each other's numbering (spiders/numbering.py)."""
        if self.counting and self.whole_blog and not self.months_read and not self.home_walked:
            self.home_walked = True
            self.logger.info("no month archive read: walking the home pagination")
            requests = [self.page_request(url) for url in self.home_pages if urls.url_key(url) not in self.seen]
            for request in requests:
                self.crawler.engine.crawl(request)
            if requests:
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
            yield CrawlFailure(url, "truncated", f"listing cut at ARCHIVER_MAX_LISTING_PAGES={limit}: "
                               f"{new_pages[room]} and the pages after it not followed")

    def parse_post(self, response, kind: str, aliases: tuple[str, ...] = ()):
        """A post page: the authority for the post's fields (an old URL's redirect is followed by hand).

        A page that is not recognisably the post (archiver.extract.recognise: a maintenance page, an empty 200,
        another site's page) is recorded as a failure, "not-the-post", and replaces nothing: its attempt is
        kept, but not as the URL's good copy. `fetched_at`, the post's `last_seen`, is when the request went
        out (now less Scrapy's download_latency): an edit published after it is seen by the next crawl.
        """
        if response.status in REDIRECT_STATUSES:
            yield from self.follow_redirect(response, aliases)
            return
        fetched_at = datetime.now(UTC) - timedelta(seconds=response.meta.get("download_latency") or 0)
        if response.status == NOT_MODIFIED:  # as archived: the store counts it seen
            yield replace(fetched_page(response, kind), fetched_at=fetched_at)
            return
        known_id = self.plan.known_id(response.url)
        extraction = page = None
        if isinstance(response, TextResponse):
            page = response_selector(response)
            extraction = extract_post(page, response.url, self.profiles, known_id=known_id) if page.type == "html" else None
            archived = self.plan.state.archived_post(response.url, extraction.fields["id"] if extraction else None)
            reason = not_the_post(recognise(page, response.url, extraction, len(response.body)), archived, known_id)
        else:
            reason = f"not an HTML page ({response.headers.get(b'Content-Type', b'no type').decode('latin-1')}), {len(response.body)} bytes"
        if reason:  # at an archived post's URL, a replacement refused (the post kept); else a page with no post
            yield replace(fetched_page(response, kind, error="not the post"), fetched_at=fetched_at)
            yield CrawlFailure(response.url, "not-the-post" if archived else "extraction", reason, response.status)
            return
        yield replace(fetched_page(response, kind), fetched_at=fetched_at)
        if extraction is None:
            yield CrawlFailure(response.url, "extraction", "no post found on the page (unknown theme or broken markup)")
            return
        if self.whole_blog:
            yield from self.follow([post for post in extract_neighbours(page, response.url) if self.plan.wants_post(post)])
        if self.counting:
            fields = extraction.fields
            self.census.add_post(response.url, fields["url"], aliases, fields["id"])
        if not self.in_scope(extraction.fields):
            self.crawler.stats.inc_value("archiver/posts/outside_categories")
            # Counted and said: on a blog whose footers we misread, this is where posts would go missing.
            names = ", ".join(category.name for category in extraction.fields["categories"])
            self.logger.warning("not archived, filed under other categories (%s): %s", names, response.url)
            return
        permalink = extraction.fields["url"]
        self.archived[urls.url_key(response.url)] = permalink
        old = [*aliases, *self.aliases.pop(urls.url_key(permalink), [])]
        yield Post(**extraction.fields, fetched_url=response.url, aliases=[u for u in old if u != permalink],
                   fetched_at=fetched_at)

    def follow_redirect(self, response, aliases: tuple[str, ...]):
        """An old post URL answering 3xx: fetch its target once and keep the old URL as an alias of it."""
        location = response.headers.get(b"Location", b"").decode("latin-1")
        target = urls.on_blog(location, response.url)
        old = [*aliases, urls.canonical_url(response.url)]
        failure = redirect_failure(response, location, target, old)
        if failure is not None:
            yield failure
            return
        key = urls.url_key(target)
        if key in self.archived:
            yield from (PostAlias(url=url, post_url=self.archived[key]) for url in old)
        elif key in self.seen:
            self.aliases.setdefault(key, []).extend(old)
        else:
            yield self.page_request(target, aliases=tuple(old))

    def crawl_scope(self) -> Scope | None:
        """The categories and tags this crawl covers (None: the whole blog)."""
        return None if self.whole_blog else Scope(frozenset(self.scope), frozenset(self.tag_scope))

    def in_scope(self, fields: dict) -> bool:
        """On a category or tag crawl, whether a post is filed under one of the crawled categories or carries one
        of the crawled tags (a post that names none of its categories, or tags, is in that scope)."""
        if self.whole_blog or not (self.scope or self.tag_scope):
            return True
        categories, tags = fields.get("categories") or [], fields.get("tags") or []
        filed = bool(self.scope) and (not categories or any(urls.category_slug(c.url) in self.scope for c in categories))
        tagged = bool(self.tag_scope) and (not tags or any(store.tag_slug(t.url, t.name) in self.tag_scope for t in tags))
        return filed or tagged

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
            yield CrawlFailure(request.url, "http", f"HTTP {response.status}", response.status, attempts=attempts)
        elif failure.check(IgnoreRequest):  # refused by robots.txt, off-site, ...: recorded with its own kind
            yield refusal_failure(request, failure.getErrorMessage())
        else:
            yield CrawlFailure(request.url, "download", download_reason(failure), attempts=attempts)

