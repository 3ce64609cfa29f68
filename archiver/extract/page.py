"""A post page as the field rules see it: the Selector, its permalink, its theme, and what the rules share.

What is shared is computed once, on first use (a page that the theme profile reads completely never
pays for it): the page's chrome (sidebars, menus, the cookie banner), the post's footer line (the one
with "Lien permanent"), its JSON-LD article, and document order.
"""

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
CHROME_NAMES = re.compile(
    r"(?:^|[\s_-])(?:side|sidebar|sidebars|widget|widgets|menu|nav|navbar|navigation|cookies?|banner)(?:$|[\s_-])",
    re.IGNORECASE,
)
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


# Containers that hold the post itself: never taken for chrome whatever their class says.
CONTENT_MARKS = etree.XPath(".//article|.//main|.//*[@id='p1']")
NAMED_ELEMENTS = etree.XPath("//*[@class or @id]")
# Chrome by tag, by the heading of its box, by the cookie banner's words. A text is a heading when
# "SEP<its normalised text>SEP" is in SEP<heading>SEP<heading>...SEP: one normalisation per text, not one
# per heading (SEP, a character no heading holds, is tested absent from the text first).
_SEP = "\u241e"
_HEADINGS = _SEP + _SEP.join(CHROME_HEADINGS + tuple(heading + " :" for heading in CHROME_HEADINGS)) + _SEP
CHROME_ELEMENTS = etree.XPath(
    "//nav | //aside"
    f" | //*[text()[not(contains(., '{_SEP}'))][contains({_quote(_HEADINGS)}, concat('{_SEP}', normalize-space(), '{_SEP}'))]]"
    "/following-sibling::*[1]"
    f" | //text()[contains(., 'utilisation')][{text_has(COOKIE_WORDS)}]/.."
)
# Links labelled "Lien permanent": first tested for a word the label holds (cheap), then compared.
PERMALINK_WORDS = ("permanent", "Permalien", "Permalink")
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
        """The lxml elements that are sidebars, menus, widgets or banners (not the post)."""
        root = self.sel.root
        found = {element for element in NAMED_ELEMENTS(root)
                 if CHROME_NAMES.search(f"{element.get('class') or ''} {element.get('id') or ''}")}
        found.update(CHROME_ELEMENTS(root))
        return frozenset(element for element in found if not CONTENT_MARKS(element))

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
        links = self.sel.xpath(PERMALINK_LINKS)
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
            except ValueError:
                continue
            for node in _ld_nodes(data):
                kinds = node.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if ARTICLE_TYPES.intersection(k for k in kinds if isinstance(k, str)):
                    return node
        return {}


def _ld_nodes(data):
    """Every object of a JSON-LD document (top level, lists and @graph)."""
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_nodes(data.get("@graph", []))


def ld_text(value) -> str | None:
    """A JSON-LD value as text: a string, or the name of a Person/Thing."""

    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return collapse(value) if isinstance(value, str) and value.strip() else None
