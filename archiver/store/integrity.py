"""Checking an archive (SQLite's own checks, the full-text index, duplicates, stale runs) and repairing what can be."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from archiver import urls
from archiver.errors import ArchiveLocked
from archiver.store.connection import reading_uri
from archiver.store.migrations import index_changed_text_only
from archiver.store.runs import RUNNING, mark_interrupted_runs, process_alive, run_is_live
from archiver.store.schema import FTS_COLUMNS, FTS_TOKENIZE, SCHEMA_VERSION, schema_version

FTS_TRIGGERS = ("posts_ai", "posts_ad", "posts_au")  # the ones sqlite-utils' enable_fts(create_triggers=True) makes
FTS_SHADOWS = ("data", "idx", "docsize", "config")  # FTS5's own tables of posts_fts (external content: no _content)
BUSY_ERRORS = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)  # another connection holds a lock: nothing is wrong


@dataclass
class Finding:
    """One problem: what is wrong, how many rows it touches, and whether `repair` can mend it."""

    check: str
    detail: str
    repairable: bool


@dataclass
class Verdict:
    """What `check_archive` found: the figures it counted and the problems (empty when the archive is sound)."""

    counts: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.findings


def check_archive(db: Database) -> Verdict:
    """Every check, in order: SQLite's integrity and foreign keys, the FTS index against the posts, its
    triggers, posts stored twice (one URL under two ids, an alias that is itself a post), runs left running.
    A check that SQLite cannot even run (a damaged file) is itself a finding; the others still run. Reads only
    (`db` may be read-only). An archive of an older schema gets its figures, SQLite's checks and a `schema`
    finding (the other checks read its newer tables). ArchiveLocked when another connection's lock keeps a
    check from running: nothing is wrong, nothing was checked."""
    verdict = Verdict()
    older = schema_version(db) < SCHEMA_VERSION
    steps = (("counts", _counts), ("schema", _schema_findings), ("integrity", _integrity_findings))
    if not older:
        steps += (("full-text index", _fts_findings), ("duplicates", _duplicate_findings), ("runs", _run_findings))
    for name, step in steps:
        try:
            found = step(db)
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF in BUSY_ERRORS:
                raise ArchiveLocked(f"could not check the archive {_main_file(db)}: it is write-locked by another "
                                    f"process ({error}); nothing was checked, try again later") from error
            verdict.findings.append(Finding("integrity", f"{name} could not be checked: {error}", repairable=False))
            continue
        if name == "counts":
            verdict.counts = found
        else:
            verdict.findings += found
    return verdict


def _schema_findings(db: Database) -> list[Finding]:
    """An archive made by an older archiver: the reading commands refuse it until it is brought up to date."""
    version = schema_version(db)
    if version >= SCHEMA_VERSION:
        return []
    return [Finding("schema", f"version {version}, older than this archiver's {SCHEMA_VERSION}: the reading commands "
                              "refuse it until it is brought up to date (a crawl does it too)", repairable=True)]


def _integrity_findings(db: Database) -> list[Finding]:
    """SQLite's own integrity check (the first 20 problems) and rows whose foreign key points to nothing."""
    findings = []
    problems = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
    if problems != ["ok"]:
        findings.append(Finding("integrity", "; ".join(problems), repairable=False))
    orphans = db.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        tables = sorted({row[0] for row in orphans})
        findings.append(Finding("foreign keys", f"{len(orphans)} rows point to nothing ({', '.join(tables)})", repairable=False))
    return findings


def _run_findings(db: Database) -> list[Finding]:
    """Runs marked running that no live crawl owns (a crawl killed before it could close its run)."""
    now = datetime.now(UTC)
    dead = [row["id"] for row in db.query("SELECT id, stats FROM crawl_runs WHERE status = ?", [RUNNING])
            if not run_is_live(row, now, process_alive)]
    if not dead:
        return []
    return [Finding("runs", f"run(s) {', '.join(f'#{i}' for i in dead)} marked running, but no crawl runs them (killed)", repairable=True)]


