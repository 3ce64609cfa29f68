"""Which post a page is: its canonical permalink and its id (from the URL, else from what the page reveals)."""

from __future__ import annotations

import re

from parsel import Selector

from archiver import urls

# Where a page reveals the platform's id of a note whose permalink has none (older notes): the print
# link (/apps/print/1866121.html), a shortlink, the comment form, an Atom-style tag id.
PAGE_ID_RULES = (
    ("//a[contains(@href, '/apps/print/')]/@href", re.compile(r"/apps/print/(\d{5,})")),
    ("//link[@rel='shortlink']/@href", re.compile(r"(\d{5,})")),
    ("//input[@name='note_id' or @name='post_id' or @name='id_note']/@value", re.compile(r"^(\d{5,})$")),
    ("//form[contains(@action, 'comment')]/@action", re.compile(r"(\d{5,})")),
    ("//*[starts-with(@id, 'note-') or starts-with(@id, 'post-')]/@id", re.compile(r"^(?:note|post)-(\d{5,})$")),
)
CANONICAL_LINKS = ('link[rel="canonical"]::attr(href)', 'meta[property="og:url"]::attr(content)')


def canonical_post_url(page: Selector, url: str) -> str:
    """The post's permalink: the fetched URL if it is one, else <link rel=canonical> or og:url."""
    here = urls.canonical_or_none(url) or url  # the URL as given when it cannot be read (inspect of a file)
    if urls.page_kind(url) == "post":
        return here
    for query in CANONICAL_LINKS:
        href = urls.canonical_or_none(urls.absolute_or_none(page.css(query).get(), url))
        if href and urls.page_kind(href) == "post":
            return href
    return here


def page_post_id(page: Selector) -> str | None:
    """The platform id a page reveals for its note (the first rule that finds one), or None."""
    for query, pattern in PAGE_ID_RULES:
        for value in page.xpath(query).getall():
            match = pattern.search(value)
            if match:
                return match.group(1)
    return None


def post_identity(page: Selector, url: str) -> str:
    """The post's id: the permalink's, else the one the page reveals, else a stable hash of the permalink."""
    return urls.post_id(url) or page_post_id(page) or urls.stable_id(url)
