"""Filters shared by the post queries: category, and since/until bounds on published_utc."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from archiver.dates import PARIS
from archiver.errors import UsageError

BARE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def post_filters(
    category: str | None = None, since: str | None = None, until: str | None = None
) -> tuple[list[str], dict]:
    """SQL conditions on `posts` (and their parameters) for the given filters."""
    conditions: list[str] = []
    params: dict = {}
    if category:
        conditions.append(
            "posts.id IN (SELECT pc.post_id FROM post_categories pc"
            " JOIN categories c ON c.slug = pc.category_slug"
            " WHERE c.slug = :category OR c.name = :category COLLATE NOCASE)"
        )
        params["category"] = category
    if since:
        conditions.append("posts.published_utc >= :since")
        params["since"] = utc_bound(since)
    if until:
        whole_day = BARE_DATE.fullmatch(until.strip()) is not None
        conditions.append("posts.published_utc " + ("<" if whole_day else "<=") + " :until")
        params["until"] = utc_bound(until, next_day=whole_day)
    return conditions, params


def utc_bound(value: str, *, next_day: bool = False) -> str:
    """An ISO date or datetime as the ISO UTC string it compares to (a date: midnight in Paris; a naive time: Paris time)."""
    text = value.strip()
    try:
        if BARE_DATE.fullmatch(text):
            day = date.fromisoformat(text) + timedelta(days=1 if next_day else 0)
            moment = datetime.combine(day, time(0), tzinfo=PARIS)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise UsageError(f"not an ISO date or datetime: {value!r}") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def where_sql(conditions: list[str]) -> str:
    """A WHERE clause joining the conditions with AND, or nothing."""
    return (" WHERE " + " AND ".join(conditions)) if conditions else ""
