"""The one spelling of a blog URL, and a page's links read once each: canonical, on the blog or not, of what kind."""

from __future__ import annotations

import re
from functools import lru_cache
from hashlib import sha1
from typing import NamedTuple
from urllib.parse import quote_plus, urljoin, urlsplit, urlunsplit

from archiver.blog_hosts import blog_hostnames, host_of, same_blog_host, same_host  # noqa: F401 (urls.host_of(...))
from archiver.errors import MalformedURL
from archiver.page_kinds import (  # noqa: F401 (urls.page_kind(...) and the rest, as callers have always written them)
    CATEGORY_FIRST_PATH, MAX_PAGE_DIGITS, MONTH_PATH, POST_PATH, RESERVED_SLUGS, category_slug_of_path, listing_index,
    listing_order, page_kind, page_kind_of_path, path_of, post_date, post_id, tag_name, tag_name_of_path,
)
from archiver.url_syntax import (  # noqa: F401 (malformed, shown: urls.malformed(...) as callers write it)
    MAX_URL_LENGTH, WEB_SCHEMES, clean_path, is_web_link, malformed, origin, shown, split,
)


class Link(NamedTuple):
    """A link of a page read against the page's URL (`resolve`)."""

    absolute: str  # as urljoin(page URL, href) spells it
    url: str  # its one spelling (`canonical_url`)
    kind: str  # `page_kind(url)`
    web: bool  # an http(s) URL that names a host (one the crawl could fetch)
    target: str | None  # where it leads on the page's blog, with the page's scheme and host (`on_blog`); None
    # off the blog, for "#..." and for the links of other schemes


def resolve(href: str, page_url: str | None = None) -> Link:
    """A link read against the page it is on, once: every question about a link is a plain look at this answer.

    ValueError for a link that is no URL (`url_syntax.split`, `url_syntax.clean_path`) or a page URL that is none.
    """
    return _resolved(href, _base_read_by(href, page_url) if page_url else "")


def _base_read_by(href: str, page_url: str) -> str:
    """What of the page's URL urljoin reads for this link: only its scheme and host when the link names its host,
    another scheme or a path from the root (`_reads_no_path`), so one answer serves every page; else all of it."""
    scheme, netloc = origin(page_url)
    return f"{scheme}://{netloc}/" if scheme and netloc and _reads_no_path(href, scheme) else page_url


def _reads_no_path(href: str, scheme: str) -> bool:
    """Whether urljoin reads no more than the scheme and host of a page of this scheme to join this link: one that
    names its host ("http://h/x", "//h/x"), another scheme ("mailto:x") or a path from the root ("/x"); not a
    relative path ("../x.html", "?page=2", "http:x", "//"). The two first tests are urlsplit's answer, sooner."""
    if href.startswith(("http://", "https://")) and href.partition("://")[2][:1].isalnum():  # a host
        return True
    if href.startswith("/") and not href.startswith("//"):  # a path from the root
        return True
    parts = urlsplit(href)
    return bool(parts.netloc or (parts.scheme and parts.scheme != scheme) or parts.path.startswith("/"))


# The one cache of links: a blog's pages repeat a few hundred links (sidebars, menus, pagers), each one entry for all
# pages. Without it the listing pages of the bench's replica are read 3x slower, its posts 1.5x (~20 us a link).
@lru_cache(maxsize=8192)
def _resolved(href: str, base: str) -> Link:
    """`resolve` of a link against the part of its page's URL it reads (`_base_read_by`; "" for none)."""
    absolute = urljoin(base, href) if base else href
    url = _canonical(absolute)
    web = urlsplit(url).scheme in WEB_SCHEMES and bool(urlsplit(absolute.strip()).hostname)
    leads = web and base and _leads_somewhere(href)
    return Link(absolute, url, page_kind(url), web, _target(href, absolute, url, base) if leads else None)


def _canonical(url: str) -> str:
    """The one spelling of an absolute URL (see `canonical_url`)."""
    scheme, netloc, path, query = split(url)
    path = clean_path(path)
    query = "&".join(p for p in query.split("&") if p and not p.startswith("utm_"))
    first = CATEGORY_FIRST_PATH.match(path)
    if first and first["slug"] not in RESERVED_SLUGS and path.endswith("/index.html"):  # never index-N.html
        path = path[: path.rindex("/") + 1]
    elif not query and re.fullmatch(r"/[^/.]+", path) and path.lstrip("/") not in RESERVED_SLUGS:
        path += "/"
    if page_kind_of_path(path) != "other":
        query = ""
    return urlunsplit((scheme, netloc, path, query, ""))


