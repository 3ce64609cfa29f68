"""The blog's identity (its name, description and author) from its home page, then from its feed.

Namesake of archiver.extract.identity, which says which post a page is; this module says which blog the site is.
Each field has a fixed order of rules, the home page's first (its metadata, then each theme's banner), then the
feed's, then, for the name, the home page's <title>: the first rule that finds a non-empty text wins.
"""

from __future__ import annotations

import re

from parsel import Selector

from archiver.extract.found import Found
from archiver.extract.text import collapse, element_text


def _class(name: str) -> str:
    """An XPath test: the element's class list holds `name` (XPath 1.0 has no class selector)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# (rule, XPath) on the home page, in order of preference. Classic and decorator themes: #banner's <h1> and, under
# it, an <h2> (classic) or p.description (decorator); modern: the box-site header; WordPress-like themes:
# .site-title and .site-description; <meta> tags first, when the page has them.
HOME_NAME = (
    ("meta og:site_name", "//meta[@property='og:site_name']/@content"),
    ("meta application-name", "//meta[@name='application-name']/@content"),
    ("classic, decorator: #banner h1", "//*[@id='banner']//h1"),
    ("modern: .box-site-title", f"//*[{_class('box-site-title')}]"),
    ("wordpress: .site-title", f"//*[{_class('site-title')}]"),
    ("drift: .blog-name", f"//*[{_class('blog-name')}]"),
)
HOME_DESCRIPTION = (
    ("meta description", "//meta[@name='description']/@content"),
    ("meta og:description", "//meta[@property='og:description']/@content"),
    ("classic: #banner h2", "//*[@id='banner']//h2"),
    ("decorator: #banner p.description", f"//*[@id='banner']//p[{_class('description')}]"),
    ("modern: .box-site-tagline", f"//*[{_class('box-site-tagline')}]"),
    ("wordpress: .site-description", f"//*[{_class('site-description')}]"),
    ("drift: the line after .blog-name", f"//*[{_class('blog-name')}]/following-sibling::p[1]"),
)
# The blog's author is named by its metadata only: a home page's bylines are its posts' authors.
HOME_AUTHOR = (
    ("meta author", "//meta[@name='author']/@content"),
    ("meta dc.creator", "//meta[@name='DC.creator' or @name='dc.creator']/@content"),
)
# The feed's own elements (namespaces removed, archiver.extract.feeds.feed_document), never its entries'.
FEED_NAME = (("atom: feed/title", "/feed/title"), ("rss: channel/title", "/rss/channel/title"))
FEED_DESCRIPTION = (("atom: feed/subtitle", "/feed/subtitle"), ("rss: channel/description", "/rss/channel/description"))
FEED_AUTHOR = (
    ("atom: feed/author/name", "/feed/author/name"),
    ("rss: channel/creator", "/rss/channel/creator"),
    ("rss: channel/managingEditor", "/rss/channel/managingEditor"),
)
HOME_TITLE = ("home page <title>", "//head/title")
PAGE_SUFFIX = re.compile(r"\s+-\s+Page\s+\d+$")  # "Cause toujours - Page 3": the home pagination's title
# The longest text kept for each field (a name, not a page): longer ones are cut, with an ellipsis.
LONGEST = {"name": 200, "description": 1000, "author": 120}
FIELDS = tuple(LONGEST)


def read_blog_identity(home: Selector | None, feed: Selector | None = None) -> dict:
    """{"name", "description", "author", "sources"}: each field by its rules (None when none finds it), and the
    rule that found each ("sources": field -> rule). Either page may be missing (None). Never raises."""
    found = {
        "name": first_text(home, HOME_NAME) or first_text(feed, FEED_NAME) or home_title(home),
        "description": first_text(home, HOME_DESCRIPTION) or first_text(feed, FEED_DESCRIPTION),
        "author": first_text(home, HOME_AUTHOR) or first_text(feed, FEED_AUTHOR),
    }
    return {
        **{name: bounded(item.value, LONGEST[name]) if item else None for name, item in found.items()},
        "sources": {name: item.source for name, item in found.items() if item},
    }


def first_text(page: Selector | None, rules: tuple[tuple[str, str], ...]) -> Found | None:
    """The first non-empty text (whitespace collapsed) a rule finds on the page, with the rule, or None."""
    if page is None:
        return None
    for source, query in rules:
        for node in page.xpath(query):
            text = element_text(node)
            if text:
                return Found(text, source)
    return None


def home_title(home: Selector | None) -> Found | None:
    """The home page's <title> without its " - Page N": on the platform, the blog's name."""
    found = first_text(home, (HOME_TITLE,))
    if found is None:
        return None
    name = collapse(PAGE_SUFFIX.sub("", found.value))
    return Found(name, found.source) if name else None


def bounded(text: str, longest: int) -> str:
    """The text, or its first `longest` characters (cut after a word when one ends near) and an ellipsis."""
    if len(text) <= longest:
        return text
    cut = text[: longest - 1]
    word = cut.rsplit(" ", 1)[0]
    return (word if len(word) > longest // 2 else cut).rstrip() + "…"
