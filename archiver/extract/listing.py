"""Links a listing page leads to (posts, its other pages, categories, months), and a post page's neighbours."""

# Listing pages are the category, month and home pages; posts are recognised by their permalink's shape.
# Each link of a page is read once (where it leads on the blog, what kind of page its href is); the XPath
# tests that need the markup run only on the few links whose URL could be kept.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree
from parsel import Selector

from archiver import urls
from archiver.extract.fields.comments_count import is_count_link
from archiver.extract.found import node_href
from archiver.extract.page import PostPage, pretest_words, text_has, text_is
from archiver.extract.profiles import Profile, select

# What a page presents as its pagination, whatever its classes: rel links, words, arrows, page numbers.
PAGINATION_WORDS = (
    "Suivant", "Suivant »", "Suivante", "Page suivante", "Précédent", "« Précédent", "Précédente",
    "Page précédente", "Notes plus anciennes", "Notes plus récentes", "Articles plus anciens",
    "Articles plus récents", "Notes précédentes", "Notes suivantes", "»", "«", "›", "‹", ">>", "<<",
)
PAGINATION_LINK = etree.XPath(
    "boolean(self::link[@rel='next' or @rel='prev' or @rel='previous']"
    " | self::a[contains(concat(' ', @rel, ' '), ' next ') or contains(concat(' ', @rel, ' '), ' prev ')]"
    " | self::a[{words}]"
    " | self::a[translate(normalize-space(), '0123456789', '') = '' and normalize-space() != ''])"
    .format(words=text_is(PAGINATION_WORDS))
)
# A post page's links to the notes before and after it.
NEIGHBOUR_WORDS = ("Note précédente", "Note suivante", "note précédente", "note suivante", "Article précédent",
                   "Article suivant")
NEIGHBOUR_LINK = etree.XPath(
    "boolean(self::link[@rel='next' or @rel='prev' or @rel='previous'] | self::a[@rel='next' or @rel='prev']"
    " | self::a[{words}])".format(words=text_has(NEIGHBOUR_WORDS, "normalize-space()"))
)
# Every neighbour label holds one of these: the links that may be neighbour links are found in one pass over
# the page, the exact test runs on those few.
NEIGHBOUR_MARKS = pretest_words(NEIGHBOUR_WORDS)
MAYBE_NEIGHBOUR_LINKS = etree.XPath(f"//link[@rel] | //a[@rel or {text_has(NEIGHBOUR_MARKS)}]")
# The <link rel> values of a page's neighbours (its other pages, the notes before and after it).
NEIGHBOUR_RELS = ("next", "prev", "previous")
# The sidebar's (or /archives') list of categories, known by its heading.
CATEGORY_BOX_HEADINGS = ("Catégories", "Catégories :", "Rubriques", "Thèmes")
CATEGORY_LABELS = ("Catégories :", "Catégorie :", "Publié dans", "Classé dans")
IS_CATEGORY_BOX = etree.XPath(f"boolean(preceding-sibling::*[1][text()[{text_is(CATEGORY_BOX_HEADINGS)}]])")
AFTER_CATEGORY_LABEL = etree.XPath(f"boolean(preceding-sibling::text()[{text_has(CATEGORY_LABELS)}])")
IN_POST_FOOTER = etree.XPath(f"boolean(ancestor::*[a[{text_is(('Lien permanent',))}]])")
# A link presents a listed post (rather than mentioning one in prose) when it is a title, a list item,
# a "Lien permanent" / "Lire la suite" link, or most of the text around it.
ENTRY_CONTAINERS = frozenset({"h1", "h2", "h3", "h4", "h5", "li", "td", "dt", "dd"})
ENTRY_LABELS = ("Lien permanent", "Lire la suite", "Permalien", "Lire la note")
TEXTS = etree.XPath(".//text()", smart_strings=False)
# Malformed links a listing names (its `malformed`); `malformed_count` counts them all.
MALFORMED_KEPT = 20


