"""Crawl runs and their failures: one row per crawl, its counts, outcome and what went wrong.

Namesake of archiver.views.runs: the same concept, the crawl runs, at the store's layer (that module shows them).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from archiver.store.timestamps import utc_iso
from archiver.urls import stable_id

RUN_COUNTS = (
    "pages_fetched", "posts_new", "posts_updated", "posts_unchanged", "posts_dropped", "errors",
    "warnings",
)
# Every status a run can have, here only (archiver.crawl.outcomes maps each outcome of a crawl to one).
# "finished": archived what it was asked for; "partial": finished, but lost something it was asked
# for (its failures say what); "drift": finished, but extraction drifted (see the run's `fields`);
# "failed": the archive could not be written, or the blog did not answer or refused to (the run's
# `stats` say which: `archiver/outcome`); "interrupted": stopped early, or killed.
RUNNING, FINISHED, PARTIAL, DRIFT, FAILED, INTERRUPTED = "running", "finished", "partial", "drift", "failed", "interrupted"
RUN_STATUSES = (RUNNING, FINISHED, PARTIAL, DRIFT, FAILED, INTERRUPTED)
# The statuses of a run that walked everything it set out to walk: after one of them, what the
# archive holds of a listing is all of it (an incremental crawl may stop at a listing page it knows).
COMPLETED = (FINISHED, PARTIAL, DRIFT)
# Runs the blog answered (a run it never answered wrote nothing but its failures).
REACHED = """coalesce(json_extract(stats, '$."archiver/outcome"'), '') <> 'unreachable'"""
# A running run of another machine is taken for dead when its heartbeat is older than this.
STALE_AFTER = timedelta(hours=1)


def run_owner(now: datetime | None = None) -> dict:
    """Who runs a crawl, as its `stats` say while it runs: this process, this machine, a heartbeat."""
    return {"archiver/pid": os.getpid(), "archiver/host": socket.gethostname(), "archiver/heartbeat": utc_iso(now)}


def start_run(db: Database, start_urls: list[str], now: datetime | None = None) -> int:
    """Open a crawl run (status "running", counts at zero, owned by this process) and return its id."""
    row = {"started": utc_iso(now), "status": RUNNING, "start_urls": json.dumps(list(start_urls)),
           "stats": json.dumps(run_owner(now))}
    row |= dict.fromkeys(RUN_COUNTS, 0)
    return db["crawl_runs"].insert(row).last_pk


def touch_run(db: Database, run_id: int, counts: dict | None = None, now: datetime | None = None) -> None:
    """Renew a running run's heartbeat (the crawl is alive and writing), and its counts so far."""
    columns = {key: int(value) for key, value in (counts or {}).items() if key in RUN_COUNTS}
    assignments = "".join(f", {key} = ?" for key in columns)
    db.execute(f"UPDATE crawl_runs SET stats = ?{assignments} WHERE id = ? AND status = ?",
               [json.dumps(run_owner(now)), *columns.values(), run_id, RUNNING])


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
    status: int | None = None, attempts: int = 1, now: datetime | None = None,
) -> None:
    """Record one thing that went wrong during a run: an HTTP error after `attempts` requests, a dropped item..."""
    db["crawl_failures"].insert(
        {"run_id": run_id, "url": url, "kind": kind, "status": status, "reason": reason,
         "attempts": attempts, "at": utc_iso(now)}
    )


def iter_runs(db: Database, limit: int | None = None) -> Iterator[dict]:
    """Every crawl run (or the `limit` newest), newest first, with start_urls and stats decoded from JSON."""
    for row in db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [-1 if limit is None else limit]):
        yield decode_run(row)


def last_run_completed(db: Database, current_run: int | None = None) -> bool:
    """Whether the newest run before `current_run` (or the newest of all) walked everything it set out to.

    False after a run that was interrupted, killed (left "running"), or failed, and on an archive no
    crawl has run on: then what the archive holds of a listing may be its newest posts without its
    older ones, and a crawl must not stop at a listing page whose posts it knows. A "partial" run
    counts as completed: what it lost (a start URL, a refused page) would be lost again; a run the
    blog never answered changed nothing, and is passed over.
    """
    before = "" if current_run is None else f"AND id < {int(current_run)} "
    row = next(db.query(f"SELECT status FROM crawl_runs WHERE {REACHED} {before}ORDER BY id DESC LIMIT 1"), None)
    return row is not None and row["status"] in COMPLETED


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


def mark_interrupted_runs(
    db: Database, now: datetime | None = None, alive: Callable[[int], bool] | None = None,
) -> int:
    """Close runs a crash left "running" as "interrupted"; return how many. A live crawl's run is left alone.

    A run is live when its process still runs on this machine (`alive(pid)`, this process excepted),
    or, started on another machine, when its heartbeat is younger than STALE_AFTER. Runs that
    recorded no owner (before owners were kept) are taken for dead. Closed runs keep their status.
    """
    now = now or datetime.now(UTC)
    rows = db.query("SELECT id, stats FROM crawl_runs WHERE status = ?", [RUNNING])
    dead = [row["id"] for row in rows if not run_is_live(row, now, alive or process_alive)]
    for run_id in dead:
        db.execute("UPDATE crawl_runs SET status = ?, finished = ? WHERE id = ?", [INTERRUPTED, utc_iso(now), run_id])
    return len(dead)


def run_is_live(row: dict, now: datetime, alive: Callable[[int], bool]) -> bool:
    """Whether a running run's crawl still runs, from the owner its stats recorded."""
    owner = json.loads(row["stats"] or "{}")
    pid, host, heartbeat = (owner.get(f"archiver/{key}") for key in ("pid", "host", "heartbeat"))
    if pid is None:
        return False
    if host == socket.gethostname():
        return pid != os.getpid() and alive(pid)
    return heartbeat is not None and now - datetime.fromisoformat(heartbeat) < STALE_AFTER


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (signal 0 checks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, under another user
    return True


def run_failures(db: Database, run_id: int) -> list[dict]:
    """The failures recorded during one run, in the order they happened."""
    return list(db.query("SELECT * FROM crawl_failures WHERE run_id = ? ORDER BY id", [run_id]))


def gone_failures(db: Database, run_id: int) -> list[dict]:
    """The failures of one run that are an archived post answering 404 or 410: the blog deleted it. The post is
    marked gone (`posts.gone`) and counted so (`archiver/posts/gone`); these are not errors of the run."""
    rows = db.query("SELECT * FROM crawl_failures WHERE run_id = ? AND kind = 'http' AND status IN (404, 410) ORDER BY id", [run_id])
    return [row for row in rows if db.execute("SELECT 1 FROM posts WHERE gone IS NOT NULL AND (url = ? OR id = ?)",
                                               [row["url"], stable_id(row["url"])]).fetchone()]
