"""The category spider's post pages: the post item, an old URL's redirect followed by hand, the crawl's scope.

A part of `CategorySpider` (spiders/category.py), which it reads through: the crawl's plan, census, scope and
what it has archived. Like the spider, it only routes: `archiver.extract` reads the page and says whether it is
the post.
"""

from __future__ import annotations

from dataclasses import replace

from scrapy.http import TextResponse

from archiver import store, urls
from archiver.crawl.extraction_worker import PostReading
from archiver.extract.recognise import not_the_post
from archiver.http_statuses import NOT_MODIFIED, REDIRECT_STATUSES
from archiver.items import CrawlFailure, Post, PostAlias
from spiders.responses import content_type, fetched_page, redirect_failure, sent_at


class PostPages:
    """The callbacks of post pages for CategorySpider: a post read, kept as it was (304), or redirected."""

    async def parse_post(self, response, kind: str, aliases: tuple[str, ...] = ()):
        """A post page: the authority for the post's fields (an old URL's redirect is followed by hand).

        Its extraction is awaited from the crawl's extraction worker (archiver/crawl/extraction_worker.py), which
        reads it in a process of its own or, failing that, here; route_post() then decides what the page gives.
        """
        known_id = reading = None
        if response.status not in (*REDIRECT_STATUSES, NOT_MODIFIED) and isinstance(response, TextResponse):
            known_id = self.plan.known_id(response.url)
            reading = await self.extraction.post(response.url, response.body, content_type(response), known_id,
                                                 self.whole_blog)
        for output in self.route_post(response, kind, aliases, reading, known_id):
            yield output

    def route_post(self, response, kind: str, aliases: tuple[str, ...], reading: PostReading | None,
                   known_id: str | None):
        """What a post page gives, from its reading (None: not a text page, a redirect or a 304).

        A page that is not recognisably the post (archiver.extract.recognise: a maintenance page, an empty 200,
        another site's page) is recorded as a failure, "not-the-post", and replaces nothing: its attempt is
        kept, but not as the URL's good copy. `fetched_at`, the post's `last_seen`, is when the request went
        out (now less Scrapy's download_latency): an edit published after it is seen by the next crawl.
        """
        if response.status in REDIRECT_STATUSES:
            yield from self.follow_redirect(response, aliases)
            return
        fetched_at = sent_at(response)
        if response.status == NOT_MODIFIED:  # as archived: the store counts it seen
            yield replace(fetched_page(response, kind), fetched_at=fetched_at)
            return
        extraction = archived = None
        if reading is not None:
            extraction = reading.extraction
            archived = self.plan.state.archived_post(response.url, extraction.fields["id"] if extraction else None)
            reason = not_the_post(reading.identity, archived, known_id)
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
            yield from self.follow([post for post in reading.neighbours if self.plan.wants_post(post)])
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

    def in_scope(self, fields: dict) -> bool:
        """On a category or tag crawl, whether a post is filed under one of the crawled categories or carries one
        of the crawled tags (a post that names none of its categories, or tags, is in that scope)."""
        if self.whole_blog or not (self.scope or self.tag_scope):
            return True
        categories, tags = fields.get("categories") or [], fields.get("tags") or []
        filed = bool(self.scope) and (not categories or any(urls.category_slug(c.url) in self.scope for c in categories))
        tagged = bool(self.tag_scope) and (not tags or any(store.tag_slug(t.url, t.name) in self.tag_scope for t in tags))
        return filed or tagged