@dataclass
class ListingLinks:
    """Canonical, same-host URLs found on a listing page, each once, in page order."""

    posts: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)  # other permalinks: in bodies, in the sidebar
    pages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)  # the blog's /archives index (every category and month)
    # Links skipped because they are no URL (urls.malformed): the first MALFORMED_KEPT distinct hrefs as
    # written, in page order, and how many distinct ones the page holds.
    malformed: list[str] = field(default_factory=list)
    malformed_count: int = 0


class Link(NamedTuple):
    """An <a href> of a page, or a <link href> whose rel names a neighbour, that leads to the blog."""

    element: etree._Element
    target: str  # where it leads, canonical (urls.on_blog)
    kind: str  # the page kind of the href as written (canonical_url(href, page URL)); "" for a <link>


class PageLinks:
    """A page's links to the blog itself, in page order, each distinct href read once, and its malformed links."""

    def __init__(self, page: Selector, url: str):
        self.url = url
        self.targets: dict[str | None, str | None] = {None: None}  # href -> urls.on_blog(href, url)
        self.malformed: dict[str, None] = {}  # the hrefs that are no URL, in page order
        kinds: dict[str, str] = {}
        self.all: list[Link] = []
        for element in page.root.iter("a", "link"):
            href = element.get("href")
            if href is None:
                continue
            if element.tag == "a":
                if href not in kinds:
                    self.targets[href], kinds[href] = urls.link_target(href, url)
                    self._check(href)
                target, kind = self.targets[href], kinds[href]
            elif element.get("rel") in NEIGHBOUR_RELS:
                target, kind = self.target(href), ""
            else:
                continue
            if target:
                self.all.append(Link(element, target, kind))
        self.anchors = [link for link in self.all if link.element.tag == "a"]

    def target(self, href: str | None) -> str | None:
        """Where a link of the page leads on the blog (`urls.on_blog`), or None."""
        if href not in self.targets:
            self.targets[href] = urls.on_blog(href, self.url)
            self._check(href)
        return self.targets[href]

    def _check(self, href: str) -> None:
        """Note a link that leads nowhere because it is no URL (a link off the blog is not one)."""
        if self.targets[href] is None and urls.malformed(href, self.url):
            self.malformed[href] = None


def extract_listing(page: Selector, url: str, profile: Profile | None) -> ListingLinks:
    """What to follow from a listing page: its posts (by permalink shape), its pagination, categories, months."""
    links = PageLinks(page, url)
    on_blog = list(dict.fromkeys(link.target for link in links.anchors))
    permalinks = [link for link in links.anchors if link.kind == "post"]
    posts = listed_posts(page, url, profile, links, permalinks)
    listed = set(posts)
    found = ListingLinks(
        posts=posts,
        mentioned=[link for link in dict.fromkeys(link.target for link in permalinks) if link not in listed],
        pages=pagination(page, url, profile, links),
        categories=category_pages(links.anchors, on_blog),
        months=first_pages([link for link in on_blog if urls.page_kind(link) == "month"]),
        archives=[link for link in on_blog if urls.page_kind(link) == "archives"],
    )
    found.malformed, found.malformed_count = list(links.malformed)[:MALFORMED_KEPT], len(links.malformed)
    return found


def theme_links(page: Selector, profile: Profile | None, name: str, links: PageLinks) -> list[str]:
    """The distinct blog links that the theme's [listing] selectors of `name` find, selector after selector."""
    found = (links.target(href) for query in (profile.selectors("listing", name) if profile else ())
             for href in map(node_href, select(page, query)))
    return list(dict.fromkeys(link for link in found if link))


def listed_posts(page: Selector, url: str, profile: Profile | None, links: PageLinks,
                 permalinks: list[Link], post_page: PostPage | None = None) -> list[str]:
    """The posts a listing presents: its theme's post links, then the permalinks outside the chrome that present one
    (`post_page`: the page read as a PostPage, when the caller has one)."""
    theme = theme_links(page, profile, "posts", links)
    post_page = post_page or PostPage(page, urls.canonical_or_none(url) or url, profile)
    known, entries = set(theme), {}
    for link in permalinks:  # a link already found needs no second look
        if link.target not in known and link.target not in entries and presents_post(link.element) \
                and not _in_chrome(link.element, post_page.chrome):
            entries[link.target] = None
    return [link for link in dict.fromkeys(theme + list(entries)) if urls.page_kind(link) == "post"]


