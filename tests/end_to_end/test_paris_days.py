"""Days are Paris days whatever the machine's time zone: relative dates, page dates and filters."""

import json
import os
import time as clock
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from archiver import store
from archiver.dates import PARIS, day_disagreement, parse_french_date, reconcile
from archiver.items import Post
from archiver.date_ranges import period, since_bound, until_bound
from conftest import run_archiver

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
MIDNIGHT_PAST = datetime(2022, 3, 27, 0, 30, tzinfo=PARIS)  # still 26 March in UTC and Los Angeles
JUST_AFTER_MIDNIGHT = datetime(2022, 2, 5, 0, 10, tzinfo=PARIS)  # 4 February, 15:10 in Los Angeles


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Tokyo"])
def machine_zone(request):
    """The process runs with TZ set to another zone (time.tzset), restored afterwards."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    clock.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    clock.tzset()


def paris_day(text: str, now: datetime | None) -> date:
    """The Paris day a filter names (its period is exactly that day)."""
    start, end = (bound.astimezone(UTC).astimezone(PARIS) for bound in period(text, now=now))
    assert start.time().isoformat() == end.time().isoformat() == "00:00:00"
    assert end.date() - start.date() == timedelta(days=1)
    return start.date()


@pytest.mark.parametrize(
    "text, expected",
    [("hier", date(2022, 3, 26)), ("aujourd'hui", date(2022, 3, 27)), ("avant-hier", date(2022, 3, 25)), ("il y a 3 jours", date(2022, 3, 24))],
)
@pytest.mark.parametrize("now", [MIDNIGHT_PAST, MIDNIGHT_PAST.astimezone(LOS_ANGELES), MIDNIGHT_PAST.replace(tzinfo=None)],
                         ids=["paris", "same-instant-in-los-angeles", "naive-paris-wall-time"])
def test_relative_dates_count_paris_days_from_now(machine_zone, now, text, expected):
    assert paris_day(text, now) == expected
    assert parse_french_date(text, now=now).date() == expected


def test_today_just_after_midnight_in_paris_is_the_paris_day_while_los_angeles_is_still_on_the_day_before(machine_zone):
    for now in (JUST_AFTER_MIDNIGHT, JUST_AFTER_MIDNIGHT.astimezone(LOS_ANGELES), JUST_AFTER_MIDNIGHT.replace(tzinfo=None)):
        assert paris_day("aujourd'hui", now) == date(2022, 2, 5)
        assert since_bound("aujourd'hui", now=now) == "2022-02-04T23:00:00+00:00"
        assert until_bound("hier", now=now) == "2022-02-04T23:00:00+00:00"
        assert parse_french_date("hier à 23:50", now=now).isoformat() == "2022-02-04T23:50:00+01:00"


def test_a_naive_page_date_is_a_paris_wall_time_not_the_machines(machine_zone):
    assert reconcile(datetime(2022, 2, 4, 10, 30), None).isoformat() == "2022-02-04T10:30:00+01:00"
    assert reconcile(datetime(2022, 2, 4, 23, 30), date(2022, 2, 4), None).isoformat() == "2022-02-04T23:30:00+01:00"
    assert day_disagreement(datetime(2022, 2, 4, 23, 30), date(2022, 2, 4)) is None
    assert day_disagreement(datetime(2022, 2, 5, 0, 30), date(2022, 2, 4)) is not None


def test_gaps_overlaps_and_minutes_do_not_depend_on_the_machine(machine_zone):
    assert parse_french_date("27 mars 2022 à 02:30").isoformat() == "2022-03-27T03:30:00+02:00"
    assert parse_french_date("30 octobre 2022 à 02:30").isoformat() == "2022-10-30T02:30:00+02:00"
    assert (since_bound("2022-02-04T10:30"), until_bound("4 février 2022 à 10h30")) == (
        "2022-02-04T09:30:00+00:00", "2022-02-04T09:31:00+00:00")


def other_day_zone() -> str:
    """A machine zone whose day is not Paris's at this moment (Los Angeles, Tokyo, else the date line's edges)."""
    paris = datetime.now(PARIS).date()
    zones = ["America/Los_Angeles", "Asia/Tokyo", "Etc/GMT+12", "Pacific/Kiritimati"]
    return next(zone for zone in zones if datetime.now(ZoneInfo(zone)).date() != paris)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of four posts published at noon, Paris time, today and the three days before."""
    today, path = datetime.now(PARIS).date(), tmp_path_factory.mktemp("paris_days") / "archive.db"
    db = store.open_archive(path)
    for back in range(4):
        day = today - timedelta(days=back)
        noon = datetime(day.year, day.month, day.day, 12, 0, tzinfo=PARIS)
        store.save_post(db, Post(str(back), f"http://127.0.0.1:8000/archive/{day:%Y/%m/%d}/p-{back}.html",
                                 title=f"post {back}", body_text="Texte.", published=noon), run_id=None)
    db.close()
    return path, today


def test_export_since_yesterday_is_the_paris_yesterday_under_a_machine_zone_on_another_day(archive, monkeypatch):
    path, today = archive
    monkeypatch.setenv("TZ", zone := other_day_zone())
    result = run_archiver("export", "jsonl", "--db", str(path), "--since", "hier", "--until", "hier")
    if datetime.now(PARIS).date() != today:  # a Paris midnight passed since the archive was made: "hier" moved
        pytest.skip("a Paris midnight passed during the test")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["post 1"], zone


def test_a_filter_with_control_characters_is_one_error_line_that_prints_no_escape(archive):
    result = run_archiver("search", "texte", "--db", str(archive[0]), "--since", "hier\x1b[2J")
    assert result.returncode == 2, result.stdout
    assert result.stderr.splitlines() == ["Error: not a date: 'hier\\x1b[2J' (control characters)"]
