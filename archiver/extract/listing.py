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


def _classified(hrefs: list[str], url: str) -> dict[str, str]:
    """Each distinct same-host link, canonical, mapped to its page kind, in page order."""
    host = urls.host_of(url)
    found: dict[str, str] = {}
    for href in dict.fromkeys(hrefs):
        absolute = urls.absolute_or_none(href, url)
        if absolute and urls.host_of(absolute) == host:
            canonical = urls.canonical_url(absolute)
            found.setdefault(canonical, urls.page_kind(canonical))
    return found


def _of_kind(links: dict[str, str], *kinds: str) -> list[str]:
    """The links of the given page kinds."""
    return [link for link, kind in links.items() if kind in kinds]


def extract_listing(page: Selector, url: str, profile: Profile | None) -> ListingLinks:
    """What to follow from a listing page: post links and pagination chosen by the theme's selectors."""
    every_link = _classified(_hrefs(page, (ALL_LINKS,)), url)
    post_queries = profile.selectors("listing", "posts") if profile else ()
    page_queries = profile.selectors("listing", "pagination") if profile else ()
    post_links = _classified(_hrefs(page, post_queries), url) if post_queries else every_link
    page_links = _classified(_hrefs(page, page_queries), url) if page_queries else every_link
    family, here = urls.listing_family(url), urls.canonical_url(url)
    return ListingLinks(
        posts=_of_kind(post_links, "post"),
        pages=[
            link for link in _of_kind(page_links, "category", "month")
            if family is not None and link != here and urls.listing_family(link) == family
        ],
        categories=[link for link in _of_kind(every_link, "category") if urls.category_page_number(link) == 1],
        months=_of_kind(every_link, "month"),
    )