def _in_chrome(element: etree._Element, chrome: frozenset) -> bool:
    """Whether an element is one of the page's chrome elements (PostPage.chrome) or inside one."""
    return element in chrome or any(parent in chrome for parent in element.iterancestors())


def presents_post(link: etree._Element) -> bool:
    """Whether a permalink link presents a listed post (title, list item, 'Lien permanent', its comments link:
    'Commentaires (3)'), not prose."""
    text = " ".join(TEXTS(link)).strip()
    if any(label in text for label in ENTRY_LABELS) or is_count_link(text):
        return True
    parent = link.getparent()
    for element in (parent, *parent.iterancestors()) if parent is not None else ():
        tag = str(element.tag).lower()
        if tag in ENTRY_CONTAINERS:
            return True
        if tag in ("p", "div", "section", "article", "blockquote"):
            around = " ".join(" ".join(element.itertext()).split())
            return len(text) >= 0.5 * len(around)
    return False


def pagination(page: Selector, url: str, profile: Profile | None, links: PageLinks) -> list[str]:
    """The other pages of this listing that the page presents as its pagination, classified by URL."""
    family, here = urls.listing_family(url), urls.canonical_or_none(url)
    if family is None:
        return []

    def same_listing(link: str) -> bool:
        return link != here and urls.listing_family(link) == family

    theme = theme_links(page, profile, "pagination", links)
    presented = [link.target for link in links.all if same_listing(link.target) and PAGINATION_LINK(link.element)]
    return list(dict.fromkeys(link for link in theme + presented if same_listing(link)))


def first_pages(links: list[str]) -> list[str]:
    """One link per listing, in page order: its bare first page when linked, else its first page by URL
    (a month paginated /archives/2019/08/index-1.html, index-2.html... with no bare page)."""
    first: dict[tuple[str, ...], str] = {}
    for link in links:
        family = urls.listing_family(link)
        if family not in first or urls.listing_order(link) < urls.listing_order(first[family]):
            first[family] = link
    return list(first.values())


def category_pages(anchors: list[Link], on_blog: list[str]) -> list[str]:
    """Category pages the page vouches for: its category list (by heading), the links after 'Catégories :',
    the links of its posts' footers, then every /archives/category/ link; each as its first page."""
    candidates = [link for link in anchors if urls.page_kind(link.target) == "category"]
    in_box: dict = {}
    found: dict[str, None] = {}
    for test in (lambda element: _in_category_box(element, in_box), AFTER_CATEGORY_LABEL, IN_POST_FOOTER):
        for link in candidates:  # in this order; a link found is not tested again
            if link.target not in found and test(link.element):
                found[link.target] = None
    paged = [link for link in on_blog if "/archives/category/" in link]
    return list(dict.fromkeys(
        urls.category_first_page(link) for link in [*found, *paged] if urls.page_kind(link) == "category"
    ))


def _in_category_box(element: etree._Element, in_box: dict) -> bool:
    """Whether an element sits in a category list (the element after a "Catégories" heading).

    `in_box` remembers the answer for each ancestor on the way, so the links of one list climb it once.
    """
    climbed = []
    parent = element.getparent()
    while parent is not None and parent not in in_box:
        climbed.append(parent)
        parent = parent.getparent()
    inside = parent is not None and in_box[parent]
    for ancestor in reversed(climbed):
        inside = in_box[ancestor] = inside or IS_CATEGORY_BOX(ancestor)
    return inside


def extract_neighbours(page: Selector, url: str) -> list[str]:
    """The notes a post page links to as its previous and next ones (permalinks)."""
    here = urls.canonical_or_none(url)
    found = (urls.on_blog(element.get("href"), url) for element in MAYBE_NEIGHBOUR_LINKS(page.root)
             if NEIGHBOUR_LINK(element))
    return [link for link in dict.fromkeys(link for link in found if link)
            if link != here and urls.page_kind(link) == "post"]
