"""Whether a fetched page is recognisably a post of the platform, and this post: pure checks, no archive."""

# The identity gate asks two things of a page before it may become a post or replace an archived one:
# - does it show the platform's post furniture (MARKERS: "Lien permanent", "Imprimer", "Catégories :", a
#   comment count, a print link, a theme profile that matched)? A maintenance page, a parked domain, a
#   captive portal, an empty 200 or another site's page does not;
# - does it say it is this post? What the page names as its own (its "Lien permanent", canonical and og:url
#   links, the post id its print link or forms reveal) must not name another post; and a page that is to
#   replace an archived post must show that it is this one: its permalink or id, the archived title, or
#   the theme that read it before (posts.extraction).
# The caller knows the archived post (spiders/category.py from the crawl state, archiver/crawl/reextract.py from
# the archive) and asks `not_the_post`; None means the page may be stored.

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from archiver import urls
from archiver.extract.fields.comments_count import COUNT_PATTERNS, NONE_YET, may_say_count
from archiver.extract.identity import CANONICAL_LINKS, page_post_id
from archiver.extract.page import PostPage
from archiver.extract.text import collapse

# What every note page of the platform shows in words (the README's "Themes": the platform's rules), as (words, marker's name).
MARKER_WORDS = (
    ("Lien permanent", "'Lien permanent'"), ("Permalien", "'Permalien'"), ("Imprimer", "'Imprimer'"),
    ("Catégories :", "'Catégories :'"), ("Publié dans", "'Publié dans'"), ("Écrit par", "'Écrit par'"),
    ("Ecrit par", "'Ecrit par'"),
)
# Links only the platform's pages carry: the print copy of a note, its search, its hosts.
MARKER_LINKS = ("/apps/print/", "/apps/search", "hautetfort.com", "blogspirit.")
LINKS = etree.XPath("//a/@href | //link/@href | //form/@action | //script/@src", smart_strings=False)  # strings, read from lxml
# Headings whose link may name the page's own permalink (the title's link): evidence for, never against.
HEADING_LINKS = "//h1/a/@href | //h2/a/@href | //h3/a/@href"
TITLE_SHOWN = 60  # characters of a title a reason quotes


@dataclass(frozen=True)
class Archived:
    """What the archive holds of a post, as the gate compares a page with it (a store.KnownPage has the same)."""

    post_id: str
    url: str
    title: str | None = None
    extraction: str | None = None  # the theme profile that read it ("generic": none did)


@dataclass(frozen=True)
class PageIdentity:
    """What a fetched page shows of itself."""

    url: str
    size: int  # bytes
    markers: tuple[str, ...]  # the platform's post furniture found (names from MARKER_WORDS, links, "theme X")
    permalinks: tuple[str, ...]  # the URLs the page names as its own: "Lien permanent", canonical, og:url
    ids: tuple[str, ...]  # the post ids it reveals (print link, shortlink, comment form)
    self_links: tuple[str, ...]  # its title headings' links
    title: str | None
    theme: str | None  # the profile that read it, "generic", or None (no post read)


def recognise(page: Selector, url: str, extraction, size: int) -> PageIdentity:
    """What the page at `url` (`size` bytes; `extraction`: extract_post's answer, or None) shows of itself
    (nothing, if it is not HTML: an XML or JSON document)."""
    if page.type != "html":
        return PageIdentity(url, size, (), (), (), (), None, None)
    post_page = PostPage(page, urls.canonical_url(url), None)
    theme = extraction.method if extraction is not None else None
    link = post_page.permalink_link
    claimed = [link.attrib.get("href") if link is not None else None, *(page.css(query).get() for query in CANONICAL_LINKS)]
    permalinks, self_links = _absolute(claimed, url), _absolute(page.xpath(HEADING_LINKS).getall(), url)
    names_itself = _path(url) in {_path(own) for own in permalinks + self_links}  # then its ids are not needed
    return PageIdentity(
        url=url,
        size=size,
        markers=platform_markers(post_page, page) + ((f"theme {theme}",) if theme not in (None, "generic") else ()),
        permalinks=permalinks,
        ids=() if names_itself else tuple(filter(None, [page_post_id(page)])),
        self_links=self_links,
        title=(collapse(extraction.fields.get("title")) or None) if extraction is not None else None,
        theme=theme,
    )


