"""The progress line's figures: images apart from pages, a total and the time left once known, a recent rate."""

from __future__ import annotations

import io

from scrapy import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.test import get_crawler

from archiver.crawl.progress_figures import Figures, RecentRate, progress_text, time_left
from archiver.extensions.progress import EXPECTED_STAT, ProgressLine


def test_without_a_known_total_the_line_says_nothing_of_one():
    assert progress_text(Figures(pages=21, images=5, posts=12, rate=1.25)) == "21 pages, 5 images, 12 posts, 1.2 pages/s"


def test_with_a_total_the_line_says_pages_of_total_and_the_time_left_at_the_recent_rate():
    figures = Figures(pages=21, images=5, posts=12, rate=0.5, expected=111)
    assert progress_text(figures) == "21 of 111 pages, 5 images, 12 posts, 0.5 pages/s, about 3 min left"


def test_a_total_below_the_pages_fetched_is_not_shown_and_nothing_is_negative():
    assert progress_text(Figures(pages=30, posts=20, rate=2.0, expected=25)) == "30 pages, 20 posts, 2.0 pages/s"
    assert Figures(pages=25, expected=25).pages_left() is None


def test_no_time_left_before_a_rate_is_known_and_none_on_the_last_line():
    assert progress_text(Figures(pages=1, posts=0, expected=80)) == "1 of 80 pages, 0 posts, 0.0 pages/s"
    assert progress_text(Figures(pages=21, posts=12, rate=0.5, expected=80), final=True) == "21 pages, 12 posts, 0.5 pages/s"


def test_time_left_in_words():
    assert time_left(10, 1.0) == "less than a minute left"
    assert time_left(90, 0.5) == "about 3 min left"
    assert time_left(5000, 0.75) == "about 1 h 51 min left"
    assert time_left(10, None) is None and time_left(10, 0.0) is None


def test_the_rate_is_the_recent_pages_not_the_whole_run():
    rate = RecentRate(size=4)
    for second in (0, 100, 101, 102, 103, 104):  # a long stall at the start, then one page a second
        rate.tick(second)
    assert rate.per_second(104) == 1.0
    assert rate.per_second(108) == 0.5  # no page for four seconds: the rate drops
    assert RecentRate().per_second(0) is None


def test_the_extension_counts_images_apart_and_reads_the_spiders_total():
    stats = get_crawler().stats
    line = ProgressLine(io.StringIO(), 0.5, stats)
    def page():
        return None
    for number in range(21):
        line.response_received(request=Request(f"http://127.0.0.1/{number}.html", callback=page))
    for number in range(5):
        line.response_received(request=Request(f"http://127.0.0.1/{number}.jpg", callback=NO_CALLBACK))
    line.response_received(request=Request("http://127.0.0.1/robots.txt", callback=NO_CALLBACK,
                                           meta={"dont_obey_robotstxt": True}))
    assert line.line().startswith("21 pages, 5 images, 0 posts, ")
    stats.set_value(EXPECTED_STAT, 80)
    assert line.line().startswith("21 of 80 pages, 5 images, 0 posts, ")
