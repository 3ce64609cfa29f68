"""Dates and counts in the reader as the blog writes them: "samedi 21 novembre 2009 à 21:51", "3 commentaires".

A post's date is shown in its own time zone, the offset stored in `published` (the blog's wall time); the
archive's own stamps (first seen, last seen, gone, a comment removed), stored in UTC, are shown in the blog's
time zone, Europe/Paris. The replica writes its pages with a vocabulary of its own (archiver/replica/frdates.py):
the test double keeps apart from the code it tests.
"""

from __future__ import annotations

from datetime import date, datetime

from archiver.dates import PARIS

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
UNDATED = "sans date"


def long_date(value: str | None) -> str:
    """An ISO date or datetime as the blog writes it: "samedi 21 novembre 2009 à 21:51" in the offset it carries
    (a naive one as it stands), "mardi 28 mai 2013" for a day alone; "sans date" for none or an unreadable one."""
    moment = _parsed(value)
    if moment is None:
        return UNDATED if not value else value
    if not isinstance(moment, datetime):
        return _day(moment)
    return f"{_day(moment.date())} à {moment:%H:%M}"


def short_date(value: str | None) -> str:
    """The day of an ISO date or datetime (in its own offset): "21 novembre 2009"; "sans date" for none."""
    moment = _parsed(value)
    if moment is None:
        return UNDATED if not value else value
    day = moment.date() if isinstance(moment, datetime) else moment
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def stamp(value: str | None) -> str:
    """One of the archive's UTC stamps in the blog's time zone: "lundi 7 décembre 2026 à 18:52"."""
    moment = _parsed(value)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return long_date(moment.astimezone(PARIS).isoformat())
    return long_date(value)


def comments_label(count: int) -> str:
    """"0 commentaire", "1 commentaire", "3 commentaires" (the platform's wording: singular below two)."""
    return f"{count} commentaire" + ("s" if count > 1 else "")


def _day(day: date) -> str:
    """"samedi 21 novembre 2009"."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _parsed(value: str | None) -> datetime | date | None:
    """An ISO 8601 datetime (aware or naive) or date, or None when there is none or it is not one."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None
