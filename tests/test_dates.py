"""French dates as the blog prints them -> aware datetimes in Europe/Paris."""

from datetime import date, datetime, time

import pytest

from archiver.dates import PARIS, day_disagreement, has_clock, parse_clock, parse_french_date, reconcile

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
