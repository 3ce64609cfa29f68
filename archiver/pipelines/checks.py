"""The item pipelines that check and tidy a post before it is stored: Validate, Clean, Deduplicate."""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from archiver.extract.text import collapse
from archiver.items import ExtractionWarning, Post
from archiver.terminal import CONTROL


class DuplicatePost(DropItem):
    """Raised by Deduplicate for a post already seen in this crawl (not an error)."""


class CountingPipeline:
    """A pipeline that counts what it does in the crawl's stats."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)


# The post's integer fields, each with the largest value it may plausibly take (a note with more comments is
# a misreading); SQLite holds no integer outside a signed 64-bit one.
INTEGER_LIMITS = {"comments_count": 1_000_000}


class Validate(CountingPipeline):
    """Drop posts without the fields that make them a post (id, title), with the reason; refuse an integer
    value out of INTEGER_LIMITS (the field is None, with a "value-refused" warning), keeping the post.

    A post with a title and no text (an image, a video, an embed) is a post: extraction decides.
    """

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        missing = [name for name in ("id", "title") if not ItemAdapter(item).get(name)]
        if missing:
            for name in missing:
                self.stats.inc_value(f"archiver/dropped/missing_{name}")
            raise DropItem(f"post without {' and '.join(missing)}", log_level="INFO")
        for name, limit in INTEGER_LIMITS.items():
            self.refuse_absurd(item, name, limit)
        return item

    def refuse_absurd(self, item: Post, name: str, limit: int) -> None:
        """Set a field to None, with a warning, unless it is None or an integer from 0 to `limit`."""
        value = getattr(item, name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit):
            return
        setattr(item, name, None)
        detail = f"{_shown(value)} refused: not an integer from 0 to {limit:,}"
        item.warnings.append(ExtractionWarning("value-refused", name, detail))
        self.stats.inc_value(f"archiver/refused/{name}")


def _shown(value, width: int = 40) -> str:
    """A value as a warning quotes it, cut at `width` characters."""
    try:
        text = repr(value) if not isinstance(value, int) else str(value)
    except ValueError:  # an integer longer than Python prints
        return "an integer of thousands of digits"
    return text if len(text) <= width else text[:width] + "…"


# ammonia's defaults (nh3.ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_URL_SCHEMES) keep a blog's markup and
# drop script, style, iframe, object, embed, form, svg, math, event handlers, style attributes and
# javascript:, vbscript: and data: URLs; but it checks the scheme of href, src, action and formaction only,
# not of the cite it keeps on blockquote, q, del and ins (tests/test_xss.py).
UNCHECKED_URL_ATTRIBUTES = frozenset({"cite"})
CITE_SCHEMES = frozenset({"", "http", "https"})  # "": a relative URL


def sanitise_html(html: str | None) -> str | None:
    """HTML a reader can open safely: no script, style, event handlers or javascript: URLs."""
    if not html:
        return html
    return nh3.clean(html, link_rel="noopener noreferrer", attribute_filter=_checked_url).strip()


def _checked_url(tag: str, attribute: str, value: str) -> str | None:
    """An attribute ammonia keeps (entities decoded), or None to drop a cite whose URL is not http(s) or relative."""
    if attribute not in UNCHECKED_URL_ATTRIBUTES:
        return value
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return None
    return value if scheme in CITE_SCHEMES else None


class Clean:
    """Sanitise HTML with nh3, collapse whitespace in one-line fields, and remove control characters (C0 and C1
    but tab and newline: what a terminal obeys) from every text field, after entities such as `&#27;` are decoded."""

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        item.title = one_line(item.title)
        item.author = one_line(item.author) or None
        item.body_text = without_controls(item.body_text)
        item.body_html = without_controls(sanitise_html(item.body_html))
        item.print_url = without_controls(item.print_url)
        for category in item.categories:
            category.name, category.url = one_line(category.name), without_controls(category.url)
        for comment in item.comments:
            comment.author = one_line(comment.author) or None
            comment.author_url = without_controls(comment.author_url)
            comment.body_text = without_controls(comment.body_text)
            comment.body_html = without_controls(sanitise_html(comment.body_html))
        for warning in item.warnings:
            warning.detail = without_controls(warning.detail)
        item.notes = [without_controls(note) for note in item.notes]
        return item


def without_controls(text: str | None) -> str | None:
    """The text without its control characters (archiver.terminal.CONTROL: all but tab and newline)."""
    return CONTROL.sub("", text) if text else text


def one_line(text: str | None) -> str:
    """A one-line field: whitespace collapsed (the control characters that are whitespace become spaces), no
    control character left."""
    return collapse(without_controls(collapse(text)))


class Deduplicate(CountingPipeline):
    """Store a post once per crawl however many URLs and categories lead to it."""

    def __init__(self, stats):
        super().__init__(stats)
        self.seen_ids: set[str] = set()

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        if item.id in self.seen_ids:
            self.stats.inc_value("archiver/posts/duplicate")
            raise DuplicatePost(f"post {item.id} already archived in this crawl", log_level="DEBUG")
        self.seen_ids.add(item.id)
        return item