def repair_archive(db: Database) -> list[str]:
    """Mend what can be: rebuild the full-text index and its triggers, close runs no live crawl owns.
    Returns one line per repair made. (Corruption and orphans are reported, never guessed at.)"""
    done = []
    if _fts_findings(db):
        db["posts"].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZE, fts_version="FTS5", replace=True)
        index_changed_text_only(db)  # posts_au as version 14 made it
        done.append(f"rebuilt the full-text index posts_fts and its triggers from {db['posts'].count} posts")
    closed = mark_interrupted_runs(db)
    if closed:
        done.append(f"marked {closed} run(s) left running by a dead crawl as interrupted")
    return done


def _counts(db: Database) -> dict:
    """The figures the report shows: posts, gone posts, comments, categories, revisions, pages, runs."""
    tables = ("posts", "comments", "categories", "revisions", "pages", "crawl_runs")
    counts = {table: db[table].count for table in tables}
    counts["gone"] = db.execute("SELECT count(*) FROM posts WHERE gone IS NOT NULL").fetchone()[0]
    return counts


def _fts_findings(db: Database) -> list[Finding]:
    """The FTS index missing, out of step with the posts, or without the triggers that keep it in step."""
    if not db["posts_fts"].exists():
        return [Finding("full-text index", "posts_fts is missing", repairable=True)]
    findings = []
    missing = [name for name in FTS_TRIGGERS if name not in db.triggers_dict]
    if missing:
        findings.append(Finding("full-text index", f"triggers missing: {', '.join(missing)} (edits no longer reach the index)", repairable=True))
    problem = _fts_out_of_step(db)
    if problem:
        findings.append(Finding("full-text index", f"out of step with the posts table (FTS5 integrity-check: {problem})", repairable=True))
    return findings


def _fts_out_of_step(db: Database) -> str | None:
    """FTS5's own integrity-check of posts_fts against the posts' text: None when in step, else its error.
    The check is written as an INSERT and the archive may be open read-only, so it runs on a copy of the index
    and of the text it indexes, made in one read transaction, in a temporary file that is then deleted."""
    create = db.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'").fetchone()[0]
    shadows = [f"posts_fts_{name}" for name in FTS_SHADOWS if db[f"posts_fts_{name}"].exists()]
    columns = ", ".join(FTS_COLUMNS)
    with tempfile.TemporaryDirectory(prefix="archiver-check-") as folder:
        copy = Path(folder, "fts.db").as_uri()
        with closing(sqlite3.connect(copy, uri=True)) as conn, conn:  # the same index (columns, tokenizer), empty
            conn.execute(create)
            conn.execute(f"CREATE TABLE posts(rowid INTEGER PRIMARY KEY, {columns})")
        with closing(sqlite3.connect(copy, uri=True)) as conn:  # anew: FTS5 reads the copied index, not a cached one
            conn.execute("ATTACH ? AS archive", [reading_uri(db)])
            with conn:
                conn.execute(f"INSERT INTO posts(rowid, {columns}) SELECT rowid, {columns} FROM archive.posts")
                for table in shadows:
                    conn.execute(f"DELETE FROM {table}")
                    conn.execute(f"INSERT INTO {table} SELECT * FROM archive.{table}")
            try:
                conn.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES('integrity-check', 1)")
            except sqlite3.DatabaseError as error:
                return str(error)
    return None


def _main_file(db: Database) -> str:
    """The file of the connection's main database."""
    return next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")


def _duplicate_findings(db: Database) -> list[Finding]:
    """Posts stored twice: two ids for one canonical URL, or an alias URL that is also a post's URL."""
    seen: dict[str, str] = {}
    twice = []
    for post_id, url in db.execute("SELECT id, url FROM posts"):
        key = urls.url_key(url)
        if key in seen:
            twice.append(f"{seen[key]} and {post_id}")
        seen[key] = post_id
    findings = [Finding("duplicates", f"{len(twice)} URL(s) stored under two ids: {', '.join(twice[:5])}", repairable=False)] if twice else []
    aliased = db.execute(
        "SELECT a.url, a.post_id, p.id FROM post_aliases a JOIN posts p ON p.url = a.url WHERE p.id != a.post_id"
    ).fetchall()
    if aliased:
        examples = ", ".join(f"{url} ({alias_of} and {own})" for url, alias_of, own in aliased[:5])
        findings.append(Finding("duplicates", f"{len(aliased)} alias URL(s) that are also posts: {examples}", repairable=False))
    return findings
