"""Pure extraction: a parsel Selector and its URL -> post fields (never network, engine or database).

Each field has its own module in `fields/` holding its whole cascade: the matched theme profile's
selectors first, then the platform's rules (what every Hautetfort template shows in words), then the
generic fallback. Each page is then checked against itself: disagreements become warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator
from parsel.selector import create_root_node

from archiver import urls
from archiver.extract.bad_links import malformed_link_notes
from archiver.extract.decode import page_text, xml_readable
from archiver.extract.fields.author import extract_author
from archiver.extract.fields.body import check_body, extract_body
from archiver.extract.fields.categories import check_categories, extract_categories
from archiver.extract.fields.comments import check_comments, extract_comments
from archiver.extract.fields.comments_count import extract_comments_count
from archiver.extract.fields.print_link import check_print_url, extract_print_url
from archiver.extract.fields.published import check_published, extract_published
from archiver.extract.fields.tags import check_tags, extract_tags
from archiver.extract.fields.title import extract_title
from archiver.extract.feeds import FeedEntry, extract_feed
from archiver.extract.found import Refused
from archiver.extract.identity import canonical_post_url, post_identity
from archiver.extract.listing import ListingLinks, extract_listing, extract_neighbours
from archiver.extract.page import PostPage
from archiver.extract.profiles import Profile, bundled_profiles, detect_profile, load_profiles
from archiver.items import ExtractionWarning

__all__ = [
    "Extraction",
    "FeedEntry",
    "ListingLinks",
    "Profile",
    "detect_profile",
    "extract_feed",
    "extract_listing",
    "extract_neighbours",
    "extract_post",
    "load_profiles",
    "page_selector",
    "page_text",
]

XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # what makes parsel read a text as XML
# Each field and the function that runs its cascade, in the order the fields are read.
FIELD_READERS = (
    ("title", extract_title),
    ("published", extract_published),
    ("author", extract_author),
    ("body", extract_body),
    ("print_url", extract_print_url),
    ("categories", extract_categories),
    ("tags", extract_tags),
    ("comments_count", extract_comments_count),
)


@dataclass
class Extraction:
    """What a post page yields: the Post fields, the method that found them and each field's source."""

    method: str
    fields: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)


class PageSelector(Selector):
    """A parsel Selector whose queries are compiled once per process, whose results are built without
    parsel's per-call checks, and kept: the same nodes, in the same order, as Selector.xpath and .css.
    (Extraction never changes a page's tree, so a query asked twice of a node has the same answer.)"""

    __slots__ = ("_found",)
    _queries: dict = {}  # XPath text -> etree.XPath
    _css: dict = {}  # CSS text -> XPath text
    _translator = HTMLTranslator()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._found: dict = {}  # XPath text -> the nodes it found here

    def xpath(self, query: str, namespaces=None, **kwargs) -> SelectorList:
        if namespaces is not None or kwargs or self.type != "html" or isinstance(self.root, str):
            return super().xpath(query, namespaces, **kwargs)
        found = self._found.get(query)
        if found is None:
            compiled = self._queries.get(query) or self._compile(query)
            try:
                result = compiled(self.root)
            except etree.XPathError as error:
                raise ValueError(f"XPath error: {error} in {query}") from error
            nodes = result if isinstance(result, list) else [result]
            found = self._found[query] = [self._node(node, query) for node in nodes]
        return SelectorList(found)

    def css(self, query: str) -> SelectorList:
        if self.type != "html":
            return super().css(query)
        xpath = self._css.get(query)
        if xpath is None:
            xpath = self._css[query] = by_attribute(self._translator.css_to_xpath(query))
        return self.xpath(xpath)

    @classmethod
    def _compile(cls, query: str) -> etree.XPath:
        """The query compiled as parsel compiles it (its EXSLT prefixes only when the query uses them)."""
        namespaces = {prefix: uri for prefix, uri in cls._default_namespaces.items() if f"{prefix}:" in query}
        compiled = cls._queries[query] = etree.XPath(query, namespaces=namespaces, smart_strings=False)
        return compiled

    @classmethod
    def _node(cls, root, query: str) -> "PageSelector":
        """What Selector(root=node, type="html") holds, without its checks."""
        node = cls.__new__(cls)
        node.root, node.type, node._expr, node._huge_tree, node._text = root, "html", query, True, None
        node.namespaces, node._found = dict(cls._default_namespaces), {}
        return node


