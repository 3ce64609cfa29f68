"""French dates of the blog -> aware datetimes in Europe/Paris (fast path, dateparser fallback)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import dateparser

from archiver.folding import fold

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip

_TIME = r"(?:\s*(?:,|à|a|-|\||@)?\s*(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2}))?"
WORDY_DATE = re.compile(
    r"(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})" + _TIME
)
NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})" + _TIME)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
CLOCK_TIME = re.compile(r"(?<![\d/])(?P<hour>[01]?\d|2[0-3])\s*[:h]\s*(?P<minute>[0-5]\d)(?![\d/])")

DATEPARSER_SETTINGS = {
    "TIMEZONE": "Europe/Paris",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def _fold(text: str) -> str:
    """Folded (`folding.fold`) with whitespace collapsed (so 'Février' reads 'fevrier')."""
    return " ".join(fold(text).split())


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None) -> datetime | None:
    """An aware Paris datetime, or None when the parts are not a real date."""
    try:
        clock = time(int(hour), int(minute)) if hour is not None else time(0, 0)
        return datetime.combine(date(year, month, day), clock, tzinfo=PARIS)
    except ValueError:
        return None


def _fast_path(folded: str) -> datetime | None:
    """The formats the platform prints, without dateparser."""
    iso = ISO_DATE.search(folded.upper())
    if iso:
        value = parse_iso(iso.group(0))
        clock = None if len(iso.group(0)) > 10 else parse_clock(folded[iso.end():])  # "2022-02-04 à 10:30"
        return value.replace(hour=clock.hour, minute=clock.minute) if value and clock else value
    for wordy in WORDY_DATE.finditer(folded):
        if wordy["month"] in MONTHS:
            return _build(int(wordy["year"]), MONTHS[wordy["month"]], int(wordy["day"]), wordy["hour"], wordy["minute"])
    numeric = NUMERIC_DATE.search(folded)
    if numeric:
        return _build(int(numeric["year"]), int(numeric["month"]), int(numeric["day"]), numeric["hour"], numeric["minute"])
    return None


def parse_shown_date(text: str | None) -> datetime | None:
    """A date in one of the formats the platform prints, without dateparser (cheap enough to try on any text)."""
    return _fast_path(_fold(text)) if text and any(c.isdigit() for c in text) else None


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date or datetime; naive values are taken as Paris time."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=PARIS) if value.tzinfo is None else value


def parse_french_date(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A French date as shown on the blog -> aware datetime (Europe/Paris), or None if it is not one.

    >>> parse_french_date("vendredi, 04 février 2022").isoformat()
    '2022-02-04T00:00:00+01:00'
    """
    if not text or not text.strip():
        return None
    folded = _fold(text)
    found = _fast_path(folded)
    if found is not None or not re.search(r"\d", folded) and not _has_relative_word(folded):
        return found
    return _dateparser(text, now=now)


def _has_relative_word(folded: str) -> bool:
    """Whether a text may be a relative date ('hier', 'aujourd'hui')."""
    return any(word in folded for word in ("hier", "aujourd", "avant-hier"))


def _dateparser(text: str, *, now: datetime | None) -> datetime | None:
    """The slow path: dateparser, always with languages=['fr'] (detection is ~1000x slower)."""
    settings = dict(DATEPARSER_SETTINGS)
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(PARIS).replace(tzinfo=None)
    try:
        value = dateparser.parse(text[:200], languages=["fr"], settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError) as error:
        logger.debug("dateparser failed on %r: %s", text, error)
        return None
    if value is None or not 1990 <= value.year <= 2100:
        return None
    return value.astimezone(PARIS)


def parse_clock(text: str | None) -> time | None:
    """The first hh:mm (or 'hh h mm') in a text, e.g. the footer '10:30 | Lien permanent'."""
    match = CLOCK_TIME.search(text or "")
    return time(int(match["hour"]), int(match["minute"])) if match else None


def has_clock(text: str | None) -> bool:
    """Whether a date text also gives the time of day ('4 févr. 2022 à 10:30', an ISO datetime)."""
    return parse_clock(text) is not None or bool(re.search(r"\dT\d", text or ""))


def reconcile(published: datetime | None, url_day: date | None, clock: time | None = None) -> datetime | None:
    """The publication datetime: the page's date, with `clock` (a time of day shown elsewhere) applied.

    The day in a permalink is the day the note was *created*; the page's date wins whenever the page
    shows one. The permalink's day is only the fallback for a page that shows no date.
    """
    if published is not None:
        published = published.astimezone(PARIS)
        return published.replace(hour=clock.hour, minute=clock.minute) if clock is not None else published
    if url_day is None:
        return None
    return datetime.combine(url_day, clock or time(0, 0), tzinfo=PARIS)


def day_disagreement(published: datetime | None, url_day: date | None) -> str | None:
    """A note when the page's date is not the permalink's day (a note created one day, published another)."""
    if published is None or url_day is None or published.astimezone(PARIS).date() == url_day:
        return None
    return f"page date {published.astimezone(PARIS).date()} differs from permalink day {url_day} (the page's date is kept)"
