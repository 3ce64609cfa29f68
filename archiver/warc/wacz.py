"""`archiver export wacz`: the export's WARC packaged as WACZ 1.1.1 by the `wacz` library (py-wacz), with our own
pages/pages.jsonl: one line per post (id, url, ts, title, text) for ReplayWeb.page's page list and full-text search.

The WARC and the pages file are written first in a temporary folder beside the target (streamed, one post at a
time); py-wacz then indexes the WARC (indexes/index.cdx.gz), copies it to archive/data.warc.gz and the pages file
as they are, and writes datapackage.json (every entry's size and sha256) and datapackage-digest.json. WARC and
index entries are stored uncompressed, as the spec asks. The package is renamed into place at the end.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

from archiver.errors import ArchiveError, UsageError
from archiver.warc.export import WarcSummary, export_warc
from archiver.warc.records import SOFTWARE

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Posts"}
WARC_NAME = "data.warc.gz"  # archive/data.warc.gz, the spec's own example


def export_wacz(db_path: str | Path, out: str | Path, *, with_history: bool = False,
                warn: Callable[[str], None] = print, **filters) -> WarcSummary:
    """Write the archive at db_path as a WACZ package to `out` (replaced whole at the end, never half-written);
    `filters` as `store.iter_posts` takes them. The summary is the WARC's, `bytes` the package's size."""
    path = Path(out)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error}") from error
    try:
        pages = work / "pages.jsonl"
        with pages.open("w", encoding="utf-8") as fp:
            fp.write(json.dumps(PAGES_HEADER) + "\n")
            summary = export_warc(db_path, work / WARC_NAME, with_history=with_history, warn=warn,
                                  on_post=lambda post, date: fp.write(page_line(post, date) + "\n"), **filters)
        package = work / "package.wacz"
        _package(work / WARC_NAME, pages, package, title=_title(summary))
        os.replace(package, path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error}") from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.bytes = path.stat().st_size
    return summary


def page_line(post: dict, date: str) -> str:
    """A post's line in pages.jsonl: its id, permalink, the WARC-Date of its page's response (`ts`), title, text."""
    page = {"id": post["id"], "url": post["url"], "ts": date, "title": post["title"] or post["url"],
            "text": post["body_text"] or ""}
    return json.dumps(page, ensure_ascii=False)


def _package(warc: Path, pages: Path, package: Path, *, title: str) -> None:
    """Run py-wacz's create on our WARC and pages file (its progress messages kept off our standard output)."""
    from wacz.main import create_wacz

    options = Namespace(
        inputs=[str(warc)], output=str(package), pages=str(pages), copy_pages=True, extra_pages=None,
        detect_pages=False, text=False, hash_type="sha256", url=None, ts=None, date=None, title=title,
        desc=f"Exported by {SOFTWARE}: the pages its crawls fetched, replayable; one page per post in pages.jsonl.",
        log_directory=None, signing_url=None, signing_token=None, split_seeds=False, file=True,
    )
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        status = create_wacz(options)
    if status:
        raise ArchiveError(f"the WACZ could not be made: {said.getvalue().strip().splitlines()[-1:]}")


def _title(summary: WarcSummary) -> str:
    """The package's title: the blog's name (when a crawl read it) and its number of posts."""
    return f"{summary.blog_name or 'Blog archive'}: {summary.posts} posts"
