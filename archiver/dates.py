"""French dates of the blog -> aware datetimes in Europe/Paris (fast path, dateparser fallback)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import dateparser

from archiver.folding import fold

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
PAGE_YEARS = range(1990, 2101)  # a page date outside these years is a misreading, not a date

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

_UNSIGNED = r"(?<!\d)(?<![^\w]-)(?<!^-)"  # not a number's tail, nor a negative number ("30-31 mars" is fine)
_TIME = r"(?:\s*(?:,|à|a|-|\||@)?\s*(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2})(?!\d))?"
WORDY_DATE = re.compile(
    _UNSIGNED + r"(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})(?!\d)" + _TIME
)
NUMERIC_DATE = re.compile(_UNSIGNED + r"(?<![/.])(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})(?!\d)" + _TIME)
ISO_DATE = re.compile(_UNSIGNED + r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)")
ISO_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?", re.I)
CLOCK_TIME = re.compile(r"(?<![\d/])(?P<hour>[01]?\d|2[0-3])\s*[:h]\s*(?P<minute>[0-5]\d)(?![\d/])")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but whitespace (\t \n \v \f \r)
NEGATIVE = re.compile(r"(?<!\w)-\d")  # "-5/-3/2022", which dateparser reads as 5 March (not the dashes of 2022-02-04)

DATEPARSER_SETTINGS = {
    "TIMEZONE": "Europe/Paris",  # explicit offsets in the text are converted to Paris wall time
    "RETURN_AS_TIMEZONE_AWARE": False,  # a Paris wall time, placed by `paris_time` (gaps, overlaps)
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def paris_time(wall: datetime, *, last: bool = False) -> datetime:
    """A Paris wall time (its tzinfo ignored) as the aware datetime of the instant it names, whose
    offset is Paris's true one. A time the spring change skips moves forward by the gap
    (27 March 2022 02:30 -> 03:30+02:00); a time the autumn change repeats is its first occurrence
    (30 October 2022 02:30 -> 02:30+02:00), or its second with `last`. Raises OverflowError or
    ValueError when the instant is outside what Python's dates hold."""
    first, second = wall.replace(tzinfo=PARIS, fold=0), wall.replace(tzinfo=PARIS, fold=1)
    repeated = first.utcoffset() > second.utcoffset()
    chosen = second if last and repeated else first  # in a gap, fold=0 reads the time with the earlier offset
    return chosen.astimezone(UTC).astimezone(PARIS)


def in_paris(moment: datetime | None) -> datetime | None:
    """`moment` in Paris (a naive one is a Paris wall time), or None when it cannot be placed there."""
    if not isinstance(moment, datetime):
        return None
    try:
        return moment.astimezone(UTC).astimezone(PARIS) if moment.tzinfo else paris_time(moment)
    except (OverflowError, ValueError):
        return None


def paris_wall_now(now: datetime | None = None) -> datetime:
    """The Paris wall time of `now` (default: the current time; naive: already a Paris wall time), naive:
    what relative dates ("hier", "il y a 3 jours") count from, whatever the machine's time zone."""
    moment = datetime.now(UTC) if now is None else now
    return moment.astimezone(PARIS).replace(tzinfo=None) if moment.tzinfo else moment


def _page_date(moment: datetime | None) -> datetime | None:
    """A date read from a page, in Paris, or None when it cannot be one (year outside PAGE_YEARS)."""
    placed = in_paris(moment)
    return placed if placed is not None and placed.year in PAGE_YEARS else None


def _readable(text: str | None) -> bool:
    """Whether a text may hold a date at all: a string with no control character."""
    return isinstance(text, str) and not CONTROL.search(text)


def _fold(text: str) -> str:
    """Folded (`folding.fold`) with whitespace collapsed (so 'Février' reads 'fevrier')."""
    return " ".join(fold(text).split())


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None) -> datetime | None:
    """An aware Paris datetime, or None when the parts are not a real date."""
    try:
        clock = time(int(hour), int(minute)) if hour is not None else time(0, 0)
        return _page_date(datetime.combine(date(year, month, day), clock))
    except ValueError:
        return None


def _fast_path(folded: str) -> datetime | None:
    """The formats the platform prints, without dateparser."""
    iso = ISO_DATE.search(folded.upper())
    if iso:
        value = _page_date(parse_iso(iso.group(0)))
        clock = None if len(iso.group(0)) > 10 else parse_clock(folded[iso.end():])  # "2022-02-04 à 10:30"
        return _page_date(datetime.combine(value.date(), clock)) if value and clock else value
    for wordy in WORDY_DATE.finditer(folded):
        if wordy["month"] in MONTHS:
            return _build(int(wordy["year"]), MONTHS[wordy["month"]], int(wordy["day"]), wordy["hour"], wordy["minute"])
    numeric = NUMERIC_DATE.search(folded)
    if numeric:
        return _build(int(numeric["year"]), int(numeric["month"]), int(numeric["day"]), numeric["hour"], numeric["minute"])
    return None


