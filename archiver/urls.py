"""Canonical URLs of a Hautetfort blog: post ids, page kinds and one spelling per page.

Links come from pages nobody checked: only `canonical_url` raises (MalformedURL) on a link it cannot read
(url_syntax says which those are); every other function answers None, "other", 1 or False for it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from hashlib import sha1
from urllib.parse import quote_plus, unquote_plus, urljoin, urlsplit, urlunsplit

from archiver.errors import MalformedURL
from archiver.url_syntax import MAX_URL_LENGTH, is_web_link, malformed, shown
from archiver.url_syntax import clean_path as _clean_path
from archiver.url_syntax import split as _split

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
FEED_PATHS = ("/atom.xml", "/index.rss", "/rss.xml")
HOME_PATHS = ("", "/", "/index.html")
ARCHIVES_PATHS = ("/archives", "/archives/", "/archives/index.html")

# Top-level folders of the platform that look like categories but are not.
RESERVED_SLUGS = frozenset({
    "archive", "archives", "apps", "admin", "list", "album", "media", "files", "tag", "tags", "backend",
})
# Entries of each cache of link answers: a blog's pages repeat a few hundred links (sidebars, menus, pagers);
# a post's own address is read a few times in a row, then never again, so a larger cache only holds memory.
LINK_CACHE = 8192


def canonical_url(url: str, base: str | None = None) -> str:
    """The one spelling of a blog URL: absolute, no fragment, no tracking or query on blog pages.

    MalformedURL (a ValueError, and a UsageError the CLI names) for a URL it cannot read (`url_syntax.split`) or
    longer than MAX_URL_LENGTH: a start URL a user typed. Links of pages go through the functions below.
    """
    if len(url) > MAX_URL_LENGTH:
        raise MalformedURL(f"not a URL: {shown(url)} is {len(url):,} characters long (at most {MAX_URL_LENGTH:,})")
    try:
        return _canonical(_joined(base, url) if base else url)
    except ValueError as error:
        raise MalformedURL(f"not a URL: {shown(url)} ({error})") from None


def canonical_or_none(url: str | None, base: str | None = None) -> str | None:
    """`canonical_url`, or None for a link it cannot read (or no link)."""
    try:
        return canonical_url(url, base) if url is not None else None
    except ValueError:
        return None


def _joined(base: str, url: str) -> str:
    """`urljoin(base, url)`; cached for the links that read no more of the base than its scheme and host (most)."""
    origin = urlsplit(base) if base else None
    joined = _joined_at(url, origin.scheme, origin.netloc) if origin and origin.scheme and origin.netloc else None
    return joined if joined is not None else urljoin(base, url)


def _join_at(url: str, scheme: str, netloc: str) -> str | None:
    """`urljoin(base, url)` for any base of this scheme and host, when the URL names its host ("http://h/x",
    "//h/x"), another scheme ("mailto:x") or a path from the root ("/x"); else None (it reads the base's path).

    urljoin keeps a URL of another scheme as it is, rebuilds one that names its host from its own parts,
    and puts the base's host before a path from the root.
    """
    parts = urlsplit(url)
    if url and (parts.netloc or (parts.scheme and parts.scheme != scheme) or parts.path.startswith("/")):
        return urljoin(f"{scheme}://{netloc}/", url)
    return None


# The joins canonical_url asks for; link_target keeps its own answers (one cache entry per link, not two).
_joined_at = lru_cache(maxsize=LINK_CACHE)(_join_at)


@lru_cache(maxsize=LINK_CACHE)  # sidebars repeat the same links on every page
def _canonical(url: str) -> str:
    """canonical_url of an absolute URL."""
    scheme, netloc, path, query = _split(url)
    path = _clean_path(path)
    query = "&".join(p for p in query.split("&") if p and not p.startswith("utm_"))
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS and path.endswith("/index.html"):  # never index-N.html
        path = path[: path.rindex("/") + 1]
    elif not query and re.fullmatch(r"/[^/.]+", path) and path.lstrip("/") not in RESERVED_SLUGS:
        path += "/"
    if page_kind_of_path(path) != "other":
        query = ""
    return urlunsplit((scheme, netloc, path, query, ""))


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
    if CATEGORY_PAGE_PATH.match(path):
        return "category"
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS:
        return "category"
    return "other"


def _path_of(url: str) -> str | None:
    """The cleaned path of a URL ("/" when it has none), or None when the URL cannot be read."""
    try:
        return _clean_path(urlsplit(url).path or "/")
    except ValueError:
        return None


@lru_cache(maxsize=LINK_CACHE)
def page_kind(url: str) -> str:
    """What kind of page a URL is (see `page_kind_of_path`); "other" for a URL that cannot be read."""
    path = _path_of(url)
    return "other" if path is None else page_kind_of_path(path)


def post_id(url: str) -> str | None:
    """The platform's post id from a permalink ("6362153"), or None for other URLs."""
    match = POST_PATH.match(_path_of(url) or "")
    return match["id"] if match else None


def stable_id(url: str) -> str:
    """The post id when the URL carries one, else a stable hash of the canonical URL's path and query.

    The host and scheme are left out of the hash: the same note keeps its id when the blog moves
    from http to https or to another host.
    """
    if post_id(url):
        return post_id(url)
    try:
        parts = urlsplit(canonical_url(url))
    except ValueError:  # not a URL: the text itself
        return sha1(url.strip().encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return sha1((parts.path + (f"?{parts.query}" if parts.query else "")).encode()).hexdigest()[:16]


def url_key(url: str) -> str:
    """What identifies a blog page whatever its spelling: the canonical URL without its scheme (the text
    without its scheme for what is not a URL)."""
    try:
        return canonical_url(url).split("://", 1)[-1]
    except ValueError:
        return url.strip().split("://", 1)[-1]


def on_blog(href: str | None, page_url: str) -> str | None:
    """A link of the page as the crawl should fetch it: canonical, same host, in the page's scheme; else None.

    http and https spellings of the blog's own URLs are one URL: the scheme the page was fetched with wins;
    so are its host with and without "www.": the page's host wins. None too for a malformed link.
    """
    if not href or len(href) > MAX_URL_LENGTH:
        return None
    try:
        if href.startswith(("http://", "https://")):  # most links: absolute, the same on every page
            return _on_blog_absolute(href.strip(), page_url.split("://", 1)[0].lower(), host_of(page_url))
        absolute = absolute_or_none(href, page_url)
        return _on_blog_absolute(absolute, page_url.split("://", 1)[0].lower(), host_of(page_url)) if absolute else None
    except ValueError:
        return None


def link_target(href: str, page_url: str) -> tuple[str | None, str]:
    """A link of a page read once: where it leads on the blog (`on_blog`) and the kind of page its href names
    (`page_kind` of `canonical_url(href, page_url)`); (None, "other") for a malformed link."""
    if len(href) > MAX_URL_LENGTH:
        return None, "other"
    try:
        if page_url and href.startswith(("http://", "https://")):  # most links: the same answer on every page
            target = _absolute_link_target(href, *_page_origin(page_url))
            if target is not None:
                return target
        return on_blog(href, page_url), page_kind(canonical_url(href, page_url))
    except ValueError:
        return None, "other"


@lru_cache(maxsize=256)
def _page_origin(page_url: str) -> tuple[str, str, str, str]:
    """What links are read against: the page's scheme and host as on_blog reads them, and as urljoin does."""
    base = urlsplit(page_url)
    return page_url.split("://", 1)[0].lower(), host_of(page_url), base.scheme, base.netloc


@lru_cache(maxsize=LINK_CACHE)
def _absolute_link_target(href: str, scheme: str, host: str, base_scheme: str,
                          base_netloc: str) -> tuple[str | None, str] | None:
    """link_target of an http(s) link on the pages of this origin; None when urljoin reads more of the page's URL."""
    joined = _join_at(href, base_scheme, base_netloc) if base_scheme and base_netloc else None  # cached here
    if joined is None:
        return None
    return _on_blog_absolute(href.strip(), scheme, host), page_kind(_canonical(joined))


@lru_cache(maxsize=LINK_CACHE)
def _on_blog_absolute(absolute: str, scheme: str, host: str) -> str | None:
    """on_blog of an absolute URL, for a page fetched with this scheme from this host (or its www. twin)."""
    own = host_of(absolute)
    if own != host and not same_blog_host(own, host):
        return None
    canonical = canonical_url(absolute)
    rest = canonical.split("://", 1)[1]
    if own != host:  # the other spelling of the blog's host: the page's spelling wins
        rest = host + rest[len(own):]
    return f"{scheme}://{rest}"


def same_blog_host(host: str, other: str) -> bool:
    """Whether two hosts ('blog.example:8080') are one blog's: equal, or equal but for a leading "www."."""
    return host.removeprefix("www.") == other.removeprefix("www.")


def blog_hostnames(url: str) -> list[str]:
    """The host names a blog answers on, from one of its URLs: its own, and its www. twin (added or removed)."""
    try:
        name = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return []
    bare = name.removeprefix("www.")
    return sorted({bare, f"www.{bare}"}) if bare and not _is_address(bare) else [name]


def _is_address(host: str) -> bool:
    """Whether a host name is an IP address (no www. twin for those)."""
    return host.replace(".", "").isdigit() or ":" in host


def post_date(url: str) -> date | None:
    """The publication day written in a permalink (/archive/YYYY/MM/DD/...), or None."""
    match = POST_PATH.match(_path_of(url) or "")
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


@lru_cache(maxsize=LINK_CACHE)
def category_slug(url: str) -> str | None:
    """The slug of a category page URL (first page or page N), or None."""
    try:
        path = _clean_path(urlsplit(canonical_url(url)).path)
    except ValueError:
        return None
    paged = CATEGORY_PAGE_PATH.match(path)
    if paged:
        return paged["slug"]
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS:
        return first["slug"]
    return None


@lru_cache(maxsize=LINK_CACHE)
def category_first_page(url: str) -> str:
    """The first page of the category a category page URL belongs to (the URL itself when it is one, or
    when it is no category page)."""
    if listing_index(url) is None or category_slug(url) is None:
        return url
    return canonical_url(f"/{category_slug(url)}/", url)


@lru_cache(maxsize=LINK_CACHE)
def listing_index(url: str) -> int | None:
    """The N of a listing page's "index-N.html" (category, month, home, tag), or None for its bare URL ("/mali/",
    "/", "/archive/2019/08/index.html") and for any other URL; never more than MAX_PAGE_DIGITS digits.

    Only an order of the pages of one listing: whether index-1.html is page 2 (numbering from zero, as on
    real blogs) or page 1 is what the pages say (archiver.extract.page_number), never the URL.
    """
    path = _path_of(url) or ""
    for pattern in (CATEGORY_PAGE_PATH, CATEGORY_FIRST_PATH, MONTH_PATH, HOME_PAGE_PATH, TAG_PAGE_PATH, TAG_FIRST_PATH):
        match = pattern.match(path)
        if match:
            page = match.groupdict().get("page")
            return int(page) if page is not None else None
    return None


def listing_order(url: str) -> tuple[int, int]:
    """A sort key of the pages of one listing by their URL: the bare first page, then index-0, index-1..."""
    index = listing_index(url)
    return (0, 0) if index is None else (1, index)


def is_first_page(url: str) -> bool:
    """Whether a URL is a listing's bare first page ("/mali/", "/", a month's index.html): no index-N."""
    return listing_family(url) is not None and listing_index(url) is None


@lru_cache(maxsize=LINK_CACHE)
def host_of(url: str) -> str:
    """The host (and non-default port) of a URL, lower-cased: 'blog.example:8080'; "" for a URL that cannot be read."""
    try:
        return _split(url)[1]
    except ValueError:
        return ""


def same_host(url: str, other: str) -> bool:
    """Whether two URLs are on the same host (and port)."""
    return host_of(url) == host_of(other)


def absolute_or_none(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL for a link, or None for empty, javascript: and mailto: links, and malformed ones."""
    if not href or not href.strip():
        return None
    href = href.strip()
    if href.startswith("#") or not is_web_link(href) or malformed(href, base):  # javascript:, mailto:, data:, ...
        return None
    try:
        absolute = _joined(base, href)
    except ValueError:  # malformed(href, base) when the base itself cannot be read
        return None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


@lru_cache(maxsize=LINK_CACHE)
def listing_family(url: str) -> tuple[str, ...] | None:
    """What a listing page's pagination shares: ("category", slug), ("month", yyyy, mm), ("tag", name in lower
    case) or ("home",); else None."""
    path = _path_of(url)
    if path is None:
        return None
    if path in HOME_PATHS or HOME_PAGE_PATH.match(path):
        return ("home",)
    tag = _tag_name_of_path(path)
    if tag is not None:
        return ("tag", tag.casefold())
    slug = category_slug(url)
    if slug is not None:
        return ("category", slug)
    month = MONTH_PATH.match(path)
    return ("month", month["year"], month["month"]) if month else None


def _tag_name_of_path(path: str) -> str | None:
    """The tag a tag page's path names, "+" and %-escapes decoded ("salika wenger"), or None."""
    match = TAG_FIRST_PATH.match(path) or TAG_PAGE_PATH.match(path)
    if not match:
        return None
    name = " ".join(unquote_plus(match["name"]).split())
    return name or None


@lru_cache(maxsize=LINK_CACHE)
def tag_name(url: str) -> str | None:
    """The tag a tag page URL names, either form ("/tag/salika+wenger", "/archives/tag/Sarkozy/index-3.html"),
    decoded, capitals kept; None for other URLs."""
    path = _path_of(url)
    return None if path is None else _tag_name_of_path(path)


@lru_cache(maxsize=LINK_CACHE)
def tag_first_page(url: str) -> str:
    """The first page of the tag a tag page URL belongs to ("/tag/Sarkozy" for any page of Sarkozy), canonical;
    the URL itself when it is no tag page."""
    name = tag_name(url)
    if name is None:
        return url
    try:
        return canonical_url("/tag/" + quote_plus(name), url)
    except ValueError:
        return url