def _target(href: str, absolute: str, url: str, page_url: str) -> str | None:
    """Where a web link (absolute, and canonical: `url`) leads on the blog of the page at `page_url`: spelled with
    the page's scheme and host (or its www. twin's); None off the blog. A link that writes "http://" or
    "https://" is read as written, never joined to the page ("http:///x" names no host: it leads nowhere)."""
    if href.startswith(("http://", "https://")) and href.strip() != absolute:
        try:
            absolute, url = href.strip(), _canonical(href.strip())
        except ValueError:
            return None
    own, host = host_of(absolute), host_of(page_url)
    if len(absolute) > MAX_URL_LENGTH or not own or (own != host and not same_blog_host(own, host)):
        return None
    rest = url.split("://", 1)[1]
    if own != host:  # the other spelling of the blog's host: the page's spelling wins
        rest = host + rest[len(own):]
    return f"{page_url.split('://', 1)[0].lower()}://{rest}"


def canonical_url(url: str, base: str | None = None) -> str:
    """The one spelling of a blog URL: absolute, no fragment, no tracking or query on blog pages.

    The only function here that raises on what is no URL: MalformedURL (a ValueError, and a UsageError the CLI
    names) for a URL it cannot read (`url_syntax.split`) or longer than MAX_URL_LENGTH: a start URL a user
    typed. The others answer None, "other" or False for a link of a page that is none.
    """
    if len(url) > MAX_URL_LENGTH:
        raise MalformedURL(f"not a URL: {shown(url)} is {len(url):,} characters long (at most {MAX_URL_LENGTH:,})")
    try:
        return resolve(url, base).url
    except ValueError as error:
        raise MalformedURL(f"not a URL: {shown(url)} ({error})") from None


def canonical_or_none(url: str | None, base: str | None = None) -> str | None:
    """`canonical_url`, or None for a link it cannot read (or no link)."""
    try:
        return canonical_url(url, base) if url is not None else None
    except ValueError:
        return None


def on_blog(href: str | None, page_url: str) -> str | None:
    """A link of the page as the crawl should fetch it: canonical, same host, in the page's scheme; else None.

    http and https spellings of the blog's own URLs are one URL: the scheme the page was fetched with wins;
    so are its host with and without "www.": the page's host wins. None too for a malformed link.
    """
    if not href or len(href) > MAX_URL_LENGTH:
        return None
    try:
        return resolve(href.strip(), page_url).target
    except ValueError:
        return None


def _leads_somewhere(href: str) -> bool:
    """Whether a link may lead to a page: a web link (http(s), or relative), not "#..." on the page itself."""
    return not href.lstrip().startswith("#") and is_web_link(href)


def link_target(href: str, page_url: str) -> tuple[str | None, str]:
    """A link of a page: where it leads on the blog (`on_blog`) and the kind of page its href names
    (`page_kind` of `canonical_url(href, page_url)`); (None, "other") for a malformed link."""
    if len(href) > MAX_URL_LENGTH:
        return None, "other"
    try:
        link = resolve(href, page_url)
    except ValueError:
        return None, "other"
    return link.target if href == href.strip() else on_blog(href, page_url), link.kind


def absolute_or_none(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL for a link, or None for empty, javascript: and mailto: links, and malformed ones."""
    if not href or not href.strip() or len(href.strip()) > MAX_URL_LENGTH:
        return None
    href = href.strip()
    if href.startswith("#") or not is_web_link(href):  # javascript:, mailto:, data:, ...
        return None
    try:
        link = resolve(href, base)
    except ValueError:
        return None
    return link.absolute if link.web else None


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


def category_slug(url: str) -> str | None:
    """The slug of a category page URL (first page or page N), or None."""
    try:
        return category_slug_of_path(clean_path(urlsplit(canonical_url(url)).path))
    except ValueError:
        return None


def category_first_page(url: str) -> str:
    """The first page of the category a category page URL belongs to (the URL itself when it is one, or
    when it is no category page)."""
    if listing_index(url) is None or category_slug(url) is None:
        return url
    return canonical_url(f"/{category_slug(url)}/", url)


# Asked of every link of a listing page (is it this listing's next page?): without this cache reading the bench's
# listing pages takes 1.7x as long.
@lru_cache(maxsize=8192)
def listing_family(url: str) -> tuple[str, ...] | None:
    """What a listing page's pagination shares: ("category", slug), ("month", yyyy, mm), ("tag", name in lower
    case) or ("home",); else None."""
    path = path_of(url)
    if path is None:
        return None
    if page_kind_of_path(path) == "home":
        return ("home",)
    tag = tag_name_of_path(path)
    if tag is not None:
        return ("tag", tag.casefold())
    slug = category_slug(url)
    if slug is not None:
        return ("category", slug)
    month = MONTH_PATH.match(path)
    return ("month", month["year"], month["month"]) if month else None


def is_first_page(url: str) -> bool:
    """Whether a URL is a listing's bare first page ("/mali/", "/", a month's index.html): no index-N."""
    return listing_family(url) is not None and listing_index(url) is None


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
