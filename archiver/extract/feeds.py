"""The blog's feeds (Atom and RSS) -> their entries: permalink, platform id, published and updated times."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from parsel import Selector

from archiver import urls
from archiver.extract.decode import xml_readable

# Where an entry keeps each thing, Atom first, then RSS 2.0 (namespaces removed before reading).
ENTRIES = "//entry | //item"
LINKS = ("link[@rel='alternate']/@href", "link[not(@rel)]/@href", "link/text()", "guid/text()", "id/text()")
IDS = ("id/text()", "guid/text()")
PUBLISHED = ("published/text()", "pubDate/text()", "date/text()", "issued/text()")
UPDATED = ("updated/text()", "modified/text()")
# The platform's entry id: tag:HOST,YYYY-MM-DD:1866121 (the note's id, even when its permalink has none).
TAG_ID = re.compile(r"^tag:[^,]+,[^:]+:(\d{5,})$")


@dataclass(frozen=True)
class FeedEntry:
    """One post a feed lists. Times are ISO 8601 UTC to the second; `updated` falls back to `published`."""

    url: str
    post_id: str | None = None
    published: str | None = None
    updated: str | None = None


def extract_feed(body: bytes | str, url: str) -> list[FeedEntry]:
    """The posts a feed lists, in feed order, each once: only permalinks of the feed's own blog.

    Never raises: a document that is not a feed gives no entry.
    """
    return feed_entries(feed_document(body), url)


def feed_entries(document: Selector | None, url: str) -> list[FeedEntry]:
    """The posts a feed already read by `feed_document` lists (None: not a feed, no entry); as extract_feed."""
    if document is None:
        return []
    found: dict[str, FeedEntry] = {}
    for entry in document.xpath(ENTRIES):
        permalink = _permalink(entry, url)
        if permalink and permalink not in found:
            published = feed_time(_first(entry, PUBLISHED))
            found[permalink] = FeedEntry(
                url=permalink,
                post_id=urls.post_id(permalink) or _tag_id(entry),
                published=published,
                updated=feed_time(_first(entry, UPDATED)) or published,
            )
    return list(found.values())


def feed_document(body: bytes | str) -> Selector | None:
    """A feed as XML with its namespaces removed (`entry`, `subtitle`, `creator`), or None when it is not XML."""
    body = xml_readable(body)
    try:
        document = Selector(body=body, type="xml") if isinstance(body, bytes) else Selector(text=body, type="xml")
    except (ValueError, TypeError):
        return None
    document.remove_namespaces()
    return document


def _first(entry: Selector, queries: tuple[str, ...]) -> str | None:
    """The first non-empty text the queries find in an entry, stripped."""
    for query in queries:
        for value in entry.xpath(query).getall():
            if value.strip():
                return value.strip()
    return None


def _permalink(entry: Selector, feed_url: str) -> str | None:
    """The entry's permalink on the feed's blog (canonical), or None."""
    for query in LINKS:
        for href in entry.xpath(query).getall():
            link = urls.on_blog(href.strip(), feed_url)
            if link and urls.page_kind(link) == "post":
                return link
    return None


def _tag_id(entry: Selector) -> str | None:
    """The platform id in a tag: entry id or guid, or None."""
    for query in IDS:
        match = TAG_ID.match(entry.xpath(query).get("").strip())
        if match:
            return match.group(1)
    return None


def feed_time(text: str | None) -> str | None:
    """An Atom (RFC 3339) or RSS (RFC 822) time as ISO 8601 UTC to the second; None if unreadable, naive, or
    outside the years 1 to 9999 in UTC ("9999-12-31T23:59:59-01:00", a 20-digit year)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if moment.tzinfo is None:
        return None
    try:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except OverflowError:
        return None
