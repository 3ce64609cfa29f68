"""Timestamps as the archive stores them: ISO 8601 strings, to the second, UTC for "now"."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(now: datetime | None = None) -> str:
    """`now` (default: the current time) as ISO 8601 UTC, e.g. "2026-11-24T10:00:00+00:00"."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware one")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def local_iso(moment: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 with its own offset (Paris time stays Paris time)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware one")
    return moment.isoformat(timespec="seconds")
