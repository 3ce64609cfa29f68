"""Honest outcomes: each outcome of a crawl has its exit status and one line on stderr; a crawl
that lost something it was asked for says which URL, and exits 4."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import sqlite_utils

import archiver.crawl.outcomes
from archiver.crawl.run import CrawlSummary, incomplete_message
from archiver.crawl.archive_lock import ArchiveLock
from archiver.crawl.outcomes import OUTCOMES, RunFacts, judge, losses
from archiver.replica import ReplicaServer
from conftest import LOCAL, PROJECT, crawl_site, run_archiver
from local_servers import closed_port, commented_post, tiny_server

README = "\n".join(path.read_text(encoding="utf-8") for path in [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))])
COUNTS = {"pages_fetched": 3, "posts_new": 2, "posts_updated": 0, "posts_unchanged": 0, "posts_dropped": 0, "errors": 0, "warnings": 0}
START = "http://blog.invalid/mali/"


def outcome(crawl) -> tuple[int, str, list[str]]:
    """The exit status, the last line on stderr, the INCOMPLETE lines of the summary."""
    stdout, stderr = crawl.result.stdout, crawl.result.stderr
    return crawl.result.returncode, stderr.strip().splitlines()[-1], [line for line in stdout.splitlines() if line.startswith("INCOMPLETE")]


@pytest.fixture(scope="module")
def mistyped(site, tmp_path_factory):
    """A crawl of the replica from a mistyped category address, which answers 404 (the outcome "partial")."""
    return crawl_site(site, ["/mali-mistyped/"], tmp_path_factory.mktemp("mistyped") / "a.db")


def test_a_start_url_that_answers_404_exits_4_naming_it(mistyped):
    crawl = mistyped
    url = f"{crawl.base_url}/mali-mistyped/"
    assert outcome(crawl) == (4, f"Incomplete: start URL {url}: HTTP 404", [f"INCOMPLETE start URL {url}: HTTP 404"])


def test_a_start_url_refused_by_robots_txt_exits_4_naming_it(site, tmp_path):
    crawl = crawl_site(site, ["/admin/"], tmp_path / "a.db")
    url = f"{crawl.base_url}/admin/"
    assert outcome(crawl) == (4, f"Incomplete: {url}: refused by robots.txt", [f"INCOMPLETE {url}: refused by robots.txt"])
    assert f"  robots: {url} (refused by robots.txt)" in crawl.result.stdout


def test_a_listing_cut_by_the_page_limit_exits_4_naming_it(site, tmp_path):
    crawl = crawl_site(site, ["/russie/"], tmp_path / "a.db", "-s", "ARCHIVER_MAX_LISTING_PAGES=1")
    status, reason, lines = outcome(crawl)
    assert status == 4 and len(lines) == 1
    assert reason.startswith(f"Incomplete: {crawl.base_url}/russie/: listing cut at ARCHIVER_MAX_LISTING_PAGES=1: ")
    assert crawl.hits.get("/archives/category/russie/index-2.html") == 1
    assert "/archives/category/russie/index-4.html" not in crawl.hits


class MovedAway(BaseHTTPRequestHandler):
    """A blog that moved to another host: every page answers 301 there (robots.txt: none)."""

    def do_GET(self):
        self.send_response(404 if self.path == "/robots.txt" else 301)
        self.send_header("Location", "http://elsewhere.invalid/blog/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        """Quiet."""


def test_a_start_url_redirected_off_site_exits_4_naming_both_addresses(tmp_path):
    with tiny_server(MovedAway) as url:
        result = run_archiver("crawl", url, "--db", str(tmp_path / "a.db"), *LOCAL, "-s", "RETRY_TIMES=0")
    assert result.returncode == 4, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"Incomplete: {url}: redirected off-site to http://elsewhere.invalid/blog/"


# -- the rules, on summaries -----------------------------------------------------------------


def summary(**fields) -> CrawlSummary:
    values = {"db_path": "a.db", "run_id": 1, "finish_reason": "finished", "seconds": 1.0, "counts": COUNTS,
              "start_urls": [START], "listings": 1}
    return CrawlSummary(**{**values, **fields})


def failure(url: str, kind: str, reason: str) -> dict:
    return {"url": url, "kind": kind, "reason": reason}


def test_faulty_posts_are_errors_of_the_summary_not_losses():
    faulty = [failure("http://blog.invalid/archive/2020/08/25/x-6361843.html", "http", "HTTP 404"),
              failure("http://blog.invalid/archive/2021/08/28/note-6361998.html", "dropped", "post without title")]
    assert losses(summary(failures=faulty)) == [] and incomplete_message(summary(failures=faulty)) is None


def test_a_crawl_that_archived_no_post_and_no_listing_page_is_incomplete():
    nothing = summary(counts=COUNTS | {"posts_new": 0}, listings=0)
    assert incomplete_message(nothing) == f"Incomplete: nothing archived from {START}: no post, no listing page answered"


def test_an_empty_category_that_answered_is_not_a_loss():
    assert losses(summary(counts=COUNTS | {"posts_new": 0}, listings=1)) == []


def test_several_losses_give_one_line_each_and_one_line_on_stderr():
    lost = [failure(START, "http", "HTTP 500"), failure("http://blog.invalid/admin/x.html", "robots", "refused by robots.txt")]
    assert losses(summary(failures=lost)) == [f"start URL {START}: HTTP 500", "http://blog.invalid/admin/x.html: refused by robots.txt"]
    assert incomplete_message(summary(failures=lost)) == f"Incomplete: start URL {START}: HTTP 500 (and 1 more: see the INCOMPLETE lines above)"


def facts(**values) -> RunFacts:
    return RunFacts(**{"finish_reason": "finished", "start_urls": [START], "responses": 40, "archived": 30, "listings": 2} | values)


def test_the_first_outcome_that_applies_wins():
    assert judge(facts()).name == "ok"
    assert judge(facts(drifting=["print_url"])).name == "drift"
    assert judge(facts(drifting=["print_url"], failures=[failure(START, "http", "HTTP 500")])).name == "partial"
    assert judge(facts(refusals=20, failures=[failure(START, "http", "HTTP 429")])).name == "blocked"
    assert judge(facts(refusals=19)).name == "ok"  # 19 answers of 40 refused: not half
    assert judge(facts(responses=0, archived=0, listings=0)).name == "unreachable"
    assert judge(facts(responses=0, finish_reason="shutdown")).name == "interrupted"
    assert judge(facts(finish_reason="shutdown", write_failed=True)).name == "error"


@pytest.mark.parametrize("name", sorted(name for name in vars(archiver.crawl.outcomes) if name.startswith("EXIT_")))
def test_every_exit_status_is_in_the_readmes_one_table(name):
    assert f"\n| {getattr(archiver.crawl.outcomes, name)} | " in README


# -- every outcome of a crawl, run for real: its exit status and its one line on stderr ---------------


class TooManyRequests(BaseHTTPRequestHandler):
    """A blog that rate-limits everything: 429 Too Many Requests."""

    def do_GET(self):
        self.send_response(429)
        self.send_header("Retry-After", "3600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        """Quiet."""


def drifting_site(site: Path, folder: Path) -> tuple[Path, str]:
    """A copy of the replica where one post says "2 commentaires" and shows none; that post's path."""
    root = folder / "site"
    shutil.copytree(site, root)
    path, page = commented_post(root)
    page.write_text(re.sub(r'<section id="comments".*?</section>', "", page.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    return root, path


def crawl_for(name: str, site: Path, tmp_path: Path, request):
    """Run `archiver crawl` the way that ends in outcome `name` (into tmp_path / "a.db")."""
    db = tmp_path / "a.db"
    crawl = lambda url, *extra: run_archiver("crawl", url, "--db", str(db), *LOCAL, *extra)  # noqa: E731
    if name == "partial":  # the module's crawl from a start URL that answers 404, and its archive
        mistyped = request.getfixturevalue("mistyped")
        with closing(sqlite3.connect(mistyped.db)) as archive, closing(sqlite3.connect(db)) as copy:
            archive.backup(copy)
        return mistyped.result
    if name in ("ok", "interrupted"):
        path = {"ok": commented_post(site)[0], "interrupted": "/"}[name]
        with ReplicaServer(site) as server:
            return crawl(server.base_url + path, *(["-s", "CLOSESPIDER_PAGECOUNT=2"] if name == "interrupted" else []))
    if name == "drift":
        root, path = drifting_site(site, tmp_path)
        with ReplicaServer(root) as server:
            return crawl(server.base_url + path)
    if name == "blocked":
        with tiny_server(TooManyRequests) as url:
            return crawl(url)
    if name == "not-the-blog":
        with ReplicaServer(maintenance_site(site, tmp_path)) as server:
            return crawl(server.base_url + "/mali/")
    if name == "locked":
        with ArchiveLock(db):
            return crawl("http://127.0.0.1:9/")
    if name == "error":  # an archive written by a newer archiver: this one must not touch it
        sqlite_utils.Database(db).execute("PRAGMA user_version = 99")
    arguments = {"unreachable": [f"http://127.0.0.1:{closed_port()}/", "-s", "RETRY_TIMES=0"],
                 "config": ["http://127.0.0.1:9/", "-s", "DOWNLOAD_DELAY=soon"], "usage": [], "error": ["http://127.0.0.1:9/"]}
    return run_archiver("crawl", "--db", str(db), *LOCAL, *arguments[name])


MAINTENANCE = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>Maintenance</h1><p>Le site est en maintenance.</p></body></html>"


def maintenance_site(site: Path, tmp_path: Path) -> Path:
    """The replica with every post page answering a maintenance page (200), as a blog in maintenance would."""
    root = shutil.copytree(site, tmp_path / "maintenance")
    for page in root.glob("archive/*/*/*/*.html"):
        page.write_bytes(MAINTENANCE)
    return root


REASONS = {  # the line's pattern (after the port is written PORT)
    "ok": None,
    "error": r"Error: archive has schema version 99, newer than this archiver's \d+$",
    "usage": r"Usage: python -m archiver crawl \[OPTIONS\] URLS\.\.\.$",
    "drift": r"Drift: extraction found less than usual, or doubted it, on comments \(see DRIFT lines above\)$",
    "partial": r"Incomplete: start URL http://127.0.0.1:PORT/mali-mistyped/: HTTP 404$",
    "unreachable": r"Unreachable: nothing answered: http://127.0.0.1:PORT/: \w*ConnectionRefusedError: .*Connection refused",
    "blocked": r"Blocked: (\d+) of \1 answers were 403 or 429 \(refused, or too many requests\); try later, or slower",
    "config": r"Configuration error: setting DOWNLOAD_DELAY='soon' is not a number \(default: 1.0\)$",
    "interrupted": r"Interrupted: the crawl stopped before its end \(closespider_pagecount\); what it fetched is archived",
    "not-the-blog": r"Not the blog: \d+ post pages answered a page that is not the post \(first: http://127.0.0.1:PORT/archive/.*\); maintenance, a parked domain or a captive portal\? The archived posts were kept",
    "locked": r"Locked: another crawl holds the archive {db} \(pid \d+ on .+ since .+; lock file {db}.lock\): this crawl did nothing$",
}


@pytest.mark.parametrize("name", list(OUTCOMES))
def test_each_outcome_exits_with_its_status_says_why_in_one_line_and_is_recorded(name, site, tmp_path, request):
    result = crawl_for(name, site, tmp_path, request)
    assert result.returncode == OUTCOMES[name].exit_status, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    said = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", lines[0] if name == "usage" else lines[-1]) if lines else None
    if REASONS[name] is None:
        assert said is None
    else:
        assert re.match(REASONS[name].format(db=re.escape(str(tmp_path / "a.db"))), said), said
    if OUTCOMES[name].run_status and name != "error":  # an archive that cannot be written keeps no run
        run = next(sqlite_utils.Database(tmp_path / "a.db")["crawl_runs"].rows)
        assert (run["status"], json.loads(run["stats"])["archiver/outcome"]) == (OUTCOMES[name].run_status, name)
