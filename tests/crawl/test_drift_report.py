"""Drift reports: per-field figures of a run, judged against the archive's usual ones; exit status 3."""

from __future__ import annotations

import re
import shutil

import pytest
from scrapy.utils.test import get_crawler

from archiver import store
from archiver.crawl.run import CrawlSummary, drift_message, summary_text
from archiver.crawl.drift import drift_line, drift_report, drifting
from archiver.field_counts import RunFigures
from archiver.crawl.outcomes import RunFacts, judge
from archiver.items import CHECKED_FIELDS, ExtractionWarning, Post
from archiver.pipelines.storage import Store
from conftest import copy_archive, crawl_site

BLOG = "http://127.0.0.1:8000"
CLASSIC = {
    "title": "classic: h3.posttitle", "published": "classic: h2.date span", "author": "classic: meta[name=author]",
    "body": "classic: div.posttext-decorator2", "print_url": "classic: div.postprint a",
    "categories": "classic: p.postfooter a", "comments_count": "classic: p.postfooter",
}


def run_figures(posts: int = 100, **fields: tuple[int, int, int]) -> dict:
    """A run's figures: every field found on every post, except `name=(applies to, found, warned)`."""
    figures = {name: {"posts": posts, "found": posts, "warned": 0, "missing_example": None, "warned_example": None} for name in CHECKED_FIELDS}
    for name, (applies, found, warned) in fields.items():
        figures[name] = {"posts": applies, "found": found, "warned": warned,
                         "missing_example": f"{BLOG}/sans-{name}.html", "warned_example": f"{BLOG}/doute-{name}.html"}
    return {"posts": posts, "fields": figures}


def usual_figures(posts: int = 200, **fields: tuple[int, int]) -> dict:
    """The archive's figures: every field found on every post by CLASSIC, except `name=(applies to, found)`."""
    figures = {name: {"posts": posts, "found": posts, "rule": CLASSIC.get(name, "classic: div.comment")} for name in CHECKED_FIELDS}
    for name, (applies, found) in fields.items():
        figures[name] |= {"posts": applies, "found": found}
    return {"posts": posts, "fields": figures}


FIRST_CRAWL = usual_figures(0, **{name: (0, 0) for name in CHECKED_FIELDS})


@pytest.mark.parametrize(
    "run, usual, expected",
    [
        (run_figures(print_url=(100, 89, 0)), usual_figures(), {"print_url": "share"}),  # 11 points down
        (run_figures(print_url=(100, 91, 0)), usual_figures(), {}),  # 9 points down
        (run_figures(print_url=(100, 90, 0)), usual_figures(), {}),  # exactly 10 points
        (run_figures(author=(100, 60, 0)), usual_figures(author=(200, 140)), {}),  # 70% as usual... 60%: 10 points
        (run_figures(author=(100, 59, 0)), usual_figures(author=(200, 140)), {"author": "share"}),
        (run_figures(19, print_url=(19, 0, 0)), usual_figures(), {}),  # too few posts to judge a share
        (run_figures(20, print_url=(20, 0, 0)), usual_figures(), {"print_url": "share"}),
        (run_figures(print_url=(100, 0, 0)), usual_figures(print_url=(19, 19)), {}),  # the archive has no usual figure
        (run_figures(comments=(100, 100, 2)), usual_figures(), {"comments": "warnings"}),  # 2% warned
        (run_figures(comments=(100, 100, 1)), usual_figures(), {}),  # 1% warned
        (run_figures(3, title=(3, 3, 1)), usual_figures(), {"title": "warnings"}),  # warnings judged on any run
        (run_figures(76, comments=(37, 0, 0)), FIRST_CRAWL, {"comments": "first crawl"}),  # counts, no comments
        (run_figures(76, comments=(40, 36, 0)), FIRST_CRAWL, {}),  # found on 90%
        (run_figures(100, comments=(100, 89, 0)), FIRST_CRAWL, {"comments": "first crawl"}),
        (run_figures(76, print_url=(76, 10, 0)), FIRST_CRAWL, {}),  # other fields: nothing to compare with
        (run_figures(76, comments=(0, 0, 0)), FIRST_CRAWL, {}),  # no post counts comments
    ],
)
def test_drift_verdicts(run, usual, expected):
    assert {report.field: report.drift for report in drifting(drift_report(run, usual))} == expected


