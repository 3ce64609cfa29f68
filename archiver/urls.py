"""Canonical URLs of a Hautetfort blog: post ids, page kinds and one spelling per page."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from hashlib import sha1
from urllib.parse import urljoin, urlsplit, urlunsplit

POST_PATH = re.compile(
    r"^/archive/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[^/]+?)-(?P<id>\d+)\.html$"
)
CATEGORY_PAGE_PATH = re.compile(r"^/archives/category/(?P<slug>[^/]+)/index-(?P<page>\d+)\.html$")
CATEGORY_FIRST_PATH = re.compile(r"^/(?P<slug>[^/.]+)/(?:index\.html)?$")
MONTH_PATH = re.compile(r"^/archive/(?P<year>\d{4})/(?P<month>\d{2})/(?:index(?:-\d+)?\.html)?$")
FEED_PATHS = ("/atom.xml", "/index.rss", "/rss.xml")
HOME_PATHS = ("", "/", "/index.html")
ARCHIVES_PATHS = ("/archives", "/archives/", "/archives/index.html")

# Top-level folders of the platform that look like categories but are not.
RESERVED_SLUGS = frozenset({"archive", "archives", "apps", "admin", "list", "album", "media", "files"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def _split(url: str):
    """Split a URL, lower-casing scheme and host and dropping the default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return scheme, netloc, parts.path or "/", parts.query


def _clean_path(path: str) -> str:
    """Collapse repeated slashes and a trailing slash after a post's `.html`."""
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith(".html/"):
        path = path[:-1]
    return path


def canonical_url(url: str, base: str | None = None) -> str:
    """The one spelling of a blog URL: absolute, no fragment, no tracking or query on blog pages."""
    return _canonical(urljoin(base, url) if base else url)


@lru_cache(maxsize=65536)  # sidebars repeat the same links on every page
def _canonical(url: str) -> str:
    """canonical_url of an absolute URL."""
    scheme, netloc, path, query = _split(url)
    path = _clean_path(path)
    query = "&".join(p for p in query.split("&") if p and not p.startswith("utm_"))
    category = CATEGORY_PAGE_PATH.match(path)
    if category and int(category["page"]) <= 1:
        path = f"/{category['slug']}/"
    elif CATEGORY_FIRST_PATH.match(path) and path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif not query and re.fullmatch(r"/[^/.]+", path) and path.lstrip("/") not in RESERVED_SLUGS:
        path += "/"
    if page_kind_of_path(path) != "other":
        query = ""
    return urlunsplit((scheme, netloc, path, query, ""))


def page_kind_of_path(path: str) -> str:
    """What a path of the platform shows: post, category, month, home, archives, feed, print, other."""
    if POST_PATH.match(path):
        return "post"
    if path in HOME_PATHS:
        return "home"
    if path in ARCHIVES_PATHS:
        return "archives"
    if path in FEED_PATHS or path.endswith("/index.rss"):
        return "feed"
    if path.startswith("/apps/print/"):
        return "print"
    if MONTH_PATH.match(path):
        return "month"
    if CATEGORY_PAGE_PATH.match(path):
        return "category"
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS:
        return "category"
    return "other"


@lru_cache(maxsize=65536)
def page_kind(url: str) -> str:
    """What kind of page a URL is (see `page_kind_of_path`)."""
    return page_kind_of_path(_clean_path(urlsplit(url).path or "/"))


def post_id(url: str) -> str | None:
    """The platform's post id from a permalink ("6362153"), or None for other URLs."""
    match = POST_PATH.match(_clean_path(urlsplit(url).path))
    return match["id"] if match else None


def stable_id(url: str) -> str:
    """The post id when the URL carries one, else a stable hash of the canonical URL."""
    return post_id(url) or sha1(canonical_url(url).encode()).hexdigest()[:16]


def post_date(url: str) -> date | None:
    """The publication day written in a permalink (/archive/YYYY/MM/DD/...), or None."""
    match = POST_PATH.match(_clean_path(urlsplit(url).path))
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def category_slug(url: str) -> str | None:
    """The slug of a category page URL (first page or page N), or None."""
    path = _clean_path(urlsplit(canonical_url(url)).path)
    paged = CATEGORY_PAGE_PATH.match(path)
    if paged:
        return paged["slug"]
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS:
        return first["slug"]
    return None


def category_page_number(url: str) -> int:
    """Which page of its category a listing URL is (1 for the category's own URL)."""
    paged = CATEGORY_PAGE_PATH.match(_clean_path(urlsplit(url).path))
    return int(paged["page"]) if paged else 1


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """The host (and non-default port) of a URL, lower-cased: 'blog.example:8080'."""
    return _split(url)[1]


def same_host(url: str, other: str) -> bool:
    """Whether two URLs are on the same host (and port)."""
    return host_of(url) == host_of(other)


def absolute_or_none(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL for a link, or None for empty, javascript: and mailto: links."""
    if not href or not href.strip():
        return None
    href = href.strip()
    if href.lower().startswith(("javascript:", "mailto:", "#", "data:")):
        return None
    absolute = urljoin(base, href)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def listing_family(url: str) -> tuple[str, ...] | None:
    """What a listing page's pagination shares: ("category", slug) or ("month", yyyy, mm)."""
    path = _clean_path(urlsplit(url).path or "/")
    slug = category_slug(url)
    if slug is not None:
        return ("category", slug)
    month = MONTH_PATH.match(path)
    return ("month", month["year"], month["month"]) if month else None
