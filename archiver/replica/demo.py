"""`archiver demo`: build the sample blog, serve it on 127.0.0.1, archive it, write its offline reader, show what to do next."""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from pathlib import Path

from archiver import store
from archiver.crawl.run import LOCAL_SETTINGS, CrawlSummary, raise_if_failed, run_crawl, summary_text
from archiver.reader import export_html
from archiver.replica import ReplicaServer, build_site
from archiver.replica.generate import MIN_POSTS
from archiver.replica.plan import SEED_SETUP

DEFAULT_POSTS = 76  # posts the demo's archive holds: the generator's posts plus its hand-written seed posts
MIN_DEMO_POSTS = MIN_POSTS + len(SEED_SETUP)
FAULTY_PAGES = "a 404, a 500, a broken page, a post without a title"  # one per archiver.replica.plan.FAULT_KINDS
DRIFT_KIND = ("Sample blog, in drifted templates (some keep the layout a bundled profile detects, with renamed "
              "parts; the others no profile knows),")
NEXT_COMMANDS = (
    ("archiver search 'serguei lavrov' --db {db}", "full-text search, accents optional"),
    ("archiver show 6362153 --db {db}", "one post, its comments"),
    ("archiver stats --db {db}", "what the archive holds"),
    ("archiver categories --db {db}", "categories and their posts"),
    ("archiver export jsonl --db {db} --out {jsonl}", "the archive as JSON Lines"),
    ("sqlite-utils search {db} posts 'serguei lavrov' -c id -c title", "the same index, from sqlite-utils"),
)


def scripts_prefix() -> str:
    """Where this installation's commands are, as typed from the current folder ('.venv/bin/')."""
    folder = Path(sys.executable).parent
    relative = os.path.relpath(folder)
    return (str(folder) if relative.startswith("..") else relative) + os.sep


def run_demo(db_path: str | Path, *, posts: int = DEFAULT_POSTS, drift: bool = False, echo=print) -> None:
    """Archive a freshly generated sample blog of `posts` posts (and its faulty pages) into db_path, print the summary.

    With `drift`, the blog's templates drift from the bundled theme profiles' (class names, print buttons,
    plain-list archives, id-less permalinks...): some keep a layout a profile detects (the summary's
    "classic" and "modern"), the others no profile knows ("generic"); what a profile misses is read by the
    platform's rules, in words.
    """
    with tempfile.TemporaryDirectory(prefix="archiver-demo-") as folder:
        site = build_site(Path(folder) / "blog", posts=posts - len(SEED_SETUP), drift=drift)
        with ReplicaServer(site.root) as server:
            kind = DRIFT_KIND if drift else "Sample blog"
            echo(f"{kind} ({site.post_count} posts and {site.fault_count} faulty pages) served at "
                 f"{server.base_url}/ ; archiving it into {db_path}")
            # Every failure is in the summary below, so the log stays quiet.
            summary = run_crawl([server.base_url + "/"], db_path, {**LOCAL_SETTINGS, "LOG_LEVEL": "CRITICAL"})
    echo(summary_text(summary))
    raise_if_failed(summary)
    reader = export_html(db_path, reader_folder(db_path))
    store.open_existing_archive(db_path).close()  # the last writer closes: SQLite folds its -wal in, removes -shm
    echo(f"\nThe offline reader ({reader.posts} posts, {reader.categories} categories): open {reader.home.as_uri()}")
    echo("\n" + faults_text(summary, site.fault_count))
    echo("\nTry next:\n" + "\n".join(next_steps(db_path, scripts_prefix())))


def faults_text(summary: CrawlSummary, faulty: int) -> str:
    """What the sample blog's faulty pages did on this run: the failures above, or none this time."""
    said = f"The sample blog has {faulty} deliberately faulty pages ({FAULTY_PAGES})"
    if summary.failures:
        return f"{said}: the failures above are expected, and the crawl went on without them."
    return f"{said}: this run reported none of them."


def next_steps(db_path: str | Path, prefix: str) -> list[str]:
    """The commands to try on this archive, each naming it (quoted for the shell), with what it shows."""
    path = Path(db_path)
    values = {"db": shlex.quote(str(path)), "jsonl": shlex.quote(str(path.with_suffix(".jsonl")))}
    commands = [prefix + command.format(**values) for command, _ in NEXT_COMMANDS]
    width = max(len(command) for command in commands)
    return [f"  {command:<{width}}   # {why}" for command, (_, why) in zip(commands, NEXT_COMMANDS)]


def reader_folder(db_path: str | Path) -> Path:
    """Where the demo writes its reader: beside the archive, data/demo.db -> data/demo-reader/."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}-reader")