def platform_markers(post_page: PostPage, page: Selector) -> tuple[str, ...]:
    """The platform's post furniture the page shows: its words, a comment count, its links."""
    text = post_page.text
    found = [name for words, name in MARKER_WORDS if words in text]
    if may_say_count(text) and (any(pattern.search(text) for pattern in COUNT_PATTERNS) or NONE_YET.search(text)):
        found.append("a comment count")
    links = " ".join(LINKS(page.root))
    return tuple(found + [f"link {marker}" for marker in MARKER_LINKS if marker in links])


def _absolute(hrefs, base: str) -> tuple[str, ...]:
    """The links as canonical absolute URLs (unusable ones left out), each once."""
    found = []
    for href in hrefs:
        try:
            absolute = urls.absolute_or_none(href, base)
            found.append(urls.canonical_url(absolute) if absolute else None)
        except ValueError:  # a malformed link names nothing
            continue
    return tuple(dict.fromkeys(filter(None, found)))


def _path(url: str) -> str:
    """A URL's canonical path (and query), whatever its host: the blog may have moved."""
    return "/" + urls.url_key(url).partition("/")[2]


@dataclass(frozen=True)
class Verdict:
    """How a page's own names compare with the post it should be."""

    agrees: str | None  # the name that says it is this post, if any
    contradicts: str | None  # the name that says it is another page, if none agrees


def compare(identity: PageIdentity, archived: Archived | None, known_id: str | None = None) -> Verdict:
    """Whether the page names itself as the post at its URL (or the archived one), or as another page."""
    paths = {_path(identity.url)} | ({_path(archived.url)} if archived else set())
    ids = {urls.post_id(identity.url), known_id, archived.post_id if archived else None} - {None}
    for url in identity.permalinks + identity.self_links:
        if _path(url) in paths or urls.post_id(url) in ids:
            return Verdict(f"permalink {url}", None)
    for post_id in identity.ids:
        if post_id in ids:
            return Verdict(f"post id {post_id}", None)
    against = [f"its permalink names another page ({url})" for url in identity.permalinks]
    against += [f"it names post id {post_id}" for post_id in identity.ids if ids]
    return Verdict(None, against[0] if against else None)


def not_the_post(identity: PageIdentity, archived: Archived | None, known_id: str | None = None) -> str | None:
    """Why the page may not be stored as the post (None: it may): "no post id, no permalink, no platform
    marker, title 'Maintenance', 159 bytes". `archived`: the post the archive holds at this URL, if any;
    `known_id`: the id the crawl knows for a permalink without one (the feed's)."""
    verdict = compare(identity, archived, known_id)
    same_title = archived is not None and identity.title is not None and identity.title == collapse(archived.title)
    same_theme = archived is not None and identity.theme not in (None, "generic") and identity.theme == archived.extraction
    shown = verdict.agrees or same_title or same_theme
    if identity.markers and not verdict.contradicts and (archived is None or shown):
        return None
    parts = [verdict.contradicts or ("no post id, no permalink" if not verdict.agrees else "")]
    parts.append("" if identity.markers else "no platform marker")
    title = f"title {quoted(identity.title)}" if identity.title else "no title"
    parts.append(title + (f" (archived {quoted(archived.title)})" if archived and archived.title and not same_title else ""))
    if archived and identity.theme and not same_theme:
        parts.append(f"theme {identity.theme} (archived {archived.extraction or 'unknown'})")
    parts.append(f"{identity.size} bytes")
    reason = ", ".join(part for part in parts if part)
    return reason if identity.theme is not None else f"no post found: {reason}"


def quoted(title: str | None) -> str:
    """A title as a reason quotes it: "'Maintenance'", cut at TITLE_SHOWN characters."""
    title = title or ""
    return f"'{title[:TITLE_SHOWN]}{'…' if len(title) > TITLE_SHOWN else ''}'"
