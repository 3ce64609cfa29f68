"""Honest outcomes: a crawl that lost something it was asked for says which URL, and exits 4."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import archiver.cli
from archiver.crawl import CrawlSummary, incomplete_message, losses
from conftest import crawl_site, run_archiver

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COUNTS = {"pages_fetched": 3, "posts_new": 2, "posts_updated": 0, "posts_unchanged": 0, "posts_dropped": 0, "errors": 0, "warnings": 0}
START = "http://blog.invalid/mali/"


def outcome(crawl) -> tuple[int, str, list[str]]:
    """The exit status, the last line on stderr, the INCOMPLETE lines of the summary."""
    stdout, stderr = crawl.result.stdout, crawl.result.stderr
    return crawl.result.returncode, stderr.strip().splitlines()[-1], [line for line in stdout.splitlines() if line.startswith("INCOMPLETE")]


def test_a_start_url_that_answers_404_exits_4_naming_it(site, tmp_path):
    crawl = crawl_site(site, ["/mali-mistyped/"], tmp_path / "a.db")
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
    server = ThreadingHTTPServer(("127.0.0.1", 0), MovedAway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        result = run_archiver("crawl", url, "--db", str(tmp_path / "a.db"), "-s", "RETRY_TIMES=0")
    finally:
        server.shutdown()
        server.server_close()
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


@pytest.mark.parametrize("name", sorted(name for name in vars(archiver.cli) if name.startswith("EXIT_")))
def test_every_exit_status_is_in_the_readmes_one_table(name):
    assert f"\n| {getattr(archiver.cli, name)} | " in README
