"""`archiver demo`: build the sample blog, serve it on 127.0.0.1, archive it, show what to do next."""

from __future__ import annotations

import tempfile
from pathlib import Path

from archiver.crawl import LOCAL_SETTINGS, check_outcome, run_crawl, summary_text
from archiver.replica import ReplicaServer, build_site

NEXT_STEPS = """
Try next:
  sqlite-utils search {db} posts "fevrier" --limit 3        # full-text search (accents optional)
  archiver export jsonl --db {db} --out data/demo.jsonl     # the archive as JSON Lines
  sqlite-utils tables {db} --counts                         # what the archive holds
"""


def run_demo(db_path: str | Path, *, posts: int = 72, echo=print) -> None:
    """Archive a freshly generated sample blog into db_path and print the summary."""
    with tempfile.TemporaryDirectory(prefix="archiver-demo-") as folder:
        site = build_site(Path(folder) / "blog", posts=posts)
        with ReplicaServer(site.root) as server:
            echo(f"Sample blog ({site.post_count} posts) served at {server.base_url}/ ; archiving it into {db_path}")
            summary = run_crawl([server.base_url + "/"], db_path, {**LOCAL_SETTINGS, "LOG_LEVEL": "WARNING"})
    echo(summary_text(summary))
    check_outcome(summary)
    echo(NEXT_STEPS.format(db=db_path).rstrip())
