"""A post page as the field rules see it: the Selector, its permalink, its theme, and what the rules share."""

# What is shared is computed once, on first use (a page that the theme profile reads completely never
# pays for it): the page's chrome (sidebars, menus, the cookie banner), the post's footer line (the one
# with "Lien permanent"), its JSON-LD article, and document order.

from __future__ import annotations

import json
import re
from itertools import count
from dataclasses import dataclass
from functools import cached_property

from lxml import etree
from parsel import Selector

from archiver.extract.profiles import Profile
from archiver.extract.text import BLOCK_TAGS, collapse

PERMALINK_LABELS = ("Lien permanent", "Permalien", "Permalink")
# Class or id words of containers that are not the post: sidebars, menus, widgets, banners.
CHROME_WORDS = ("side", "sidebar", "sidebars", "widget", "widgets", "menu", "nav", "navbar", "navigation", "cookie",
                "cookies", "banner")
CHROME_NAMES = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(map(re.escape, CHROME_WORDS))})(?:$|[\s_-])", re.IGNORECASE)
# Sidebar boxes known by their heading: the element after the heading is not the post.
CHROME_HEADINGS = (
    "Notes récentes", "Derniers articles", "Articles récents", "Dernières notes", "Derniers commentaires",
    "Commentaires récents", "Catégories", "Rubriques", "Archives", "Liens", "Tags", "Mots-clés", "Mes amis",
)
COOKIE_WORDS = ("utilisation de cookies", "utilisation des cookies", "vous acceptez l'utilisation")


def text_is(labels: tuple[str, ...], what: str = "normalize-space()") -> str:
    """An XPath condition: `what` equals one of the labels."""
    return " or ".join(f"{what}={_quote(label)}" for label in labels)


def text_has(labels: tuple[str, ...], what: str = ".") -> str:
    """An XPath condition: `what` contains one of the labels."""
    return " or ".join(f"contains({what}, {_quote(label)})" for label in labels)


def _quote(text: str) -> str:
    """An XPath string literal."""
    return f'"{text}"' if '"' not in text else f"'{text}'"


def pretest_words(labels: tuple[str, ...]) -> tuple[str, ...]:
    """A label list's cheap pre-test: the longest word of each label (the later of two as long), less the words
    that hold another. Whatever holds a label, spaced as normalize-space() would change them, holds one of these."""
    words = dict.fromkeys(max(reversed(label.split()), key=len) for label in labels)
    return tuple(word for word in words if not any(other != word and other in word for other in words))


# Chrome by tag; and the containers of the post itself, never chrome whatever their class says.
CHROME_TAGS = frozenset({"nav", "aside"})
CONTENT_TAGS, CONTENT_ID = frozenset({"article", "main"}), "p1"
# Every CHROME_WORDS word holds one of these (lower case): an ASCII name without any is not chrome.
CHROME_NAME_WORDS = pretest_words(tuple(word.lower() for word in CHROME_WORDS))
# A text that holds one of the cookie banner's words (one regex: cheaper than a pre-test word, then the words).
COOKIE_TEXT = re.compile("|".join(map(re.escape, COOKIE_WORDS)))
BOX_HEADINGS = frozenset(CHROME_HEADINGS + tuple(heading + " :" for heading in CHROME_HEADINGS))
XML_SPACES = re.compile("[ \t\r\n]+")  # what XPath's normalize-space() collapses
# Links labelled "Lien permanent": first tested for a word the label holds (cheap), then compared.
PERMALINK_WORDS = pretest_words(PERMALINK_LABELS)
PERMALINK_LINKS = f"//a[{text_has(PERMALINK_WORDS)}][{text_is(PERMALINK_LABELS)}]"
ARTICLE_TYPES = {"BlogPosting", "Article", "NewsArticle", "Report", "WebPage", "SocialMediaPosting"}


