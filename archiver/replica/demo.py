"""`archiver demo`: build the sample blog, serve it on 127.0.0.1, archive it, write its offline reader, show what to do next."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from archiver.crawl.run import LOCAL_SETTINGS, raise_if_failed, run_crawl, summary_text
from archiver.reader import export_html
from archiver.replica import ReplicaServer, build_site

NEXT_STEPS = """
The sample blog has 4 deliberately faulty posts (a 404, a 500, a broken page, a post without
a title): the errors above are expected, and the crawl went on without them.

Try next:
  {bin}archiver search "serguei lavrov" --db {db}                       # full-text search, accents optional
  {bin}archiver show 6362153 --db {db}                                  # one post, its comments
  {bin}archiver stats --db {db}                                         # what the archive holds
  {bin}archiver categories --db {db}                                    # categories and their posts
  {bin}archiver export jsonl --db {db} --out data/demo.jsonl            # the archive as JSON Lines
  {bin}sqlite-utils search {db} posts "serguei lavrov" -c id -c title   # the same index, from sqlite-utils
"""


def scripts_prefix() -> str:
    """Where this installation's commands are, as typed from the current folder ('.venv/bin/')."""
    folder = Path(sys.executable).parent
    relative = os.path.relpath(folder)
    return (str(folder) if relative.startswith("..") else relative) + os.sep


def run_demo(db_path: str | Path, *, posts: int = 72, drift: bool = False, echo=print) -> None:
    """Archive a freshly generated sample blog into db_path and print the summary.

    With `drift`, the blog's templates are ones the bundled theme profiles do not know (class names,
    print buttons, plain-list archives, id-less permalinks...): every field is then read by the
    platform's rules, in words.
    """
    with tempfile.TemporaryDirectory(prefix="archiver-demo-") as folder:
        site = build_site(Path(folder) / "blog", posts=posts, drift=drift)
        with ReplicaServer(site.root) as server:
            kind = "Sample blog, in templates no bundled profile knows," if drift else "Sample blog"
            echo(f"{kind} ({site.post_count} posts) served at {server.base_url}/ ; archiving it into {db_path}")
            # Every failure is in the summary below, so the log stays quiet.
            summary = run_crawl([server.base_url + "/"], db_path, {**LOCAL_SETTINGS, "LOG_LEVEL": "CRITICAL"})
    echo(summary_text(summary))
    raise_if_failed(summary)
    reader = export_html(db_path, reader_folder(db_path))
    echo(f"\nThe offline reader ({reader.posts} posts, {reader.categories} categories): open {reader.home.as_uri()}")
    echo(NEXT_STEPS.format(db=db_path, bin=scripts_prefix()).rstrip())


def reader_folder(db_path: str | Path) -> Path:
    """Where the demo writes its reader: beside the archive, data/demo.db -> data/demo-reader/."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}-reader")
