"""Dates a user types in --since / --until -> the period they name, in Paris, as UTC bounds."""

from datetime import UTC, datetime

import pytest

from archiver.dates import PARIS
from archiver.errors import UsageError
from archiver.date_ranges import period, since_bound, until_bound

NOW = datetime(2022, 3, 27, 0, 30, tzinfo=PARIS)


@pytest.mark.parametrize(
    "text, since, until",
    [
        ("2022-02-04T10:30", "2022-02-04T09:30:00+00:00", "2022-02-04T09:31:00+00:00"),  # the whole minute
        ("4 février 2022 à 10h30", "2022-02-04T09:30:00+00:00", "2022-02-04T09:31:00+00:00"),
        ("4 février 2022 à 10:30", "2022-02-04T09:30:00+00:00", "2022-02-04T09:31:00+00:00"),
        ("2022-02-04 10:30", "2022-02-04T09:30:00+00:00", "2022-02-04T09:31:00+00:00"),
        ("2022-02-04T10:30:15", "2022-02-04T09:30:15+00:00", "2022-02-04T09:30:16+00:00"),  # to the second: one second
        ("2022-02-04T10:30:15.750", "2022-02-04T09:30:15+00:00", "2022-02-04T09:30:16+00:00"),
        ("2022-02-04T10:30:15,750", "2022-02-04T09:30:15+00:00", "2022-02-04T09:30:16+00:00"),
        ("4 février 2022 à 10:30:15", "2022-02-04T09:30:15+00:00", "2022-02-04T09:30:16+00:00"),
        ("2022-02-04T10", "2022-02-04T09:00:00+00:00", "2022-02-04T10:00:00+00:00"),  # to the hour: the hour
        ("2022-02-04T10:30Z", "2022-02-04T10:30:00+00:00", "2022-02-04T10:31:00+00:00"),  # an explicit offset is kept
        ("2022-02-04T10:30+05:30", "2022-02-04T05:00:00+00:00", "2022-02-04T05:01:00+00:00"),
        ("2022-02-04", "2022-02-03T23:00:00+00:00", "2022-02-04T23:00:00+00:00"),
        ("4 février 2022", "2022-02-03T23:00:00+00:00", "2022-02-04T23:00:00+00:00"),
        ("février 2022", "2022-01-31T23:00:00+00:00", "2022-02-28T23:00:00+00:00"),
        ("2022", "2021-12-31T23:00:00+00:00", "2022-12-31T23:00:00+00:00"),
        ("hier", "2022-03-25T23:00:00+00:00", "2022-03-26T23:00:00+00:00"),  # relative: a Paris day
        ("hier à 10h", "2022-03-25T23:00:00+00:00", "2022-03-26T23:00:00+00:00"),  # no minutes: the day
        ("il y a 3 heures", "2022-03-25T23:00:00+00:00", "2022-03-26T23:00:00+00:00"),
        ("2022-03-27", "2022-03-26T23:00:00+00:00", "2022-03-27T22:00:00+00:00"),  # a 23-hour day
        ("2022-10-30", "2022-10-29T22:00:00+00:00", "2022-10-30T23:00:00+00:00"),  # a 25-hour day
        ("2022-03-27T02:30", "2022-03-27T01:30:00+00:00", "2022-03-27T01:31:00+00:00"),  # skipped: 03:30+02:00, as page dates
        ("27 mars 2022 à 02h30", "2022-03-27T01:30:00+00:00", "2022-03-27T01:31:00+00:00"),
        ("2022-10-30T02:30", "2022-10-30T00:30:00+00:00", "2022-10-30T01:31:00+00:00"),  # repeated: both occurrences
        ("30 octobre 2022 à 02:30", "2022-10-30T00:30:00+00:00", "2022-10-30T01:31:00+00:00"),
        ("2022-10-30T01:59", "2022-10-29T23:59:00+00:00", "2022-10-30T00:00:00+00:00"),  # just before: one minute
        ("2022-10-30T03:00", "2022-10-30T02:00:00+00:00", "2022-10-30T02:01:00+00:00"),
        ("2022-10-30T02:30+01:00", "2022-10-30T01:30:00+00:00", "2022-10-30T01:31:00+00:00"),  # the second, named
    ],
)
def test_a_date_names_its_whole_period_in_paris(text, since, until):
    assert (since_bound(text, now=NOW), until_bound(text, now=NOW)) == (since, until)


@pytest.mark.parametrize("text", ["2022-03-27T02:30", "2022-10-30T02:30", "2022-10-30T02:30+01:00", "30 octobre 2022 à 02:59", "hier", "2022-10"])
def test_the_bounds_carry_the_true_paris_offset_of_their_instant(text):
    for bound in period(text, now=NOW):
        assert bound.utcoffset() == bound.astimezone(UTC).astimezone(PARIS).utcoffset()
        assert bound.isoformat() == bound.astimezone(UTC).astimezone(PARIS).isoformat()


def test_a_post_shown_at_a_minute_is_within_since_and_until_that_minute():
    shown = datetime(2022, 2, 4, 10, 30, 59, tzinfo=PARIS).astimezone(UTC).isoformat(timespec="seconds")
    assert since_bound("4 février 2022 à 10h30") <= shown < until_bound("2022-02-04T10:30")
    assert not shown < until_bound("2022-02-04T10:30:58")


# What a user may type by mistake or on purpose: a clear UsageError, never another exception.
HOSTILE_FILTERS = [
    "", "   ", "0000", "9999", "0001-01", "0000-00-00", "2022-13", "2022-00", "2022-02-30", "31 février 2022", "99999",
    "99999999999999999999", "99999999999999999999-01-01", "1 janvier 99999", "4/2/99999999999999999999", "-5/-3/2022",
    "il y a -3 jours", "il y a 99999999999999999999 jours", "il y a 10000 ans", "dans 99999 ans", "999999 mars 2022",
    "111 mars 2022", "4 février 2022 à 99:99", "2022-02-04T25:00", "2022-02-04T10:30:00+25:00", "2022-02-04T10:30:00:00",
    "2022-02-04Tmidi", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00+14:00", "\x1b[2J", "\x00\x1b[2J", "hier\x07",
    "4 février\x00 2022", "\x9b2022", "x" * 101, "1" * 100_000, "la Saint-Glinglin",
]


@pytest.mark.parametrize("text", HOSTILE_FILTERS, ids=lambda text: repr(text)[:40])
def test_a_filter_that_is_not_a_date_is_a_usage_error(text):
    for read in (period, since_bound, until_bound):
        with pytest.raises(UsageError, match="not a date|not an ISO date"):
            read(text, now=NOW)
