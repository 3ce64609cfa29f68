"""What a path of a Hautetfort blog shows: a post, a listing (category, month, tag, home) and its page number, a feed."""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date
from urllib.parse import unquote_plus, urlsplit

from archiver.url_syntax import clean_path

# Listing pages are numbered up to 99,999 (a million posts at ten a page): a longer number, whatever a pager
# says ("index-99999999999999.html"), is not a page of the blog (kind "other"), so no crawl counts or reads it.
MAX_PAGE_DIGITS = 5
_PAGE = rf"(?P<page>\d{{1,{MAX_PAGE_DIGITS}}})"
# A note's permalink: /archive/YYYY/MM/DD/slug-1234567.html, or on older notes /archive/YYYY/MM/DD/slug.html
# (no id). The day is the day the note was created, not always the day it was published.
POST_PATH = re.compile(
    r"^/archive/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[^/]+?)(?:-(?P<id>\d{5,}))?\.html$"
)
CATEGORY_PAGE_PATH = re.compile(rf"^/archives/category/(?P<slug>[^/]+)/index-{_PAGE}\.html$")
CATEGORY_FIRST_PATH = re.compile(rf"^/(?P<slug>[^/.]+)/(?:index(?:-{_PAGE})?\.html)?$")
MONTH_PATH = re.compile(rf"^/archives?/(?P<year>\d{{4}})/(?P<month>\d{{2}})/(?:index(?:-{_PAGE})?\.html)?$")
HOME_PAGE_PATH = re.compile(rf"^/index-{_PAGE}\.html$")
# A tag's pages: /tag/salika+wenger first, then /archives/tag/Sarkozy/index-N.html (the name as the first page spells it).
TAG_FIRST_PATH = re.compile(r"^/tag/(?P<name>[^/]+)/?$")
TAG_PAGE_PATH = re.compile(rf"^/archives/tag/(?P<name>[^/]+)/(?:index(?:-{_PAGE})?\.html)?$")
# The paths that carry a listing's page number, in the order `listing_index` tries them.
LISTING_PATHS = (CATEGORY_PAGE_PATH, CATEGORY_FIRST_PATH, MONTH_PATH, HOME_PAGE_PATH, TAG_PAGE_PATH, TAG_FIRST_PATH)
FEED_PATHS = ("/atom.xml", "/index.rss", "/rss.xml")
HOME_PATHS = ("", "/", "/index.html")
ARCHIVES_PATHS = ("/archives", "/archives/", "/archives/index.html")

# Top-level folders of the platform that look like categories but are not.
RESERVED_SLUGS = frozenset({
    "archive", "archives", "apps", "admin", "list", "album", "media", "files", "tag", "tags", "backend",
})


def page_kind_of_path(path: str) -> str:
    """What a path of the platform shows: post, category, month, tag, home, archives, feed, print, other."""
    if POST_PATH.match(path):
        return "post"
    if path in HOME_PATHS or HOME_PAGE_PATH.match(path):
        return "home"
    if path in ARCHIVES_PATHS:
        return "archives"
    if path in FEED_PATHS or path.endswith("/index.rss"):
        return "feed"
    if path.startswith("/apps/print/"):
        return "print"
    if TAG_FIRST_PATH.match(path) or TAG_PAGE_PATH.match(path):
        return "tag"
    if MONTH_PATH.match(path):
        return "month"
    return "category" if category_slug_of_path(path) else "other"


def category_slug_of_path(path: str) -> str | None:
    """The slug a category page's path names (first page or page N), or None."""
    paged = CATEGORY_PAGE_PATH.match(path)
    if paged:
        return paged["slug"]
    first = CATEGORY_FIRST_PATH.match(path)
    return first["slug"] if first and first["slug"] not in RESERVED_SLUGS else None


def path_of(url: str) -> str | None:
    """The cleaned path of a URL ("/" when it has none), or None when the URL cannot be read."""
    try:
        return clean_path(urlsplit(url).path or "/")
    except ValueError:
        return None


# Asked of every link of every page, most of them the same few hundred: without this cache reading the bench's
# listing pages takes 1.8x as long.
@lru_cache(maxsize=8192)
def page_kind(url: str) -> str:
    """What kind of page a URL is (see `page_kind_of_path`); "other" for a URL that cannot be read."""
    path = path_of(url)
    return "other" if path is None else page_kind_of_path(path)


def post_id(url: str) -> str | None:
    """The platform's post id from a permalink ("6362153"), or None for other URLs."""
    match = POST_PATH.match(path_of(url) or "")
    return match["id"] if match else None


def post_date(url: str) -> date | None:
    """The publication day written in a permalink (/archive/YYYY/MM/DD/...), or None."""
    match = POST_PATH.match(path_of(url) or "")
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def listing_index(url: str) -> int | None:
    """The N of a listing page's "index-N.html" (category, month, home, tag), or None for its bare URL ("/mali/",
    "/", "/archive/2019/08/index.html") and for any other URL; never more than MAX_PAGE_DIGITS digits.

    Only an order of the pages of one listing: whether index-1.html is page 2 (numbering from zero, as on
    real blogs) or page 1 is what the pages say (archiver.extract.page_number), never the URL.
    """
    path = path_of(url) or ""
    for pattern in LISTING_PATHS:
        match = pattern.match(path)
        if match:
            page = match.groupdict().get("page")
            return int(page) if page is not None else None
    return None


def listing_order(url: str) -> tuple[int, int]:
    """A sort key of the pages of one listing by their URL: the bare first page, then index-0, index-1..."""
    index = listing_index(url)
    return (0, 0) if index is None else (1, index)


def tag_name_of_path(path: str) -> str | None:
    """The tag a tag page's path names, "+" and %-escapes decoded ("salika wenger"), or None."""
    match = TAG_FIRST_PATH.match(path) or TAG_PAGE_PATH.match(path)
    if not match:
        return None
    name = " ".join(unquote_plus(match["name"]).split())
    return name or None


def tag_name(url: str) -> str | None:
    """The tag a tag page URL names, either form ("/tag/salika+wenger", "/archives/tag/Sarkozy/index-3.html"),
    decoded, capitals kept; None for other URLs."""
    path = path_of(url)
    return None if path is None else tag_name_of_path(path)
