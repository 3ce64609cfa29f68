"""Crawls of the replica served with faults: transient ones are retried until nothing is lost, permanent ones
are recorded per URL with their status, reason and attempts. The helpers here serve test_faults_hostile.py
(hostile pages), test_faults_offsite.py (redirects away) and test_faults_memory.py (a 5 MB post) too."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import load_faults, load_ground_truth
from archiver.replica.fault_plan import ALWAYS, Burst, FaultPlan, RandomFaults
from archiver.replica.fault_server import FaultServer
from conftest import LOCAL, export_records, normalise_space, run_archiver

# After LOCAL (which lifts the backoff): a slow answer takes 3 s (FaultPlan.slow_seconds) against a 2 s
# timeout; retries as the project's default (2), backing off 0.1 s, 0.2 s, and as long as Retry-After asks.
FAST = ["-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2", "-s", "ARCHIVER_RETRY_BACKOFF=0.1", "-s", "ARCHIVER_RETRY_AFTER_MAX=30"]
EXACT_FIELDS = ("url", "title", "published", "author", "print_url", "categories", "comments_count")


@dataclass
class Served:
    """What the fault server saw: hits per path, Host headers, arrivals (time, host, path, fault), faults injected."""

    base_url: str
    port: int
    hits: dict[str, int]
    hosts: dict[str, int]
    injected: dict[str, int]
    arrivals: list[list]

    @classmethod
    def of(cls, server: FaultServer) -> Served:
        return cls(server.base_url, server.port, dict(server.hits), dict(server.hosts), dict(server.injected),
                   [list(arrival) for arrival in server.arrivals])


@dataclass
class FaultCrawl:
    """One crawl of the fault server from the home page: what the CLI said, what the server saw, the truth."""

    result: SimpleNamespace  # returncode, stdout, stderr
    server: Served
    truth: list[dict]
    faults: list[dict]
    db: Path
    extra: dict = field(default_factory=dict)  # what a fixture adds: which page got which fault...
    exported: dict[str, dict] | None = None

    def records(self) -> dict[str, dict]:
        """The archive's export by post id (exported once: the crawl is over)."""
        if self.exported is None:
            self.exported = {record["id"]: record for record in export_records(self.db)}
        return self.exported

    def failures(self) -> dict[str, dict]:
        return {row["url"]: row for row in sqlite_utils.Database(self.db)["crawl_failures"].rows}

    def hits(self, path: str) -> int:
        return self.server.hits.get(path, 0)

    def to_json(self) -> dict:
        return {"result": vars(self.result), "server": asdict(self.server), "truth": self.truth,
                "faults": self.faults, "db": str(self.db), "extra": self.extra}

    @classmethod
    def from_json(cls, saved: dict) -> FaultCrawl:
        return cls(SimpleNamespace(**saved["result"]), Served(**saved["server"]), saved["truth"], saved["faults"],
                   Path(saved["db"]), saved["extra"])


def crawl_faults(site: Path, plan: FaultPlan, db: Path, *extra: str) -> FaultCrawl:
    """Serve the replica with `plan`'s faults and crawl it whole with the CLI (LOCAL, FAST, then `extra`)."""
    with FaultServer(site, plan) as server:
        done = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL, *FAST, *extra)
    result = SimpleNamespace(returncode=done.returncode, stdout=done.stdout, stderr=done.stderr)
    return FaultCrawl(result, Served.of(server), load_ground_truth(site, server.base_url),
                      load_faults(site, server.base_url), db)