# cssselect's any-element steps tested by one attribute ("[itemprop=author]", ".box-comment"): libxml2 tests
# the predicate on every element, while the attribute axis visits only the elements that carry it.
_STEP_END = r"(?=/|\s*\||$)"
ANY_WITH_VALUE = re.compile(r"\*\[@([\w-]+) = ('[^']*')\]" + _STEP_END)
ANY_WITH_CLASS = re.compile(
    r"\*\[@class and contains\(@class, ('[^']*')\) and contains\(concat\(' ', normalize-space\(@class\), ' '\), ('[^']*')\)\]"
    + _STEP_END
)


def by_attribute(xpath: str) -> str:
    """An XPath from cssselect with each `*[@a = 'v']` and `*[class test]` step rewritten as
    `*/@a[. = 'v']/..`: the same elements, in the same order."""
    xpath = ANY_WITH_VALUE.sub(r"*/@\1[. = \2]/..", xpath)
    return ANY_WITH_CLASS.sub(r"*/@class[contains(., \1) and contains(concat(' ', normalize-space(.), ' '), \2)]/..", xpath)


def page_selector(html: str | bytes, url: str = "", content_type: str | None = None) -> Selector:
    """A parsel Selector over an HTML document; bytes are decoded by `decode.page_text` (BOM, the
    HTTP charset from `content_type`, a <meta> charset, then detection).

    The tree is parsel's, built by lxml's own HTML parser rather than lxml.html's, whose element classes
    are looked up in Python for every node a query returns. A text parsel reads as XML is left to it; a JSON
    text (an API's error answer at a post's URL) is read as HTML, a page with no post, as every page is.
    """
    text = _encodable(page_text(html, content_type)) or "<html></html>"
    if XML_DECLARATION.match(text):
        return PageSelector(text=xml_readable(text), base_url=url)
    return PageSelector(root=create_root_node(text, etree.HTMLParser, base_url=url), type="html")


def _encodable(text: str) -> str:
    """A text lxml can read: a lone surrogate (only a str given as the page can hold one) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def extract_post(page: Selector, url: str, profiles: tuple[Profile, ...] | None = None,
                 known_id: str | None = None) -> Extraction | None:
    """The post on a page: each field by its cascade, then the page's self-checks.

    None when the page holds no post: neither title nor body text (or, on a page no theme matches, no body).
    A post with one of the two is returned, for the pipelines to drop with the reason. `known_id` is the
    id the crawl already knows for a permalink without one (the archive's, or the feed's): it wins over
    what the page reveals. Hostile markup never raises: a value that cannot be true is refused (a warning),
    a link that is no URL is skipped (a note).
    """
    profile = detect_profile(page, bundled_profiles() if profiles is None else profiles)
    post_page = PostPage(page, canonical_post_url(page, url), profile)
    found = {name: read(post_page) for name, read in FIELD_READERS}
    refusals = refused(found)
    count = found["comments_count"]
    found["comments"] = extract_comments(post_page, shown=count.value if count else None)
    if found["body"] is None and (found["title"] is None or profile is None):
        return None
    sources = {name: item.source for name, item in found.items() if item}
    values = {name: (item.value if item else None) for name, item in found.items()}
    body_html, body_text = values.pop("body") or (None, None)
    fields = {
        "id": urls.post_id(post_page.url) or known_id or post_identity(page, post_page.url),
        "url": post_page.url,
        **values,
        "categories": values["categories"] or [],
        "tags": values["tags"] or [],
        "comments": values["comments"] or [],
        "body_html": body_html,
        "body_text": body_text,
        "extraction": profile.name if profile else "generic",
        "sources": sources,
        "warnings": refusals + self_checks(post_page, values, body_text, sources),
        "notes": check_published(post_page, values["published"]) + malformed_link_notes(post_page),
    }
    return Extraction(method=fields["extraction"], fields=fields, sources=sources)


def refused(found: dict) -> list[ExtractionWarning]:
    """Each value a page gave that cannot be true (found.Refused) taken out of `found`, as an "absurd-number"
    warning quoting it."""
    warnings = []
    for name, item in found.items():
        if item is not None and isinstance(item.value, Refused):
            detail = f"the page says {urls.shown(item.value.said, 200)} ({item.source}): {item.value.why}"
            warnings.append(ExtractionWarning("absurd-number", name, detail))
            found[name] = None
    return warnings


def self_checks(page: PostPage, values: dict, body_text: str | None, sources: dict) -> list:
    """The page checked against itself: every disagreement between what it shows and what was read."""
    return [
        *check_comments(values["comments"] or [], values["comments_count"]),
        *check_print_url(page, sources),
        *check_categories(page, sources),
        *check_tags(page, sources),
        *check_body(page, body_text),
    ]
