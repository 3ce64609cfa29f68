"""The crawl's summary says in words what happened: its first line, posts gone, missing images, plurals, the mode."""

from __future__ import annotations

import pytest

from archiver.crawl.outcomes import OUTCOMES
from archiver.crawl.run import CrawlSummary
from archiver.terminal import plural
from archiver.views.crawl_summary import stderr_lines, summary_text
from archiver.views.runs import run_line

COUNTS = {"pages_fetched": 40, "posts_new": 3, "posts_updated": 0, "posts_unchanged": 30, "posts_dropped": 0,
          "errors": 2, "warnings": 0}
FIRST_LINES = {
    "ok": "Crawl finished in 12.3 s (incremental): ",
    "drift": "Crawl finished in 12.3 s (incremental): ",
    "partial": "Crawl finished with losses in 12.3 s (incremental): ",
    "interrupted": "Crawl stopped (interrupted) after 12.3 s (incremental): ",
    "unreachable": "Crawl failed: the blog did not answer, after 12.3 s (incremental): ",
    "blocked": "Crawl failed: the blog refused to answer (403, 429), after 12.3 s (incremental): ",
    "not-the-blog": "Crawl failed: the post pages were not the blog's posts, after 12.3 s (incremental): ",
    "error": "Crawl failed: the archive could not be written after 12.3 s (incremental): ",
}


def summary(**fields) -> CrawlSummary:
    values = {"db_path": "a.db", "run_id": 7, "finish_reason": "finished", "seconds": 12.34, "counts": COUNTS,
              "archive": {"posts": 33, "categories": 5}, "mode": "incremental"}
    return CrawlSummary(**{**values, **fields})


@pytest.mark.parametrize("outcome", [name for name in OUTCOMES if name in FIRST_LINES])
def test_the_first_line_says_what_happened_in_words_never_a_scrapy_finish_reason(outcome):
    reason = {"interrupted": "shutdown", "error": "archive_write_failed"}.get(outcome, "finished")
    done = summary(outcome=outcome, finish_reason=reason, write_error="disk I/O error" if outcome == "error" else None)
    first = summary_text(done).splitlines()[0]
    assert first.startswith(FIRST_LINES[outcome])
    assert not {"shutdown", "unknown", "archive_write_failed"} & set(first.replace(":", " ").split())


def test_a_run_stopped_by_ctrl_c_says_so_on_stderr_in_words():
    for reason in ("shutdown", "unknown"):
        [line] = stderr_lines(summary(outcome="interrupted", finish_reason=reason))
        assert line.startswith("Interrupted: the crawl stopped before its end (")
        assert "(shutdown)" not in line and "(unknown)" not in line
    assert "(Ctrl-C or SIGTERM)" in stderr_lines(summary(outcome="interrupted", finish_reason="shutdown"))[0]


def test_posts_gone_are_counted_as_gone_not_as_errors():
    text = summary_text(summary(gone=1, counts=COUNTS | {"errors": 0}))
    assert "posts: 3 new, 0 updated, 30 unchanged, 1 gone, 0 dropped; 0 errors." in text
    assert "gone" not in summary_text(summary())  # nothing gone: nothing said


def test_plurals_are_right_in_the_summary_and_in_runs():
    assert [plural(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert plural(1, "category", "categories") == "1 category" and plural(3, "category", "categories") == "3 categories"
    one = dict.fromkeys(COUNTS, 1)
    text = summary_text(summary(counts=one, archive={"posts": 1, "categories": 1}, media={"failed": 1},
                                malformed=1, unwritten={"posts": 1}))
    assert text.startswith("Crawl finished in 12.3 s (incremental): 1 page fetched; ")
    assert "1 error. 1 warning." in text and "(1 post, 1 category)." in text and "1 item NOT WRITTEN" in text
    assert "1 malformed link skipped" in text
    run = {"id": 3, "started": "2026-11-24T03:15:02+00:00", "seconds": 4.0, "outcome": "ok", "mode": "full",
           "pages_fetched": 1, "not_modified": 0, "posts_new": 1, "posts_updated": 0, "posts_unchanged": 0,
           "posts_gone": 0, "errors": 1}
    assert run_line(run).endswith("1 page (0 not modified); posts: 1 new, 0 updated, 0 unchanged, 0 gone; 1 error")


def test_a_missing_image_is_named_with_its_reason_and_several_point_to_the_rest():
    url = "http://blog.invalid/media/01/02/x.jpg"
    one = summary_text(summary(media={"downloaded": 3, "failed": 1}, media_failed=[{"url": url, "reason": "http 404"}]))
    assert f" Images: 3 downloaded, 0 already archived, 1 NOT DOWNLOADED: {url} (http 404)." in one
    several = summary_text(summary(media={"downloaded": 3, "failed": 4}, media_failed=[{"url": url, "reason": "http 404"}]))
    assert f"4 NOT DOWNLOADED: {url} (http 404) and 3 more: archiver show / the post_media table." in several
