"""How one blog numbers its listing pages, learnt by the crawl from the pages that say their number.

Each listing page that says its number ("… - Page 3", the pager's current page) at an `index-N.html` URL
shows an offset: the number said less the URL's index (1 when the blog numbers from zero, as real blogs
of the platform do: index-1.html is page 2; 0 when it numbers from one). So does each pager link whose
text is a number. One offset is the blog's numbering; two are a contradiction, which the crawl names (a
loss of the run: its censuses cannot be trusted), never a guess. No offset at all: nothing is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from archiver.extract.page_number import PageNumber, numbering_name


@dataclass(frozen=True)
class Evidence:
    """One page whose number and URL index show an offset, and what said it."""

    url: str
    number: int
    source: str  # "its title", "its pager", "the pager link on URL"

    def __str__(self) -> str:
        return f"{self.url} is page {self.number} ({self.source})"


class Numbering:
    """The offsets a blog's listing pages showed, each with the first page that showed it."""

    def __init__(self):
        self.offsets: dict[int, Evidence] = {}

    def learn(self, page: PageNumber) -> None:
        """Note the offsets one listing page shows: its own (number said less index) and its pager links'."""
        for offset, url, number, source in page.evidence():
            where = f"its {source}" if url == page.url else f"the {source} on {page.url}"
            self.offsets.setdefault(offset, Evidence(url, number, where))

    @property
    def offset(self) -> int | None:
        """The blog's offset when its pages showed exactly one; else None (nothing known, or a contradiction)."""
        return next(iter(self.offsets)) if len(self.offsets) == 1 else None

    def contradiction(self) -> str | None:
        """What two pages numbered two ways say, or None."""
        if len(self.offsets) < 2:
            return None
        first, second = list(self.offsets.values())[:2]
        return (f"the blog numbers its listing pages two ways: {first}, but {second}; "
                "which page is which is unknown, so its posts cannot be counted")

    def describe(self) -> str:
        """"from zero (URL is page 2 (title))", "from one (...)", "unknown (...)" or "contradictory"."""
        name = numbering_name(self.offsets)
        if self.offset is None:
            return name + (" (no listing page said its number)" if name == "unknown" else "")
        return f"{name} ({self.offsets[self.offset]})"
