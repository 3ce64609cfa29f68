"""A listing page's own number, as the page says it (its title, its pager), never as its URL suggests."""

# On real blogs of the platform listing pages are numbered from zero in their URLs (`index-1.html` is
# titled "… - Page 2"); on others from one. Only the page's words tell: the title's "Page N" ("page N sur
# M"), the pager's current page (a number in the pager that is not a link: `span.current`, `strong`,
# `aria-current`, or bare text), and the numbers its pager's links show ("2", "3", "Page 4").

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from parsel import Selector

from archiver import urls

# "Cause toujours - Page 3", "politique - page 5 sur 12", "Page 2/7": the last one of the title wins.
TITLE_PAGE = re.compile(r"\b[Pp]age\s*(\d{1,5})(?:\s*(?:sur|/|of)\s*\d{1,5})?")
# A pager's text for one page: "3", "Page 3", "page 3".
PAGE_LABEL = re.compile(r"^(?:[Pp]age\s*)?(\d{1,5})$")
# Links whose text may be a page number (the exact test is PAGE_LABEL).
NUMBER_LINKS = etree.XPath(
    "//a[@href][translate(normalize-space(), '0123456789', '') = '' and normalize-space() != '']"
    " | //a[@href][starts-with(normalize-space(translate(., 'P', 'p')), 'page ')]"
)
# In a pager, what marks the current page.
CURRENT_MARKS = etree.XPath(
    ".//*[@aria-current and @aria-current != 'false']"
    " | .//*[not(ancestor-or-self::a)][contains(concat(' ', normalize-space(@class), ' '), ' current ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' active ') or self::strong or self::b or self::em]"
)
BARE_TEXTS = etree.XPath("text()", smart_strings=False)
WRAPPERS = ("li", "span")  # a pager link's own wrapper: the pager is the element around it
NUMBERINGS = {1: "from zero", 0: "from one"}  # offset (page number less URL index) -> its name


@dataclass(frozen=True)
class PageNumber:
    """What a listing page says of its place: its number, where it was read, the numbers its pager's links show."""

    url: str
    index: int | None                 # the URL's index-N (urls.listing_index), None for the bare first page
    number: int | None = None         # the page's own number, as it says it; None when it does not say
    source: str | None = None         # "title" or "pager"
    said: str | None = None           # the words it was read from ("Cause toujours - Page 3")
    links: dict[str, int] = field(default_factory=dict)  # {canonical URL: N} its pager's links show

    @property
    def offset(self) -> int | None:
        """The numbering this page shows: its number less its URL's index (1: from zero, 0: from one)."""
        return self.number - self.index if self.number is not None and self.index is not None else None

    def evidence(self) -> list[tuple[int, str, int, str]]:
        """Each numbering this page shows, as (offset, URL, number, what said it): its own, then its pager links'."""
        own = [(self.offset, self.url, self.number, self.source)] if self.offset is not None else []
        return own + [(number - urls.listing_index(link), link, number, "pager link")
                      for link, number in self.links.items() if urls.listing_index(link) is not None]


def numbering_name(offsets) -> str:
    """What offsets say of a blog's numbering: "from zero", "from one", "unknown" or "contradictory"."""
    found = set(offsets)
    if len(found) > 1:
        return "contradictory"
    return NUMBERINGS.get(next(iter(found)), "offset {}".format(*found)) if found else "unknown"


def read_page_number(page: Selector, url: str) -> PageNumber:
    """The page's own number (title first, then the pager's current page) and its pager's link numbers."""
    here, family = urls.canonical_or_none(url) or url, urls.listing_family(url)
    pager_links = _pager_links(page, url, here, family) if family is not None else []
    links = {target: number for target, number, _ in pager_links}
    found = _title_number(page) or _pager_current([element for _, _, element in pager_links])
    number, source, said = found or (None, None, None)
    return PageNumber(here, urls.listing_index(here), number, source, said, links)


def _title_number(page: Selector) -> tuple[int, str, str] | None:
    """(N, "title", title) from a title saying "… - Page N", else None."""
    title = " ".join((page.xpath("string(//title)").get() or "").split())
    found = TITLE_PAGE.findall(title)
    return (int(found[-1]), "title", title) if found else None


def _pager_links(page: Selector, url: str, here: str, family: tuple) -> list[tuple[str, int, etree._Element]]:
    """The links of the page to other pages of its listing whose text is a page number: (URL, N, element)."""
    found = []
    for element in NUMBER_LINKS(page.root) if page.type == "html" else ():
        label = PAGE_LABEL.match(" ".join(" ".join(element.itertext()).split()))
        target = urls.on_blog(element.get("href"), url) if label else None
        if target and target != here and urls.listing_family(target) == family:
            found.append((target, int(label[1]), element))
    return found


def _pager_current(links: list[etree._Element]) -> tuple[int, str, str] | None:
    """(N, "pager", what was read) from the pager around these links: its marked current page, else a number
    that stands in it as bare text; None when the page has no numbered pager."""
    if not links:
        return None
    pager = _around(links)
    for element in CURRENT_MARKS(pager):
        label = PAGE_LABEL.match(" ".join(" ".join(element.itertext()).split()))
        if label:
            return int(label[1]), "pager", f"<{element.tag}>{label[0]}</{element.tag}>"
    for text in BARE_TEXTS(pager):
        numbers = [word for word in text.split() if PAGE_LABEL.match(word)]
        if len(numbers) == 1:
            return int(numbers[0]), "pager", f"{numbers[0]} (not a link)"
    return None


def _around(links: list[etree._Element]) -> etree._Element:
    """The pager: the nearest element holding every numbered link, above their own <li>/<span> wrappers."""
    pager = links[0].getparent()
    while pager is not None and (pager.tag in WRAPPERS or not all(_inside(link, pager) for link in links)):
        if pager.getparent() is None:
            break
        pager = pager.getparent()
    return pager if pager is not None else links[0]


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    """Whether `element` is `ancestor` or one of its descendants."""
    return element is ancestor or any(parent is ancestor for parent in element.iterancestors())
