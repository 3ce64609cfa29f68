"""Crawls from cron: one at a time per archive, quiet unless on a terminal, logged to a file, polite, in a history."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from http.server import BaseHTTPRequestHandler

import sqlite_utils

from archiver import __version__
from archiver.crawl.run_settings import crawl_settings
from archiver.crawl.outcomes import EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_UNREACHABLE
from archiver.replica import ReplicaServer
from conftest import LOCAL, PROJECT, run_archiver
from running_crawls import start_crawl, wait_for_posts
from local_servers import closed_port, commented_post, tiny_server


def test_a_second_crawl_of_a_locked_archive_exits_75_at_once_and_the_first_completes(site, tmp_path):
    db, log = tmp_path / "a.db", tmp_path / "crawl.log"
    with ReplicaServer(site) as server:
        first = start_crawl(server.base_url + "/", db, "-s", "DOWNLOAD_DELAY=0.02", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        wait_for_posts(db, 5)  # the first holds the lock, for a few seconds more
        second = run_archiver("crawl", server.base_url + "/", "--db", str(db), "--log-file", str(log), *LOCAL)
        assert first.poll() is None  # the second gave up at once: the first is still crawling
        stdout, stderr = first.communicate(timeout=120)

    assert second.returncode == EXIT_LOCKED, second.stderr
    assert second.stdout == "" and second.stderr.count("\n") == 1
    assert second.stderr.startswith(f"Locked: another crawl holds the archive {db} (pid {first.pid} on ")
    assert "ERROR: Locked: another crawl holds the archive" in log.read_text(encoding="utf-8")
    assert first.returncode == 0, stderr
    archive = sqlite_utils.Database(db)
    assert [run["status"] for run in archive["crawl_runs"].rows] == ["finished"]  # the second wrote no run
    assert archive["posts"].count == 76


def test_off_a_terminal_a_crawl_prints_the_summary_and_only_warnings(home_crawl):
    result = home_crawl.result  # the session's crawl of the whole replica from its home page, its output captured
    assert result.returncode == 0
    assert result.stdout.startswith("Crawl finished in ")
    logged = [line for line in result.stderr.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", line)]
    assert logged and all(" WARNING: " in line or " ERROR: " in line for line in logged)
    assert "\r" not in result.stderr and " pages/s" not in result.stderr


def test_the_log_file_gets_each_runs_log_summary_and_outcome_appended(site, tmp_path):
    log = tmp_path / "logs" / "crawl.log"
    log.parent.mkdir()  # as the archive's, the log file's folder must exist
    path = commented_post(site)[0]
    with ReplicaServer(site) as server:
        first = run_archiver("crawl", server.base_url + path, "--db", str(tmp_path / "a.db"), "--log-file", str(log), *LOCAL,
                             env={"HOME": str(tmp_path)})
    second = run_archiver("crawl", f"http://127.0.0.1:{closed_port()}/", "--db", str(tmp_path / "a.db"), "--log-file", str(log), *LOCAL)
    assert (first.returncode, second.returncode) == (0, EXIT_UNREACHABLE)
    text = log.read_text(encoding="utf-8")
    assert "Remote control" not in text and not (tmp_path / ".local").exists()  # no server that runs code, no token file
    assert text.count("[scrapy.core.engine] INFO: Spider opened") == 2
    assert text.count("INFO: Crawl finished in ") == 1 and text.count("INFO: Crawl failed: the blog did not answer, after ") == 1
    assert re.search(r"\] INFO: Unreachable: nothing answered: ", text)
    assert first.stdout.splitlines()[0] in text


def test_on_a_terminal_a_progress_line_shows_pages_of_a_total_posts_rate_and_time_left(site, tmp_path):
    controller, terminal = pty.openpty()
    with ReplicaServer(site) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "archiver", "crawl", server.base_url + "/russie/", "--db", str(tmp_path / "a.db"), *LOCAL,
             "-s", "ARCHIVER_PROGRESS_SECONDS=0.02", "-s", "DOWNLOAD_DELAY=0.01"],
            cwd=PROJECT, stdout=subprocess.PIPE, stderr=terminal, text=True)
        os.close(terminal)
        shown = read_terminal(controller)
        stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    lines = re.findall(r"\r\x1b\[K(\d+)(?: of (\d+))? pages?, (?:\d+ images?, )?(\d+) posts?, [\d.]+ pages/s", shown)
    archived = int(re.search(r"posts: (\d+) new", stdout).group(1))
    assert len(lines) >= 2 and int(lines[-1][2]) == archived > 0
    totals = [(int(pages), int(total)) for pages, total, _ in lines if total]
    assert totals and all(pages < total for pages, total in totals)  # once the category's pages are read: "N of M"
    assert re.search(r"\r\x1b\[K\d+ of \d+ pages, (\d+ images?, )?\d+ posts?, [\d.]+ pages/s, "
                     r"(about \d+ min|less than a minute) left", shown)
    assert re.search(r"\r\x1b\[K\d+ pages, (\d+ images?, )?\d+ posts, [\d.]+ pages/s\r\n", shown)  # the last figures stay on their line


def read_terminal(controller: int) -> str:
    """Everything written to a pseudo-terminal, until its other end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the crawl has closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


