"""`archiver runs`: the archive's crawl runs, newest first, one line each or as JSON.

Namesake of archiver.store.runs: the same concept, the crawl runs, at the views' layer (that module records and
reads them).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from archiver import store
from archiver.store.connection import reading
from archiver.store.runs import DRIFT, FAILED, FINISHED, INTERRUPTED, PARTIAL, RUNNING, iter_runs
from archiver.terminal import plural, printable, printable_json

# The outcome of a run that recorded none (runs from before outcomes were kept, or killed).
STATUS_OUTCOMES = {FINISHED: "ok", PARTIAL: "partial", DRIFT: "drift", FAILED: "error",
                   INTERRUPTED: "interrupted", RUNNING: "running"}
COUNTS = ("pages_fetched", "not_modified", "posts_new", "posts_updated", "posts_unchanged", "posts_gone",
          "posts_dropped", "errors", "warnings")


FAILURE_FIELDS = ("url", "kind", "status", "attempts", "reason")


def list_runs(db_path: str | Path, limit: int | None = None, *, failures: bool = False) -> list[dict]:
    """The `limit` newest runs of an existing archive, newest first, as run_record()s; with `failures`,
    each with the URLs it failed on (url, kind, status, attempts, reason)."""
    with reading(db_path) as db:
        runs = [run_record(run) for run in iter_runs(db, limit)]
        for run in runs if failures else ():
            run["failures"] = [{key: row[key] for key in FAILURE_FIELDS} for row in store.run_failures(db, run["id"])]
        return runs


def run_record(run: dict) -> dict:
    """One run as `runs --json` shows it: when, how long, its outcome, its mode and its counts.

    `mode` is the mode that ran (a first crawl of a listing, or one after an incomplete run, walks everything:
    "full"), `mode_asked` the one the command line asked for; a --revalidate run adds `revalidation`, what it saw
    (spiders/revalidation.py: posts listed, changed on their listings and how, left, checked in full)."""
    stats = run["stats"] or {}
    counts = {name: run.get(name) or 0 for name in COUNTS}
    counts |= {"not_modified": stats.get("archiver/pages/not_modified", 0), "posts_gone": stats.get("archiver/posts/gone", 0)}
    return {
        "id": run["id"], "started": run["started"], "finished": run["finished"], "seconds": run_seconds(run),
        "status": run["status"], "outcome": stats.get("archiver/outcome") or STATUS_OUTCOMES.get(run["status"], run["status"]),
        "mode": stats.get("archiver/mode/effective") or stats.get("archiver/mode"), "mode_asked": stats.get("archiver/mode"),
        "start_urls": run["start_urls"], **counts,
    } | ({"revalidation": stats["archiver/revalidation"]} if "archiver/revalidation" in stats else {})


def run_seconds(run: dict) -> float | None:
    """How long a run ran: to its end, or for a killed run to its last heartbeat (None: still running)."""
    stats = run["stats"] or {}
    killed = run["status"] == INTERRUPTED and "archiver/outcome" not in stats
    end = stats.get("archiver/heartbeat") if killed else run["finished"]
    return (datetime.fromisoformat(end) - datetime.fromisoformat(run["started"])).total_seconds() if end else None


def runs_json(runs: list[dict]) -> str:
    """The runs as one JSON array."""
    return printable_json(json.dumps(runs, ensure_ascii=False, indent=2))


def runs_text(runs: list[dict], db_path: str | Path = "") -> str:
    """One line per run: `#12  2026-11-24 03:15:02 UTC  1m 42s  ok  incremental  312 pages (290 not modified); ...`."""
    if not runs:
        return printable(f"No crawl run in {db_path}.")
    return printable("\n".join(run_line(run) + "".join(f"\n      {failure_line(failure)}" for failure in run.get("failures", ()))
                               for run in runs))


def failure_line(failure: dict) -> str:
    """`http 503 after 3 attempts: https://.../x.html: HTTP 503`: what failed, how, and why."""
    status = f" {failure['status']}" if failure["status"] else ""
    tries = f" after {failure['attempts']} attempts" if (failure["attempts"] or 1) > 1 else ""
    return f"{failure['kind']}{status}{tries}: {failure['url']}: {failure['reason']}"


def run_line(run: dict) -> str:
    """A run on one line: id, start (UTC), duration, outcome, mode, then its counts."""
    start = run["started"].replace("T", " ").removesuffix("+00:00") + " UTC"
    return (
        f"#{run['id']:<4} {start}  {duration_text(run['seconds']):>8}  {run['outcome']:<11} {run['mode'] or '-':<11} "
        f"{plural(run['pages_fetched'], 'page')} ({run['not_modified']} not modified); posts: {run['posts_new']} new, "
        f"{run['posts_updated']} updated, {run['posts_unchanged']} unchanged, {run['posts_gone']} gone; "
        f"{plural(run['errors'], 'error')}"
    )


def duration_text(seconds: float | None) -> str:
    """`42s`, `1m 42s`, `2h 05m`, or `running` when the run has not ended."""
    if seconds is None:
        return "running"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"
