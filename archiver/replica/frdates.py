"""French date formats as printed by Hautetfort themes (the replica's pages), plus feed formats."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
MONTHS_ABBR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
               "sept.", "oct.", "nov.", "déc.")


def classic_heading(moment: datetime, style: int) -> str:
    """Date heading of a classic theme, in one of four styles (0-3)."""
    day, month = DAYS[moment.weekday()], MONTHS[moment.month - 1]
    style %= 4
    if style == 0:
        return f"{day}, {moment:%d} {month} {moment.year}"
    if style == 1:
        return f"{moment:%d/%m/%Y}"
    if style == 2:
        return f"{day.capitalize()} {moment.day} {month} {moment.year}"
    return f"{moment.day} {MONTHS_ABBR[moment.month - 1]} {moment.year}"


def clock(moment: datetime) -> str:
    """"10:30"."""
    return f"{moment:%H:%M}"


def short_with_time(moment: datetime) -> str:
    """"4 févr. 2022 à 10:30" (modern themes)."""
    return f"{moment.day} {MONTHS_ABBR[moment.month - 1]} {moment.year} à {clock(moment)}"


def long_with_time(moment: datetime) -> str:
    """"4 février 2022 à 10:30" (the generic theme)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} à {clock(moment)}"


def numeric_with_time(moment: datetime) -> str:
    """"04/02/2022 à 14:05" (classic comment footers)."""
    return f"{moment:%d/%m/%Y} à {clock(moment)}"


def long_day(moment: datetime) -> str:
    """"vendredi 4 février 2022"."""
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def month_title(year: int, month: int) -> str:
    """"février 2022"."""
    return f"{MONTHS[month - 1]} {year}"


def rfc822(moment: datetime) -> str:
    """RSS pubDate."""
    return format_datetime(moment)
