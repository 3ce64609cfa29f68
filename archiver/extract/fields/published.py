"""The publication datetime: the page's own date (theme, platform date line, metadata), else the permalink's day."""

# The day in a permalink is the day the note was created: the page's date wins, and a disagreement is a
# note on the post, not a warning.

from __future__ import annotations

from datetime import datetime, time

from archiver import dates, urls
from archiver.extract.found import Found, candidates, first_found, first_text
from archiver.extract.page import PostPage, text_has
from archiver.extract.text import element_text

DATE_LINE_MAX = 80  # a date line is short; longer texts are prose that may mention dates
PUBLISHED_WORDS = ("Publié", "publié", "Posté", "posté")
METADATA_DATES = (
    "[itemprop=datePublished]::attr(datetime)", "[itemprop=datePublished]::attr(content)",
    'meta[property="article:published_time"]::attr(content)', "time[datetime]::attr(datetime)",
)


def extract_published(page: PostPage) -> Found | None:
    """Aware datetime in Europe/Paris, to the minute when the page shows the time anywhere."""
    return first_found((
        lambda: profile_published(page),
        lambda: platform_published(page),
        lambda: generic_published(page),
        lambda: permalink_day(page),
    ))


def check_published(page: PostPage, published: datetime | None) -> list[str]:
    """Notes: the page's date and the permalink's day disagree (normal for notes published later)."""
    note = dates.day_disagreement(published, urls.post_date(page.url))
    return [note] if note else []


def _dated(text: str | None, page: PostPage, parsed: datetime | None = None) -> datetime | None:
    """A date text parsed, with the footer's time of day when the text has none."""
    parsed = parsed or (dates.parse_french_date(text) if text else None)
    if parsed is None:
        return None
    return dates.reconcile(parsed, None, None if dates.has_clock(text) else footer_clock(page))


def footer_clock(page: PostPage) -> time | None:
    """The time of day a footer starts with ('10:30 | Lien permanent'): the theme's, else the platform's."""
    found = first_text(page.sel, page.profile, "post", "time")
    if found:
        return dates.parse_clock(found.value.split("|")[0])
    if page.footer is not None:
        return dates.parse_clock(element_text(page.footer).split("Lien permanent")[0])
    return None


def profile_published(page: PostPage) -> Found | None:
    """The theme's date selectors."""
    for node, source in candidates(page.sel, page.profile, "post", "published"):
        parsed = _dated(element_text(node), page)
        if parsed is not None:
            return Found(parsed, source)
    return None


def platform_published(page: PostPage) -> Found | None:
    """A <time> before the post's footer, else the first short date line before it ('23/07/2025')."""
    for node in page.content(page.sel.xpath("//time")):
        if page.before_footer(node):
            text = node.attrib.get("datetime") or element_text(node)
            parsed = _dated(text, page)
            if parsed is not None:
                return Found(parsed, "platform: <time> before the footer")
            break
    short = f"text()[normalize-space()][string-length(normalize-space()) < {DATE_LINE_MAX}]"
    for parent in page.sel.xpath(f"//*[not(self::script or self::style or self::title or self::option)][{short}]"):
        for text in parent.xpath(f"./{short}").getall():
            parsed = dates.parse_shown_date(text)
            if parsed is not None and not page.is_chrome(parent) and page.before_footer(parent):
                return Found(_dated(text, page, parsed), "platform: date line")
    return None


def generic_published(page: PostPage) -> Found | None:
    """JSON-LD, microdata, article:published_time, <time datetime>, a French date near 'Publié'."""
    found = [(page.ld.get("datePublished"), "json-ld: datePublished")]
    found += [(page.sel.css(query).get(), f"metadata: {query}") for query in METADATA_DATES]
    words = f"//*[self::time or self::span or self::p or self::div or self::small][{text_has(PUBLISHED_WORDS)}]"
    for node in page.content(page.sel.xpath(words))[:20] if page.shows(PUBLISHED_WORDS) else ():
        found.append((" ".join(node.xpath("./text()").getall()) or element_text(node), "markup: date text"))
    for text, source in found:
        parsed = _dated(text, page) if isinstance(text, str) else None
        if parsed is not None:
            return Found(parsed, source)
    return None


def permalink_day(page: PostPage) -> Found | None:
    """The day in the permalink (the note's creation day): only when the page shows no date."""
    day = urls.post_date(page.url)
    return Found(dates.reconcile(None, day, footer_clock(page)), "permalink day") if day else None
