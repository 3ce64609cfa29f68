"""Crawl runs and their failures: one row per crawl, its counts, outcome and what went wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlite_utils import Database

from archiver.store.timestamps import utc_iso

RUN_COUNTS = (
    "pages_fetched", "posts_new", "posts_updated", "posts_unchanged", "posts_dropped", "errors",
    "warnings",
)
# Every status a run can have, here only. "drift": finished and archived what it found, but
# extraction drifted (see the run's `fields`); "interrupted": stopped early, or killed.
RUNNING, FINISHED, DRIFT, FAILED, INTERRUPTED = "running", "finished", "drift", "failed", "interrupted"
RUN_STATUSES = (RUNNING, FINISHED, DRIFT, FAILED, INTERRUPTED)


def start_run(db: Database, start_urls: list[str], now: datetime | None = None) -> int:
    """Open a crawl run (status "running", counts at zero) and return its id."""
    row = {"started": utc_iso(now), "status": RUNNING, "start_urls": json.dumps(list(start_urls))}
    row |= dict.fromkeys(RUN_COUNTS, 0)
    return db["crawl_runs"].insert(row).last_pk


def finish_run(
    db: Database, run_id: int, *, status: str, counts: dict, stats: dict,
    fields: dict | None = None, now: datetime | None = None,
) -> None:
    """Close a crawl run with its outcome, its counts (missing ones are 0), per-field figures and stats."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
    unknown = set(counts) - set(RUN_COUNTS)
    if unknown:
        raise ValueError(f"unknown run counts {sorted(unknown)}; expected {RUN_COUNTS}")
    db["crawl_runs"].update(
        run_id,
        {
            "finished": utc_iso(now),
            "status": status,
            **{key: int(counts.get(key, 0)) for key in RUN_COUNTS},
            "stats": json.dumps(stats, default=str, sort_keys=True, ensure_ascii=False),
            "fields": json.dumps(fields, ensure_ascii=False) if fields is not None else None,
        },
    )


def save_failure(
    db: Database, *, run_id: int | None, url: str, kind: str, reason: str,
    status: int | None = None, now: datetime | None = None,
) -> None:
    """Record one thing that went wrong during a run: an HTTP error, a dropped item..."""
    db["crawl_failures"].insert(
        {"run_id": run_id, "url": url, "kind": kind, "status": status, "reason": reason,
         "at": utc_iso(now)}
    )


def iter_runs(db: Database) -> Iterator[dict]:
    """Every crawl run, newest first, with start_urls and stats decoded from JSON."""
    for row in db.query("SELECT * FROM crawl_runs ORDER BY id DESC"):
        yield decode_run(row)


def get_run(db: Database, run_id: int) -> dict | None:
    """One crawl run by id, its JSON columns decoded, or None."""
    row = next(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]), None)
    return decode_run(row) if row else None


def decode_run(row: dict) -> dict:
    """A crawl_runs row with its JSON columns turned back into lists and dicts."""
    return row | {
        "start_urls": json.loads(row["start_urls"] or "[]"),
        "stats": json.loads(row["stats"]) if row["stats"] else None,
        "fields": json.loads(row["fields"]) if row.get("fields") else None,
    }


def mark_interrupted_runs(db: Database, now: datetime | None = None) -> int:
    """Close runs a crash left "running" as "interrupted"; return how many (one crawl at a time).

    Closed runs keep their status ("finished", "drift", ...).
    """
    cursor = db.execute(
        "UPDATE crawl_runs SET status = ?, finished = ? WHERE status = ?",
        [INTERRUPTED, utc_iso(now), RUNNING],
    )
    return cursor.rowcount


def run_failures(db: Database, run_id: int) -> list[dict]:
    """The failures recorded during one run, in the order they happened."""
    return list(db.query("SELECT * FROM crawl_failures WHERE run_id = ? ORDER BY id", [run_id]))