def test_a_drift_line_names_the_field_its_share_the_archives_the_usual_rule_and_an_example():
    [report] = drifting(drift_report(run_figures(76, print_url=(76, 31, 12)), usual_figures(print_url=(200, 196))))

    assert drift_line(report) == (
        f'DRIFT print_url: found on 41% of this run\'s 76 posts (archive: 98%, usually by "classic: div.postprint a"); '
        f"12 warnings; e.g. {BLOG}/sans-print_url.html"
    )


def test_a_first_crawl_drift_line_says_what_was_expected():
    [report] = drifting(drift_report(run_figures(76, comments=(37, 0, 0)), FIRST_CRAWL))
    assert "found on 0% of this run's 37 posts counting comments (archive: no usual figure yet, expected on 90% or more)" in drift_line(report)


def test_run_figures_count_each_field_on_the_posts_it_applies_to():
    figures = RunFigures()
    doubt = ExtractionWarning("comments-missing", "comments", "3 commentaires, none found")
    figures.add(Post("1", f"{BLOG}/1.html", comments_count=3, sources=CLASSIC, warnings=[doubt]))
    figures.add(Post("2", f"{BLOG}/2.html", comments_count=0, sources=CLASSIC))
    figures.add(Post("3", f"{BLOG}/3.html", comments_count=2, sources=CLASSIC | {"comments": "classic: div.comment"}))
    figures.add(Post("4", f"{BLOG}/4.html", comments_count=5))  # extraction reported no sources: not judged

    comments = figures.as_dict()["fields"]["comments"]
    assert (figures.posts, figures.unchecked, figures.warnings) == (4, 1, 1)
    assert comments == {"posts": 2, "found": 1, "warned": 1, "missing_example": f"{BLOG}/1.html", "warned_example": f"{BLOG}/1.html"}
    assert figures.as_dict()["fields"]["print_url"]["posts"] == 3


# -- the Store pipeline, called directly on a real archive -------------------------------------


def crawl_posts(db_path, posts: list[Post]):
    """One run of the Store pipeline over these posts, as a finished crawl would make it."""
    crawler = get_crawler(settings_dict={"ARCHIVE_DB": str(db_path)})
    pipeline = Store.from_crawler(crawler)
    pipeline.open_archive()
    for post in posts:
        pipeline.process_item(post)
    pipeline.spider_closed(None, "finished")
    return crawler.stats


def blog_posts(count: int, *, print_link_every: int = 1) -> list[Post]:
    """Posts read by the classic theme; the print link is found on one post in `print_link_every`."""
    posts = []
    for number in range(count):
        sources = dict(CLASSIC) if number % print_link_every == 0 else {k: v for k, v in CLASSIC.items() if k != "print_url"}
        posts.append(Post(str(6362100 + number), f"{BLOG}/archive/2022/02/04/billet-{6362100 + number}.html",
                          title=f"Billet {number}", body_text="Bamako.", comments_count=0, sources=sources))
    return posts


def test_a_run_that_loses_half_the_print_links_is_a_drift_run(tmp_path):
    db_path = tmp_path / "archive.db"
    baseline = crawl_posts(db_path, blog_posts(30))
    stats = crawl_posts(db_path, blog_posts(30, print_link_every=2))

    db = store.open_archive(db_path)
    first, second = sorted(store.iter_runs(db), key=lambda run: run["id"])
    db.close()
    assert (first["status"], second["status"]) == ("finished", "drift")
    print_url = second["fields"]["fields"]["print_url"]
    assert {key: print_url[key] for key in ("posts", "found", "share", "usual_share", "usual_rule", "drift")} == {
        "posts": 30, "found": 15, "share": 0.5, "usual_share": 1.0, "usual_rule": "classic: div.postprint a", "drift": "share",
    }
    assert print_url["example"] == f"{BLOG}/archive/2022/02/04/billet-6362101.html"
    assert (baseline.get_value("archiver/drift"), stats.get_value("archiver/drift")) == ("", "print_url")
    assert stats.get_value("archiver/fields/print_url/found") == 15