@dataclass
class PostPage:
    """One fetched page read as a post: the Selector, its canonical URL and the theme that matched."""

    sel: Selector
    url: str
    profile: Profile | None

    @cached_property
    def chrome(self) -> frozenset:
        """The lxml elements that are sidebars, menus, widgets or banners (not the post): <nav> and <aside>,
        elements whose class or id says so, the element after a box heading ("Archives"), the parent of
        the cookie banner's words; none that holds an <article>, a <main> or the #p1 heading. One walk."""
        root = self.sel.root
        found, headings, marks = set(), [], []
        for node in root.iter():
            if isinstance(node.tag, str):
                names = node.get("class"), node.get("id")
                if node.tag in CHROME_TAGS or (names != (None, None) and _chrome_name(f"{names[0] or ''} {names[1] or ''}")):
                    found.add(node)
                if node.tag in CONTENT_TAGS or names[1] == CONTENT_ID:
                    marks.append(node)
                _read_text(node.text, node, found, headings)
            if node.tail and node is not root:  # a tail is a text of the parent
                _read_text(node.tail, node.getparent(), found, headings)
        found.update(sibling for heading in headings if (sibling := next(heading.itersiblings(etree.Element), None)) is not None)
        holding = {ancestor for mark in marks for ancestor in mark.iterancestors()}
        return frozenset(element for element in found if element not in holding)

    @cached_property
    def in_chrome(self) -> frozenset:
        """Every node inside the chrome, the chrome's own elements included (one set lookup per test)."""
        return frozenset(node for element in self.chrome for node in element.iter())

    def is_chrome(self, node) -> bool:
        """Whether a node (Selector or lxml element) sits in the page's chrome."""
        element = getattr(node, "root", node)
        return not isinstance(element, str) and element in self.in_chrome

    def content(self, nodes) -> list:
        """The nodes that are not in the page's chrome."""
        return [node for node in nodes if not self.is_chrome(node)]

    @cached_property
    def text(self) -> str:
        """Every text of the page in document order, as one string: what any element's text is part of."""
        return etree.tostring(self.sel.root, method="text", encoding="unicode")

    def shows(self, words: tuple[str, ...]) -> bool:
        """Whether the page's text holds one of the words (a page-wide query for them finds nothing if not)."""
        return any(word in self.text for word in words)

    @cached_property
    def permalink_link(self) -> Selector | None:
        """The post's "Lien permanent" link (when there are several, the first outside the chrome)."""
        if not self.shows(PERMALINK_WORDS):
            return None
        if self.sel.type != "html":
            links = self.sel.xpath(PERMALINK_LINKS)
        else:  # what PERMALINK_LINKS finds, read from lxml (each link's text built once, not once per label)
            links = [type(self.sel)(root=link, type="html") for link in self.sel.root.iter("a") if _is_permalink(link)]
        if len(links) > 1:
            links = self.content(links)
        return links[0] if links else None

    @cached_property
    def footer(self) -> Selector | None:
        """The post's footer or meta line: the block that holds its "Lien permanent" link."""
        link = self.permalink_link
        if link is None:
            return None
        for block in reversed(link.xpath("ancestor::*")):  # nearest first
            if str(block.root.tag).lower() in BLOCK_TAGS:
                return block
        return None

    def in_footer(self, node) -> bool:
        """Whether a node sits in the post's footer line."""
        element = getattr(node, "root", node)
        footer = self.footer.root if self.footer is not None else None
        return footer is not None and not isinstance(element, str) and (
            element is footer or any(parent is footer for parent in element.iterancestors()))

    @cached_property
    def order(self) -> dict:
        """Each element's position in the document."""
        return dict(zip(self.sel.root.iter(), count()))

    def before_footer(self, node) -> bool:
        """Whether a node comes before the post's "Lien permanent" link (or there is none)."""
        link = self.permalink_link
        element = getattr(node, "root", node)
        if link is None or isinstance(element, str):
            return True
        while element is not None and element not in self.order:
            element = element.getparent()
        return element is None or self.order[element] < self.order[link.root]

    @cached_property
    def ld(self) -> dict:
        """The first schema.org article object of the page's JSON-LD, or {}."""
        for raw in self.sel.css('script[type="application/ld+json"]::text').getall():
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
                continue
            for node in _ld_nodes(data):
                kinds = node.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if ARTICLE_TYPES.intersection(k for k in kinds if isinstance(k, str)):
                    return node
        return {}


def _is_permalink(link) -> bool:
    """Whether an <a>'s text (its XPath string value), normalised, is a PERMALINK_LABELS label."""
    text = link.text if len(link) == 0 else "".join(link.itertext())
    return bool(text) and any(word in text for word in PERMALINK_WORDS) and (
        XML_SPACES.sub(" ", text).strip(" ") in PERMALINK_LABELS)


def _chrome_name(names: str) -> bool:
    """Whether a "class id" string names chrome (CHROME_NAMES; an ASCII one is first tested for its words)."""
    if names.isascii() and not any(word in names.lower() for word in CHROME_NAME_WORDS):
        return False
    return CHROME_NAMES.search(names) is not None


def _read_text(text: str | None, parent, found: set, headings: list) -> None:
    """One text of `parent`: a box heading makes it a heading, the cookie banner's words make it chrome."""
    if not text:
        return
    words = text.split(None, 3)  # a heading has at most three words, whatever the spaces between them
    if len(words) < 4 and " ".join(words) in BOX_HEADINGS and XML_SPACES.sub(" ", text).strip(" ") in BOX_HEADINGS:
        headings.append(parent)
    if COOKIE_TEXT.search(text):
        found.add(parent)


def _ld_nodes(data):
    """Every object of a JSON-LD document (top level, lists and @graph), in document order."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.append(item.get("@graph", []))


def ld_text(value) -> str | None:
    """A JSON-LD value as text: a string, or the name of a Person/Thing."""

    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return collapse(value) if isinstance(value, str) and value.strip() else None
