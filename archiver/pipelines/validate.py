"""Validate, the first item pipeline: a post without an id or a title is dropped, an absurd integer refused."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from archiver.items import ExtractionWarning, Post

# The post's integer fields, each with the largest value it may plausibly take (a note with more comments is
# a misreading); SQLite holds no integer outside a signed 64-bit one.
INTEGER_LIMITS = {"comments_count": 1_000_000}


class Validate:
    """Drop posts without the fields that make them a post (id, title), with the reason; refuse an integer
    value out of INTEGER_LIMITS (the field is None, with a "value-refused" warning), keeping the post.

    A post with a title and no text (an image, a video, an embed) is a post: extraction decides.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        missing = [name for name in ("id", "title") if not getattr(item, name)]
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
