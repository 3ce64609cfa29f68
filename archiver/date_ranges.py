"""A date a user types in a filter (ISO or French) -> the period it names, for --since / --until."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from dateparser.date import DateDataParser

from archiver.dates import CONTROL, NEGATIVE, PARIS, has_clock, parse_iso, paris_time, paris_wall_now
from archiver.errors import UsageError

YEAR = re.compile(r"(?P<year>\d{4})")
YEAR_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
FRENCH_SECONDS = re.compile(r"\d\s*[:h]\s*\d{2}\s*:\s*\d{2}")  # "10:30:15", "10h30:15"
UNITS = {2: timedelta(hours=1), 4: timedelta(minutes=1), 6: timedelta(seconds=1)}  # digits of an ISO time
PARSER_SETTINGS = {
    "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past",
    "TIMEZONE": "Europe/Paris", "RETURN_AS_TIMEZONE_AWARE": False,  # Paris wall times, placed by paris_time
}
MAX_DATE_LENGTH = 100  # characters: "il y a trois semaines" is 21; dateparser takes seconds on 100,000


def period(text: str, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The period a date names, as [start, end) aware datetimes in Paris: "2022" a year, "2022-02" or
    "février 2022" a month, "2022-02-04" or "4 février 2022" a day (Paris days), "2022-02-04T10:30" or
    "4 février 2022 à 10h30" the whole minute, "2022-02-04T10:30:15" one second, "2022-02-04T10" the hour.
    Relative dates ("hier", "il y a 3 jours") are Paris days counted from `now` (default: the current
    time; naive: a Paris wall time), whatever the machine's time zone. A time the spring change skips
    moves forward by the gap (as page dates do); a time the autumn change repeats runs from its first
    occurrence to the end of its second. Raises UsageError when the text is not a date, is too long to
    be one, or names a period Python's dates cannot hold in UTC (year 1 or 9999, "0000")."""
    if not isinstance(text, str):
        raise UsageError(f"not a date: {text!r}")
    if CONTROL.search(text):
        raise UsageError(f"not a date: {text!r} (control characters)")
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
    parsed = _parser(now).get_date_data(value) if not NEGATIVE.search(value) else None
    if parsed is None or parsed.date_obj is None:
        raise UsageError(f"not a date: {text!r} (try 2022-02-04, 2022-02, 2022, or « 4 février 2022 »)")
    wall = parsed.date_obj.replace(tzinfo=None)  # a Paris wall time (PARSER_SETTINGS)
    if parsed.period == "year":
        return _span(date(wall.year, 1, 1), date(wall.year + 1, 1, 1))
    if parsed.period == "month":
        return _span(date(wall.year, wall.month, 1), _next_month(wall.year, wall.month))
    if has_clock(value):
        unit = UNITS[6] if FRENCH_SECONDS.search(value) else UNITS[4]
        return _wall_span(wall, unit)
    return _span(wall.date(), wall.date() + timedelta(days=1))


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
        return _iso_time_period(value)
    return None


def _iso_time_period(value: str) -> tuple[datetime, datetime]:
    """An ISO datetime's period: its hour, minute or second (a fraction of a second is dropped)."""
    moment = parse_iso(value)
    clock = value.upper().partition("T")[2]
    unit = UNITS.get(sum(c.isdigit() for c in re.split(r"[.,]", ISO_OFFSET.sub("", clock))[0]))
    if moment is None or unit is None:
        raise UsageError(f"not an ISO date or datetime: {value!r}")
    if ISO_OFFSET.search(clock):  # an explicit offset: that instant's hour, minute or second
        start = _cut(moment, unit)
        return start.astimezone(PARIS), (start + unit).astimezone(PARIS)
    return _wall_span(moment.replace(tzinfo=None), unit)


def _wall_span(wall: datetime, unit: timedelta) -> tuple[datetime, datetime]:
    """Every instant whose Paris wall time falls in [wall, wall + unit), `wall` cut to the unit."""
    wall = _cut(wall, unit)
    end = paris_time(wall, last=True).astimezone(UTC) + unit
    return paris_time(wall), end.astimezone(PARIS)


def _cut(moment: datetime, unit: timedelta) -> datetime:
    """`moment` cut to the start of its hour, minute or second."""
    moment = moment.replace(microsecond=0)
    if unit >= UNITS[4]:
        moment = moment.replace(second=0)
    return moment.replace(minute=0) if unit >= UNITS[2] else moment


def _span(first: date, after: date) -> tuple[datetime, datetime]:
    """Midnight in Paris of the first day, and of the day after the last."""
    return paris_time(datetime.combine(first, time(0, 0))), paris_time(datetime.combine(after, time(0, 0)))


def _next_month(year: int, month: int) -> date:
    """The first day of the month after this one."""
    return date(year + month // 12, month % 12 + 1, 1)


def _parser(now: datetime | None) -> DateDataParser:
    """dateparser for French only (language detection is ~1000x slower), relative to `now` in Paris."""
    settings = dict(PARSER_SETTINGS, RELATIVE_BASE=paris_wall_now(now))
    return DateDataParser(languages=["fr"], settings=settings)
