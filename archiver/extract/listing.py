"""Links a listing page (category, month, home) leads to: its posts, its other pages, categories."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector

from archiver import urls
from archiver.extract.fields import node_href
from archiver.extract.profiles import Profile, select

ALL_LINKS = "a[href], link[rel=next][href], link[rel=prev][href]"


@dataclass
class ListingLinks:
    """Canonical, same-host URLs found on a listing page, each once, in page order."""

    posts: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)


def _hrefs(page: Selector, queries: tuple[str, ...]) -> list[str]:
    """The href of every node matched by the queries."""
    return [href for query in queries for node in select(page, query) if (href := node_href(node))]


def _canonical_links(hrefs: list[str], url: str, kind: str) -> list[str]:
    """Canonical same-host URLs of one page kind, deduplicated, in order."""
    found: dict[str, None] = {}
    for href in hrefs:
        absolute = urls.absolute_or_none(href, url)
        if absolute and urls.same_host(absolute, url) and urls.page_kind(absolute) == kind:
            found.setdefault(urls.canonical_url(absolute), None)
    return list(found)


def extract_listing(page: Selector, url: str, profile: Profile | None) -> ListingLinks:
    """What to follow from a listing page: post links and pagination chosen by the theme's selectors."""
    every_link = _hrefs(page, (ALL_LINKS,))
    post_queries = profile.selectors("listing", "posts") if profile else ()
    page_queries = profile.selectors("listing", "pagination") if profile else ()
    post_hrefs = _hrefs(page, post_queries) if post_queries else every_link
    page_hrefs = _hrefs(page, page_queries) if page_queries else every_link
    family = urls.listing_family(url)
    return ListingLinks(
        posts=_canonical_links(post_hrefs, url, "post"),
        pages=[
            link
            for kind in ("category", "month")
            for link in _canonical_links(page_hrefs, url, kind)
            if family is not None and urls.listing_family(link) == family and link != urls.canonical_url(url)
        ],
        categories=[link for link in _canonical_links(every_link, url, "category") if urls.category_page_number(link) == 1],
        months=_canonical_links(every_link, url, "month"),
    )
