"""French dates as the blog prints them -> aware datetimes in Europe/Paris."""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from archiver.dates import (
    PARIS, day_disagreement, has_clock, parse_clock, parse_french_date, parse_iso, parse_shown_date, reconcile,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("vendredi, 04 février 2022", "2022-02-04T00:00:00+01:00"),
        ("Vendredi 4 février 2022", "2022-02-04T00:00:00+01:00"),
        ("04/02/2022", "2022-02-04T00:00:00+01:00"),
        ("4 févr. 2022", "2022-02-04T00:00:00+01:00"),
        ("4 févr. 2022 à 10:30", "2022-02-04T10:30:00+01:00"),
        ("04/02/2022 à 14:05", "2022-02-04T14:05:00+01:00"),
        ("2022-02-04T10:30:00+01:00", "2022-02-04T10:30:00+01:00"),
        ("2020-08-06T09:15:00+02:00", "2020-08-06T09:15:00+02:00"),
        ("1er mars 2021", "2021-03-01T00:00:00+01:00"),
        ("mercredi, 23 septembre 2020", "2020-09-23T00:00:00+02:00"),
        ("le 12 août 2020, 9h05", "2020-08-12T09:05:00+02:00"),
        ("Publié le 4 février 2022 à 10:30", "2022-02-04T10:30:00+01:00"),
        ("lundi 3 juillet 2023 - 18:45", "2023-07-03T18:45:00+02:00"),
        ("DÉCEMBRE 25, 2019", "2019-12-25T00:00:00+01:00"),  # dateparser's path
        ("hier à 10:00", "2026-11-23T10:00:00+01:00"),  # relative, against the injected now
    ],
)
def test_french_dates(text, expected):
    assert parse_french_date(text, now=NOW).isoformat() == expected


@pytest.mark.parametrize("garbage", ["", "   ", None, "garbage", "31/02/2022", "99/99/9999", "12 commentaires", "Lien permanent", "x" * 5000])
def test_garbage_gives_none_not_a_crash(garbage):
    assert parse_french_date(garbage, now=NOW) is None


def test_clock_times_in_footers():
    assert parse_clock("10:30 | Lien permanent | Catégories : MALI") == time(10, 30)
    assert parse_clock("Lien permanent") is None
    assert has_clock("4 févr. 2022 à 10:30") and not has_clock("04/02/2022")


def test_reconcile_adds_the_footer_time_to_a_date_heading():
    published = reconcile(parse_french_date("vendredi, 04 février 2022"), date(2022, 2, 4), time(10, 30))
    assert published.isoformat() == "2022-02-04T10:30:00+01:00"


def test_the_page_date_wins_over_the_permalink_day_and_the_disagreement_is_a_note():
    created, published = date(2008, 10, 27), parse_french_date("30/11/2025 à 09:15")
    assert reconcile(published, created).isoformat() == "2025-11-30T09:15:00+01:00"
    assert day_disagreement(published, created) == (
        "page date 2025-11-30 differs from permalink day 2008-10-27 (the page's date is kept)")
    assert day_disagreement(published, date(2025, 11, 30)) is None


def test_an_iso_date_keeps_the_time_written_after_it():
    assert parse_french_date("Posté le 2022-02-04 à 10:30").isoformat() == "2022-02-04T10:30:00+01:00"


def test_reconcile_falls_back_to_the_permalink_day():
    assert reconcile(None, date(2022, 2, 4)).isoformat() == "2022-02-04T00:00:00+01:00"
    assert reconcile(None, None) is None


def round_trip(moment: datetime) -> str:
    """The instant through UTC and back to Paris: equals the value when its offset is Paris's true one."""
    return moment.astimezone(UTC).astimezone(PARIS).isoformat()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27 mars 2022 à 02:30", "2022-03-27T03:30:00+02:00"),  # skipped by the spring change: forward by the gap
        ("27/03/2022 à 02:30", "2022-03-27T03:30:00+02:00"),
        ("2022-03-27T02:30", "2022-03-27T03:30:00+02:00"),
        ("Posté le 2022-03-27 à 02:30", "2022-03-27T03:30:00+02:00"),
        ("hier à 02:30", "2022-03-27T03:30:00+02:00"),  # dateparser's path, now = 28 March
        ("30 octobre 2022 à 02:30", "2022-10-30T02:30:00+02:00"),  # happens twice: the first occurrence
        ("30/10/2022 02:30", "2022-10-30T02:30:00+02:00"),
        ("2022-10-30T02:30:00+01:00", "2022-10-30T02:30:00+01:00"),  # an explicit offset names the second
        ("dimanche 27 mars 2022", "2022-03-27T00:00:00+01:00"),
    ],
)
def test_a_time_the_clock_change_skips_or_repeats_has_the_true_paris_offset(text, expected):
    now = datetime(2022, 3, 28, 12, 0, tzinfo=PARIS)
    published = parse_french_date(text, now=now)
    assert published.isoformat() == expected
    assert round_trip(published) == expected