class RecordingBlog(BaseHTTPRequestHandler):
    """A one-page blog that records each request's User-Agent."""

    seen: list[tuple[str, str]] = []

    def do_GET(self):
        RecordingBlog.seen.append((self.path, self.headers.get("User-Agent")))
        body = b"" if self.path == "/robots.txt" else b"<html><body><p>Rien encore.</p></body></html>"
        self.send_response(404 if self.path == "/robots.txt" else 200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Quiet."""


def test_robots_txt_comes_first_and_every_request_names_the_contact(tmp_path):
    RecordingBlog.seen = []
    with tiny_server(RecordingBlog) as url:
        run_archiver("crawl", url, "--db", str(tmp_path / "a.db"), "--contact", "veille@example.org", *LOCAL)
    assert RecordingBlog.seen[0][0] == "/robots.txt"
    assert {agent for _, agent in RecordingBlog.seen} == {f"blog-archiver/{__version__} (+contact: veille@example.org)"}


def test_the_defaults_are_polite_and_each_can_be_overridden():
    settings = crawl_settings("a.db")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2 and settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert settings["USER_AGENT"] == f"blog-archiver/{__version__} (+contact: set ARCHIVER_CONTACT or -s USER_AGENT=...)"
    lifted = crawl_settings("a.db", {"ROBOTSTXT_OBEY": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "USER_AGENT": "moi"})
    assert (lifted.getbool("ROBOTSTXT_OBEY"), lifted.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), lifted["USER_AGENT"]) == (False, 8, "moi")


def test_runs_lists_every_run_newest_first_with_its_outcome_and_counts(site, tmp_path):
    db = tmp_path / "a.db"
    path = commented_post(site)[0]
    with ReplicaServer(site) as server:
        ok = run_archiver("crawl", server.base_url + path, "--db", str(db), *LOCAL)
        stopped = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL, "-s", "CLOSESPIDER_PAGECOUNT=2")
    unreachable = run_archiver("crawl", f"http://127.0.0.1:{closed_port()}/", "--db", str(db), *LOCAL)
    assert (ok.returncode, stopped.returncode, unreachable.returncode) == (0, EXIT_INTERRUPTED, EXIT_UNREACHABLE)

    listed = run_archiver("runs", "--db", str(db))
    lines = listed.stdout.splitlines()
    assert [re.match(r"#(\d+) +\S+ \S+ UTC +\S+( \S+)? +(\w+) ", line).group(1, 3) for line in lines] == [
        ("3", "unreachable"), ("2", "interrupted"), ("1", "ok")]
    assert lines[2].endswith("full        1 page (0 not modified); posts: 1 new, 0 updated, 0 unchanged, 0 gone; 0 errors")  # a first crawl walks all
    records = json.loads(run_archiver("runs", "--db", str(db), "--json", "--limit", "2").stdout)
    assert [(run["id"], run["status"], run["outcome"]) for run in records] == [(3, "failed", "unreachable"), (2, "interrupted", "interrupted")]
    assert records[0]["errors"] >= 1 and records[0]["seconds"] >= 0


def test_runs_of_a_missing_archive_is_an_error_and_creates_nothing(tmp_path):
    result = run_archiver("runs", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and result.stderr.strip() == f"Error: no archive at {tmp_path / 'none.db'}"
    assert not (tmp_path / "none.db").exists()
