"""Pages to ask again: every page a crawl failed on stays queued until a later crawl reads it.

A post or listing page that answered 500, did not download, was not the post, or broke a callback is
queued (`retry_queue`, one row per URL). The next crawl of every mode asks it again; after each run that
fails it again, the page waits for more runs before it is asked: 0, 1, 3, 7... runs skipped, at most
MAX_SKIPPED_RUNS (a page dead for good costs one request every few runs, never one per run forever).
A page stops waiting when it answers: its post read, a listing read, a 304, or a 404/410 (the post is then
gone); a post page that answers 200 but gives no post (broken markup, not the post) keeps waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from archiver import urls
from archiver.store.timestamps import utc_iso

# Failures that are not a page's: a request we refused (robots.txt, another host), a listing cut at the
# page limit. Asking again would meet the same refusal.
NOT_RETRIED = ("robots", "offsite", "truncated")
# A page that keeps failing is asked again after at most this many runs that skipped it.
MAX_SKIPPED_RUNS = 15
GONE_STATUSES = (404, 410)  # the blog's own answer that a page is no more: never asked again
# The pages that list posts (urls.page_kind): one that is not read may hide posts.
LISTING_KINDS = ("home", "archives", "category", "month", "tag")


@dataclass(frozen=True)
class PendingRetry:
    """A page queued for asking again: what failed, how often, since when."""

    url: str
    page_kind: str  # "post", "category", "month", "home"...
    failure_kind: str  # crawl_failures.kind of its last failure
    reason: str
    failed_runs: int  # consecutive runs that failed it
    first_failed: str
    last_run_id: int | None
    runs_since: int  # runs started since it last failed

    @property
    def due(self) -> bool:
        """Whether this run asks it again (its backoff across runs is over)."""
        return self.runs_since >= skipped_runs(self.failed_runs)

    @property
    def listing(self) -> bool:
        return self.page_kind in LISTING_KINDS


def skipped_runs(failed_runs: int) -> int:
    """How many runs a page that failed `failed_runs` runs in a row waits before it is asked again."""
    return min(2 ** max(failed_runs - 1, 0) - 1, MAX_SKIPPED_RUNS)


def queue_retry(db: Database, *, url: str, kind: str, reason: str, run_id: int | None, status: int | None = None,
                now: datetime | None = None) -> bool:
    """Queue a page a run failed on. Runs that failed it in a row are counted (a second failure in the same
    run counts once; a page that answers in between starts again from one, unless that answer came in this
    same run: its callback failed after the page came). False for failures that are not a page's
    (NOT_RETRIED), and for a 404/410: the blog's answer."""
    if kind in NOT_RETRIED or status in GONE_STATUSES:
        return False
    stamp = utc_iso(now)
    row = db.execute("SELECT failed_runs, last_run_id, answered_run_id FROM retry_queue WHERE url = ?", [url]).fetchone()
    if row is None or (row[2] is not None and row[2] != run_id):
        failed_runs, first = 1, {"first_failed": stamp}
    else:
        failed_runs, first = row[0] + (row[1] != run_id or run_id is None), {}
    db["retry_queue"].upsert({
        "url": url, "page_kind": urls.page_kind(url), "failure_kind": kind, "reason": reason,
        "failed_runs": failed_runs, "last_failed": stamp, "last_run_id": run_id, "answered_run_id": None, **first,
    }, pk="url")
    return True


ANSWERED_SQL = ("UPDATE retry_queue SET answered_run_id = ? WHERE url = ? AND answered_run_id IS NULL"
                " AND last_run_id IS NOT ?")


def retry_answered(db: Database, url: str, *, run_id: int | None) -> bool:
    """A queued page answered (a good page, a 304, a 404/410, the post read): it is no longer pending, unless
    this very run also failed on it (the failure, recorded in any order beside the answer, wins). False if it
    was not pending."""
    return db.execute(ANSWERED_SQL, [run_id, url, run_id]).rowcount > 0


def retries_answered(db: Database, urls: list[str], *, run_id: int | None) -> None:
    """retry_answered for each of these URLs in order, in one executemany (what a batch's posts answered)."""
    db.conn.executemany(ANSWERED_SQL, [(run_id, url, run_id) for url in urls])


def unanswered(db: Database, urls: list[str]) -> set[str]:
    """Those of these queued pages that still wait for an answer."""
    marks = ", ".join("?" * len(urls))
    rows = db.execute(f"SELECT url FROM retry_queue WHERE answered_run_id IS NULL AND url IN ({marks})", urls)
    return {url for (url,) in rows}


def pending_retries(db: Database) -> list[PendingRetry]:
    """Every page still waiting for an answer, in URL order, with how many runs started since it last failed."""
    rows = db.execute(
        "SELECT url, page_kind, failure_kind, reason, failed_runs, first_failed, last_run_id,"
        " (SELECT count(*) FROM crawl_runs WHERE crawl_runs.id > coalesce(retry_queue.last_run_id, 0))"
        " FROM retry_queue WHERE answered_run_id IS NULL ORDER BY url"
    ).fetchall()
    return [PendingRetry(*row) for row in rows]