def test_the_overlap_read_by_dateparser_is_the_first_occurrence_too():
    published = parse_french_date("hier à 02:30", now=datetime(2022, 10, 31, 12, 0, tzinfo=PARIS))
    assert published.isoformat() == round_trip(published) == "2022-10-30T02:30:00+02:00"


@pytest.mark.parametrize(
    "clock, expected",
    [(time(2, 30), "2022-03-27T03:30:00+02:00"), (time(1, 59), "2022-03-27T01:59:00+01:00"), (time(3, 0), "2022-03-27T03:00:00+02:00")],
)
def test_a_footer_time_in_the_spring_gap_moves_forward_by_the_gap(clock, expected):
    published = reconcile(parse_french_date("dimanche 27 mars 2022"), None, clock)
    assert published.isoformat() == round_trip(published) == expected
    assert reconcile(None, date(2022, 3, 27), clock).isoformat() == expected


# Text a hostile or broken page may show where a date stands: never a date, never an exception.
HOSTILE_TEXTS = [
    "31 février 2022", "31/02/2022 à 10:30", "29/02/2023", "32/13/2022", "00/00/0000", "0000-00-00", "0000-00-00T00:00:00",
    "le 4 février 99999", "1 janvier 99999", "99999-01-01", "99999999999999999999", "4 février 99999999999999999999",
    "99999999999999999999-01-01", "4/2/99999999999999999999", "31/12/9999 à 23:59", "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00", "01/01/0001", "1er janvier 1789", "2022-02-04T10:30:00+25:00", "-5/-3/2022",
    "-4 février 2022", "le -4/02/2022", "-2022-02-04", "il y a -3 jours", "999999 mars 2022", "111 mars 2022", "123/02/2022",
    "4 février 2022 à 99:99", "il y a 99999999999999999999 jours", "dans 99999 ans", "\x00\x1b[2J", "\x1b]0;4 février 2022\x07",
    "4 février\x00 2022", "\x9b31m04/02/2022", "2022-02-04\x7f", "1" * 100_000, "4 " * 50_000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=lambda text: repr(text)[:40])
def test_absurd_dates_on_a_page_give_none_never_an_exception(text):
    assert parse_french_date(text, now=NOW) is None
    assert parse_shown_date(text) is None
    assert parse_iso(text) is None
    assert not has_clock(text) or parse_clock(text) is not None


@pytest.mark.parametrize("text", ["99:99", "24:00", "25h61", "10:3", "1030", "\x1b[10;30H", "10:30\x00", None, "", b"10:30", 1030])
def test_a_footer_without_a_real_time_of_day_has_no_clock(text):
    assert parse_clock(text) is None


FAR_EAST, FAR_WEST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-23, minutes=-59))


@pytest.mark.parametrize(
    "published, url_day, clock, expected",
    [
        (datetime.max.replace(tzinfo=FAR_WEST), None, None, None),
        (datetime.min.replace(tzinfo=FAR_EAST), None, time(10, 30), None),
        (datetime(1, 1, 1, tzinfo=PARIS), None, None, None),
        (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), date(2022, 2, 4), None, "2022-02-04T00:00:00+01:00"),  # the permalink's day
        (datetime.max.replace(tzinfo=FAR_WEST), date(2022, 2, 4), time(10, 30), "2022-02-04T10:30:00+01:00"),
        (None, date.min, None, None),
        (None, date.max, time(23, 59), None),
        (None, date(1789, 7, 14), None, None),
        (None, "2022-02-04", None, None),
    ],
)
def test_reconcile_never_raises_and_never_gives_an_instant_the_archive_cannot_store(published, url_day, clock, expected):
    value = reconcile(published, url_day, clock)
    assert (value.isoformat() if value else None) == expected
    assert value is None or round_trip(value) == expected


@pytest.mark.parametrize(
    "published, url_day",
    [(datetime.max.replace(tzinfo=FAR_WEST), date(2022, 2, 4)), (datetime.min.replace(tzinfo=FAR_EAST), date.min),
     (datetime(1, 1, 1, tzinfo=PARIS), date(2022, 2, 4)), (None, date.max), (datetime(2022, 2, 4, tzinfo=PARIS), "2008-10-27")],
)
def test_a_disagreement_with_absurd_dates_is_no_note_and_no_exception(published, url_day):
    assert day_disagreement(published, url_day) is None
