"""A date a user types in a filter (ISO or French) -> the period it names, for --since / --until."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from dateparser.date import DateDataParser

from archiver.dates import PARIS, has_clock, parse_iso
from archiver.errors import UsageError

YEAR = re.compile(r"(?P<year>\d{4})")
YEAR_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ONE_SECOND = timedelta(seconds=1)
PARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}
MAX_DATE_LENGTH = 100  # characters: "il y a trois semaines" is 21; dateparser takes seconds on 100,000


def period(text: str, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The period a date names, as [start, end) aware datetimes: "2022" a year, "2022-02" or "février
    2022" a month, "2022-02-04" or "4 février 2022" a day (Paris days), "2022-02-04T10:30" or "4 février
    2022 à 10h30" one second. French words and relative dates ("hier", "il y a 3 jours") are read with
    dateparser (French only). Raises UsageError when the text is not a date, is too long to be one, or
    names a period Python's dates cannot hold in UTC (year 1 or 9999, "0000")."""
    value = " ".join(text.split())
    if len(value) > MAX_DATE_LENGTH:
        raise UsageError(f"not a date: {value[:40]!r}… ({len(value):,} characters)")
    try:
        start, end = _period(text, value, now)
        start.astimezone(UTC), end.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise UsageError(f"not a date: {text!r} ({error})") from error
    return start, end


def _period(text: str, value: str, now: datetime | None) -> tuple[datetime, datetime]:
    """The period of `value` (`text` with its spaces collapsed), as `period` reads it."""
    shaped = _iso_period(value)
    if shaped is not None:
        return shaped
    parsed = _parser(now).get_date_data(value)
    if parsed is None or parsed.date_obj is None:
        raise UsageError(f"not a date: {text!r} (try 2022-02-04, 2022-02, 2022, or « 4 février 2022 »)")
    moment = parsed.date_obj.replace(tzinfo=None)
    if parsed.period == "year":
        return _span(date(moment.year, 1, 1), date(moment.year + 1, 1, 1))
    if parsed.period == "month":
        return _span(date(moment.year, moment.month, 1), _next_month(moment.year, moment.month))
    if has_clock(value) or parsed.period == "time":
        start = moment.replace(second=0, microsecond=0, tzinfo=PARIS) if has_clock(value) else moment.replace(tzinfo=PARIS)
        return start, start + ONE_SECOND
    return _span(moment.date(), moment.date() + timedelta(days=1))


def since_bound(text: str, *, now: datetime | None = None) -> str:
    """The ISO UTC instant a --since date starts at (its period's first second)."""
    return utc_text(period(text, now=now)[0])


def until_bound(text: str, *, now: datetime | None = None) -> str:
    """The ISO UTC instant a --until date ends before (its period's end: the whole day, month or year is in)."""
    return utc_text(period(text, now=now)[1])


def utc_text(moment: datetime) -> str:
    """An aware datetime as the archive stores instants: ISO 8601 UTC to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _iso_period(value: str) -> tuple[datetime, datetime] | None:
    """The period of an ISO-shaped date (year, year-month, day, datetime), or None for other shapes."""
    if YEAR.fullmatch(value):
        year = int(value)
        return _span(date(year, 1, 1), date(year + 1, 1, 1))
    month = YEAR_MONTH.fullmatch(value)
    if month:
        year, number = int(month["year"]), int(month["month"])
        if not 1 <= number <= 12:
            raise UsageError(f"not a date: {value!r} (no month {number})")
        return _span(date(year, number, 1), _next_month(year, number))
    if ISO_DAY.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError as error:
            raise UsageError(f"not a date: {value!r} ({error})") from error
        return _span(day, day + timedelta(days=1))
    if ISO_DAY.match(value) and "T" in value.upper():
        moment = parse_iso(value)
        if moment is None:
            raise UsageError(f"not an ISO date or datetime: {value!r}")
        return moment, moment + ONE_SECOND
    return None


def _span(first: date, after: date) -> tuple[datetime, datetime]:
    """Midnight in Paris of the first day, and of the day after the last."""
    return datetime.combine(first, datetime.min.time(), PARIS), datetime.combine(after, datetime.min.time(), PARIS)


def _next_month(year: int, month: int) -> date:
    """The first day of the month after this one."""
    return date(year + month // 12, month % 12 + 1, 1)


def _parser(now: datetime | None) -> DateDataParser:
    """dateparser for French only (language detection is ~1000x slower), relative to `now` if given."""
    settings = dict(PARSER_SETTINGS)
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(PARIS).replace(tzinfo=None)
    return DateDataParser(languages=["fr"], settings=settings)