def test_warnings_are_counted_per_run_and_a_small_run_is_judged_on_them(tmp_path):
    db_path = tmp_path / "archive.db"
    crawl_posts(db_path, blog_posts(30))
    doubted = blog_posts(3)
    doubted[0].warnings = [ExtractionWarning("print-url-missing", "print_url", "an Imprimer text without a link")]
    crawl_posts(db_path, doubted)

    db = store.open_archive(db_path)
    run = next(store.iter_runs(db))
    db.close()
    assert (run["status"], run["warnings"], run["posts_unchanged"]) == ("drift", 1, 3)
    assert run["fields"]["fields"]["print_url"]["drift"] == "warnings"


def run_status(finish_reason: str, reports) -> str:
    """The status a run of 100 posts, all archived, leaves when it ends so with these drift reports."""
    facts = RunFacts(finish_reason, start_urls=[f"{BLOG}/"], responses=100, archived=100,
                     drifting=[report.field for report in drifting(reports)])
    return judge(facts).run_status


def test_an_interrupted_crawl_stays_interrupted_whatever_drifted():
    reports = drift_report(run_figures(print_url=(100, 0, 0)), usual_figures())
    assert (run_status("shutdown", reports), run_status("finished", reports)) == ("interrupted", "drift")
    assert run_status("finished", drift_report(run_figures(), usual_figures())) == "finished"


# -- the summary and the exit status ----------------------------------------------------------


def test_the_summary_names_each_drifting_field_and_verbose_adds_the_table():
    reports = drift_report(run_figures(76, print_url=(76, 31, 0)), usual_figures(print_url=(200, 196)))
    counts = dict.fromkeys(("pages_fetched", "posts_new", "posts_updated", "posts_unchanged", "posts_dropped", "errors", "warnings"), 0)
    summary = CrawlSummary("a.db", 2, "finished", 1.0, counts | {"posts_unchanged": 76}, status="drift", fields=reports)

    text = summary_text(summary)
    assert "0 errors. 0 warnings." in text and "DRIFT print_url: found on 41%" in text
    assert "usual rule" not in text
    assert re.search(r"print_url\s+31/76\s+41%\s+98%\s+0\s+classic: div.postprint a  DRIFT \(share\)", summary_text(summary, verbose=True))
    assert drift_message(summary).startswith("Drift: ") and "print_url" in drift_message(summary)


def test_a_crawl_whose_print_links_vanish_exits_3_with_a_drift_line(site, home_crawl, tmp_path):
    db = copy_archive(home_crawl.db, tmp_path / "archive.db")  # the baseline: the session's crawl of the whole blog
    baseline = home_crawl
    assert baseline.result.returncode == 0, baseline.result.stdout + baseline.result.stderr
    changed = tmp_path / "site"
    shutil.copytree(site, changed)
    for page in sorted(changed.glob("archive/*/*/*/*.html"))[::2]:  # half the posts lose their print link
        html = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r'<div class="(postprint|box-print)">.*?</div>', "", html, flags=re.S), encoding="utf-8")

    again = crawl_site(changed, ["/"], db, "--full")

    assert again.result.returncode == 3, again.result.stdout + again.result.stderr
    assert re.search(r"^DRIFT print_url: found on \d+% of this run's 76 posts \(archive: 100%", again.result.stdout, re.M)
    assert again.result.stderr.strip().splitlines()[-1].startswith("Drift: ")