def parse_shown_date(text: str | None) -> datetime | None:
    """A date in one of the formats the platform prints, without dateparser (cheap enough to try on any text)."""
    return _fast_path(_fold(text)) if _readable(text) and any(c.isdigit() for c in text) else None


def parse_iso(text: str | None) -> datetime | None:
    """An ISO 8601 date or datetime, or None; naive values are Paris wall times (`paris_time`)."""
    if not _readable(text) or not ISO_TEXT.fullmatch(text.strip()):
        return None
    try:
        value = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    placed = in_paris(value)  # None when the instant is outside what Python's dates hold in UTC or Paris
    return value if value.tzinfo is not None and placed is not None else placed


def parse_french_date(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A French date as shown on the blog -> aware datetime (Europe/Paris), or None if it is not one.

    Never raises: absurd text (no such day, a year outside PAGE_YEARS, negative numbers, control
    characters) is not a date. Relative dates ("hier") count from `now` in Paris (`paris_wall_now`).

    >>> parse_french_date("vendredi, 04 février 2022").isoformat()
    '2022-02-04T00:00:00+01:00'
    """
    if not _readable(text) or not text.strip():
        return None
    folded = _fold(text)
    found = _fast_path(folded)
    if found is not None or NEGATIVE.search(folded) or not re.search(r"\d", folded) and not _has_relative_word(folded):
        return found
    return _dateparser(text, now=now)


def parse_shown_moment(text: str | None, *, now: datetime | None = None) -> datetime | date | None:
    """A French date as precisely as the text gives it: an aware datetime (Europe/Paris) when it shows the time
    of day, else the day itself, a `date` (never an invented midnight), or None.

    >>> parse_shown_moment("28/05/2013"), parse_shown_moment("28/05/2013 14:45").isoformat()
    (datetime.date(2013, 5, 28), '2013-05-28T14:45:00+02:00')
    """
    parsed = parse_french_date(text, now=now)
    return parsed.date() if parsed is not None and not has_clock(text) else parsed


def _has_relative_word(folded: str) -> bool:
    """Whether a text may be a relative date ('hier', 'aujourd'hui')."""
    return any(word in folded for word in ("hier", "aujourd", "avant-hier"))


def _dateparser(text: str, *, now: datetime | None) -> datetime | None:
    """The slow path: dateparser, always with languages=['fr'] (detection is ~1000x slower)."""
    settings = dict(DATEPARSER_SETTINGS, RELATIVE_BASE=paris_wall_now(now))
    try:
        value = dateparser.parse(text[:200], languages=["fr"], settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError) as error:
        logger.debug("dateparser failed on %r: %s", text, error)
        return None
    return _page_date(value)


def parse_clock(text: str | None) -> time | None:
    """The first hh:mm (or 'hh h mm') in a text, e.g. the footer '10:30 | Lien permanent'."""
    match = CLOCK_TIME.search(text) if _readable(text) else None
    return time(int(match["hour"]), int(match["minute"])) if match else None


def has_clock(text: str | None) -> bool:
    """Whether a date text also gives the time of day ('4 févr. 2022 à 10:30', an ISO datetime)."""
    return parse_clock(text) is not None or _readable(text) and bool(re.search(r"\dT\d", text))


def reconcile(published: datetime | None, url_day: date | None, clock: time | None = None) -> datetime | None:
    """The publication datetime: the page's date, with `clock` (a time of day shown elsewhere) applied.

    The day in a permalink is the day the note was *created*; the page's date wins whenever the page
    shows one. The permalink's day is only the fallback for a page that shows no date (or one outside
    PAGE_YEARS). The time of day is a Paris wall time, placed by `paris_time` (gaps, overlaps).
    """
    page = _page_date(published)
    day = page.date() if page is not None else url_day
    if page is not None and clock is None:
        return page
    if not isinstance(day, date):
        return None
    return _page_date(datetime.combine(day, clock or time(0, 0)))


def day_disagreement(published: datetime | None, url_day: date | None) -> str | None:
    """A note when the page's date is not the permalink's day (a note created one day, published another)."""
    page = _page_date(published)
    if page is None or not isinstance(url_day, date) or page.date() == url_day:
        return None
    return f"page date {page.date()} differs from permalink day {url_day} (the page's date is kept)"
