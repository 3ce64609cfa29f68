"""Extraction's one speed trick: a Selector that compiles each query once and keeps its answers (bench: 1.2-1.4x parsel's)."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator
from parsel.selector import create_root_node

# What plain parsel pays on every call, and this module pays once: cssselect's translation of a CSS query
# (css_xpath), lxml's compilation of an XPath (compiled), and the checks of Selector(root=node) for each node
# found (FastSelector._node). A page's answers are kept: extraction never changes a page's tree, so a query
# asked twice of a node has the same answer. tests/test_extraction_equivalence.py checks that every extract
# function reads the same from a plain `Selector(text)` as from a FastSelector. Measured with `make bench`'s
# extraction (benchmarks/extraction.py `ours`: extract, validate, clean) over the 307 post pages of a 300-post
# replica, page_selector against Selector(text=...) by interleaved chunks of 50 pages: 289 vs 209 posts/s (1.38x),
# then 1.28x and 1.23x on a busier machine (2026-12-07): without it, the 5.9x trafilatura of RESULTS.md would be ~4.5x.

# cssselect's any-element steps tested by one attribute ("[itemprop=author]", ".box-comment"): libxml2 tests
# the predicate on every element, while the attribute axis visits only the elements that carry it.
_STEP_END = r"(?=/|\s*\||$)"
ANY_WITH_VALUE = re.compile(r"\*\[@([\w-]+) = ('[^']*')\]" + _STEP_END)
ANY_WITH_CLASS = re.compile(
    r"\*\[@class and contains\(@class, ('[^']*')\) and contains\(concat\(' ', normalize-space\(@class\), ' '\), ('[^']*')\)\]"
    + _STEP_END
)
TRANSLATOR = HTMLTranslator()


def by_attribute(xpath: str) -> str:
    """An XPath from cssselect with each `*[@a = 'v']` and `*[class test]` step rewritten as
    `*/@a[. = 'v']/..`: the same elements, in the same order."""
    xpath = ANY_WITH_VALUE.sub(r"*/@\1[. = \2]/..", xpath)
    return ANY_WITH_CLASS.sub(r"*/@class[contains(., \1) and contains(concat(' ', normalize-space(.), ' '), \2)]/..", xpath)


@lru_cache(maxsize=None)
def css_xpath(query: str) -> str:
    """A CSS query as the XPath parsel runs for it, its one-attribute steps on the attribute axis (by_attribute)."""
    return by_attribute(TRANSLATOR.css_to_xpath(query))


@lru_cache(maxsize=None)
def compiled(query: str) -> etree.XPath:
    """An XPath compiled as parsel compiles it (its EXSLT prefixes only when the query uses them)."""
    namespaces = {prefix: uri for prefix, uri in Selector._default_namespaces.items() if f"{prefix}:" in query}
    return etree.XPath(query, namespaces=namespaces, smart_strings=False)


class FastSelector(Selector):
    """A parsel Selector over an HTML tree whose .xpath and .css find the same nodes, in the same order, as
    Selector's, through the caches above; its answers are kept per node."""

    __slots__ = ("_found",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._found: dict = {}  # XPath text -> the nodes it found here

    @classmethod
    def from_html(cls, text: str, url: str = "") -> "FastSelector":
        """A page's tree built by lxml's own HTML parser: lxml.html's (parsel's) looks up a Python class for
        every node a query returns."""
        return cls(root=create_root_node(text, etree.HTMLParser, base_url=url), type="html")

    def xpath(self, query: str, namespaces=None, **kwargs) -> SelectorList:
        if namespaces is not None or kwargs or self.type != "html" or isinstance(self.root, str):
            return super().xpath(query, namespaces, **kwargs)
        found = self._found.get(query)
        if found is None:
            try:
                result = compiled(query)(self.root)
            except etree.XPathError as error:  # as parsel says it
                raise ValueError(f"XPath error: {error} in {query}") from error
            nodes = result if isinstance(result, list) else [result]
            found = self._found[query] = [self._node(node, query) for node in nodes]
        return SelectorList(found)

    def css(self, query: str) -> SelectorList:
        return self.xpath(css_xpath(query)) if self.type == "html" else super().css(query)

    @classmethod
    def _node(cls, root, query: str) -> "FastSelector":
        """What Selector(root=node, type="html") holds, without its checks."""
        node = cls.__new__(cls)
        node.root, node.type, node._expr, node._huge_tree, node._text = root, "html", query, True, None
        node.namespaces, node._found = dict(cls._default_namespaces), {}
        return node