def once(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> dict:
    """`make(directory)` once per test session, even when both xdist workers run tests that need it: the
    first to take the lock makes it and leaves it as JSON in the session's directory, the other reads it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    directory = tmp_path_factory.getbasetemp().parent / name  # the session's, shared by its workers
    directory.mkdir(exist_ok=True)
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = directory / "made.json"
        if not saved.exists():
            saved.write_text(json.dumps(make(directory)), encoding="utf-8")
        return json.loads(saved.read_text(encoding="utf-8"))


def crawl_once(tmp_path_factory, name: str, crawl: Callable[[Path], FaultCrawl]) -> FaultCrawl:
    """`crawl(directory)` once per test session (see `once`)."""
    return FaultCrawl.from_json(once(tmp_path_factory, name, lambda directory: crawl(directory).to_json()))


def ordinary_posts(site: Path) -> list[str]:
    """Paths of the replica's plain posts (listed, with an id in the permalink), oldest first."""
    return [urlsplit(t["url"]).path for t in load_ground_truth(site) if t["reach"] == "listed" and not t["legacy"]]


def matches_truth(record: dict, truth: dict) -> bool:
    """Whether an exported post is the ground truth's: exact fields, text and comments (whitespace aside)."""
    comments = lambda cs: [(c["author"], c["published"], normalise_space(c["body_text"])) for c in cs]  # noqa: E731
    return (all(record[name] == truth[name] for name in EXACT_FIELDS)
            and normalise_space(record["body_text"]) == normalise_space(truth["body_text"])
            and comments(record["comments"]) == comments(truth["comments"]))


@pytest.fixture(scope="module")
def transient(site, tmp_path_factory):
    """One request in ten fails (500, 502, 503, reset or slower than the timeout), at most twice per URL."""
    plan = FaultPlan(random=RandomFaults(rate=0.10, seed=11, most=2))
    return crawl_once(tmp_path_factory, "transient", lambda directory: crawl_faults(site, plan, directory / "archive.db"))


def test_with_one_request_in_ten_failing_the_crawl_exits_0(transient):
    assert transient.result.returncode == 0, transient.result.stderr


def test_the_faults_were_mixed_and_about_one_request_in_ten(transient):
    requests, injected = sum(transient.server.hits.values()), transient.server.injected
    assert set(injected) == {"500", "502", "503", "reset", "timeout"}
    assert 0.05 * requests <= sum(injected.values()) <= 0.2 * requests


def test_every_post_is_archived_once_with_the_ground_truths_content(transient):
    rows = sqlite_utils.Database(transient.db).execute("select id, count(*) from posts group by id").fetchall()
    assert sorted(post_id for post_id, _ in rows) == sorted(t["id"] for t in transient.truth)
    assert {count for _, count in rows} == {1}
    records = transient.records()
    assert [t["url"] for t in transient.truth if not matches_truth(records[t["id"]], t)] == []


def test_no_transient_fault_is_left_as_a_failure_only_the_blogs_own_faulty_pages(transient):
    assert set(transient.failures()) == {fault["url"] for fault in transient.faults}


PERMANENT = {  # what a post answers every time, and what is then recorded: kind, status, a word of the reason
    "503": (Burst("503", ALWAYS), "http", 503, "HTTP 503"),
    "502": (Burst("502", ALWAYS), "http", 502, "HTTP 502"),
    "429": (Burst("429", ALWAYS, retry_after="3600"), "http", 429, "HTTP 429"),
    "reset": (Burst("reset", ALWAYS), "download", None, "ConnectionLost"),
    "timeout": (Burst("timeout", ALWAYS), "download", None, "took longer than 2.0 seconds"),
    "truncate": (Burst("truncate", ALWAYS), "download", None, "ResponseDataLossError"),
}


@pytest.fixture(scope="module")
def permanent(site, tmp_path_factory):
    """Six posts that fail every time, each its own way; a Retry-After of an hour cut to 0.5 s."""
    paths = dict(zip(PERMANENT, ordinary_posts(site)[5:]))
    plan = FaultPlan(bursts={paths[name]: PERMANENT[name][0] for name in PERMANENT})
    crawl = crawl_once(tmp_path_factory, "permanent", lambda directory: crawl_faults(
        site, plan, directory / "archive.db", "-s", "ARCHIVER_RETRY_AFTER_MAX=0.5"))
    return crawl, paths


@pytest.mark.parametrize("name", PERMANENT)
def test_a_page_that_always_fails_is_recorded_with_its_status_reason_and_3_attempts(permanent, name):
    crawl, paths = permanent
    _, kind, status, reason = PERMANENT[name]
    failure = crawl.failures()[crawl.server.base_url + paths[name]]
    assert (failure["kind"], failure["status"], failure["attempts"]) == (kind, status, 3)
    assert reason in failure["reason"]
    # Twisted's connection pool sends a GET once more, unseen by Scrapy, when a reused keep-alive
    # connection closes before any answer: a reset may reach the server twice per attempt.
    assert crawl.hits(paths[name]) in (range(3, 7) if name == "reset" else [3])


def test_an_answer_that_is_not_retried_is_recorded_after_1_attempt(permanent):
    crawl, _ = permanent
    missing = next(fault for fault in crawl.faults if fault["status"] == 404)
    assert crawl.failures()[missing["url"]]["attempts"] == 1 and crawl.hits(missing["path"]) == 1


def test_the_crawl_goes_on_exits_0_and_archives_every_other_post_as_true(permanent):
    crawl, paths = permanent
    assert crawl.result.returncode == 0, crawl.result.stderr
    lost = {crawl.server.base_url + path for path in paths.values()}
    records = crawl.records()
    assert sorted(records) == sorted(t["id"] for t in crawl.truth if t["url"] not in lost)
    assert [t["url"] for t in crawl.truth if t["id"] in records and not matches_truth(records[t["id"]], t)] == []


def test_after_the_failures_the_archive_is_sound(permanent):
    crawl, _ = permanent
    checked = run_archiver("check", "--db", str(crawl.db))
    assert checked.returncode == 0, checked.stdout


def test_no_page_of_a_failed_url_is_archived_as_good(permanent):
    crawl, paths = permanent
    urls = [crawl.server.base_url + path for path in paths.values()]
    db = sqlite_utils.Database(crawl.db)
    statuses = db.execute(f"select status from pages where url in ({', '.join('?' * len(urls))})", urls).fetchall()
    assert sorted(status for (status,) in statuses) == [429, 502, 503]  # error answers kept, no half page


def test_the_run_counts_its_failures_and_archiver_runs_json_shows_them(permanent):
    crawl, _ = permanent
    expected = len(PERMANENT) + len(crawl.faults)  # the replica's own 404, 500, broken and untitled pages too
    assert len(crawl.failures()) == expected
    assert f"; {expected} errors." in crawl.result.stdout
    runs = json.loads(run_archiver("runs", "--json", "--db", str(crawl.db)).stdout)
    assert (runs[0]["errors"], runs[0]["status"]) == (expected, "finished")


def test_a_retry_after_of_an_hour_waits_only_the_cap(permanent):
    crawl, paths = permanent
    times = [at for at, _, path, _ in crawl.server.arrivals if path == paths["429"]]
    gaps = [later - before for before, later in zip(times, times[1:])]
    assert len(gaps) == 2 and all(0.5 <= gap < 30 for gap in gaps)
