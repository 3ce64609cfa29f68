"""Section 4, the blog lives on: after `evolve --add 5 --edit 3 --delete 1 --comment 10`, what `--revalidate` asks to
find what changed: the listings as change detectors (every post within ARCHIVER_FULL_CHECK_RUNS runs) against the
per-post revalidation (ARCHIVER_FULL_CHECK_RUNS=1: every post asked, each run), on copies of one archive."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from archiver.replica.evolve import evolve_site
from archiver.replica.truth import FAULTS_FILE, TRUTH_FILE
from benchmarks.crawls import archiver_crawl, copy_archive, run
from benchmarks.report import Target, table
from benchmarks.site import ServedSite, rewrite_for

CHANGES = {"add": 5, "edit": 3, "delete": 1, "comment": 10}  # issue 22's scenario
FULL_CHECK_RUNS = 8  # the default of ARCHIVER_FULL_CHECK_RUNS: a weekly run checks every post within 8 weeks
SHARE = 0.15  # of the per-post revalidation's requests


@dataclass
class ChangedBlog:
    """What the blog's change was, and what each revalidation asked and found."""

    visible: dict[str, str] = field(default_factory=dict)  # path -> what a listing shows of the change
    hidden: list[str] = field(default_factory=list)  # paths of edits past "Lire la suite"
    per_post: dict = field(default_factory=dict)  # the run of ARCHIVER_FULL_CHECK_RUNS=1
    rolling: list[dict] = field(default_factory=list)  # the default runs, one after another
    missed_first: list[str] = field(default_factory=list)  # visible changes the first default run did not archive
    hidden_found_at: dict[str, int] = field(default_factory=dict)  # path -> the run (1-based) that archived it


def evolve_served(site: ServedSite, posts: int):
    """Change the served replica as the issue says (its hidden truth put back beside it for `evolve_site`, then
    hidden again), its files rewritten for the served address."""
    for name in (TRUTH_FILE, FAULTS_FILE):
        shutil.copy2(site.hidden / name, site.root / name)
    step = evolve_site(site.root, posts=posts, **CHANGES)
    rewrite_for(site.root, site.base_url)
    for name in (TRUTH_FILE, FAULTS_FILE):
        (site.root / name).replace(site.hidden / name)
    return step


def shown_on_listing(site: ServedSite, record: dict) -> bool:
    """Whether the post's month archive shows its last paragraph (an edit appends one): else it is cut there."""
    path = urlsplit(record["url"]).path
    month = site.root / path.lstrip("/").rsplit("/", 2)[0] / "index.html"
    last = record["body_text"].strip().split("\n\n")[-1]
    text = lxml.html.fromstring(month.read_bytes()).text_content()
    return " ".join(last.split()) in " ".join(text.split())


def archived(db: Path) -> dict[str, dict]:
    """The archive's posts by path: body text, comment count, gone."""
    with closing(sqlite3.connect(db)) as archive:
        rows = archive.execute("SELECT url, body_text, comments_count, gone FROM posts").fetchall()
    return {urlsplit(url).path: {"body_text": text, "comments_count": count, "gone": gone}
            for url, text, count, gone in rows}


def missing(db: Path, expected: dict[str, dict], deleted: list[str]) -> list[str]:
    """The changed posts (paths) whose change the archive does not hold."""
    posts = archived(db)
    wrong = [path for path, record in expected.items() if path not in posts
             or posts[path]["body_text"] != record["body_text"] or posts[path]["comments_count"] != record["comments_count"]]
    return wrong + [path for path in deleted if not (posts.get(path) or {}).get("gone")]


def revalidate(server, site: ServedSite, db: Path, runs: int) -> dict:
    return run(server, archiver_crawl(site.base_url, db, "--revalidate", "-s", f"ARCHIVER_FULL_CHECK_RUNS={runs}"))


def changed_blog(server, site: ServedSite, db: Path, posts: int, folder: Path) -> ChangedBlog:
    """Copy the archive twice, change the blog, then revalidate one copy per post and the other FULL_CHECK_RUNS times
    with the listings as change detectors."""
    per_post_db, rolling_db = copy_archive(db, folder / "per-post.db"), copy_archive(db, folder / "rolling.db")
    step = evolve_served(site, posts)
    truth = {urlsplit(record["url"]).path: record for record in site.truth()}
    changed = {"added": step.added, "edited": step.edited, "commented": step.commented}
    paths = {kind: [urlsplit(url).path for url in urls] for kind, urls in changed.items()}
    deleted = [urlsplit(url).path for url in step.deleted]
    found = ChangedBlog()
    for path in paths["added"] + paths["commented"]:
        found.visible[path] = "new post" if path in paths["added"] else "new comment"
    for path in paths["edited"]:
        if shown_on_listing(site, truth[path]):
            found.visible[path] = "edit in the visible text"
        else:
            found.hidden.append(path)
    found.per_post = revalidate(server, site, per_post_db, 1)
    expected_visible = {path: truth[path] for path in found.visible}
    for number in range(1, FULL_CHECK_RUNS + 1):
        found.rolling.append(revalidate(server, site, rolling_db, FULL_CHECK_RUNS))
        if number == 1:
            found.missed_first = missing(rolling_db, expected_visible, deleted)
        for path in found.hidden:
            if path not in found.hidden_found_at and not missing(rolling_db, {path: truth[path]}, []):
                found.hidden_found_at[path] = number
    return found


def changed_lines(found: ChangedBlog) -> list[str]:
    """The table of the changed blog's revalidations."""
    base = found.per_post["requests"]
    first, later = found.rolling[0], found.rolling[1:]
    later_requests = sorted(figures["requests"] for figures in later)
    rows = [["per-post revalidation (ARCHIVER_FULL_CHECK_RUNS=1)", f"{base:,}", "100%", f"{found.per_post['wall']:.1f}"],
            [f"--revalidate (every post within {FULL_CHECK_RUNS} runs), first run after the change",
             f"{first['requests']:,}", f"{first['requests'] / base:.1%}", f"{first['wall']:.1f}"]]
    if later_requests:
        rows.append([f"the same, runs 2-{FULL_CHECK_RUNS} (min-max)", f"{later_requests[0]:,}-{later_requests[-1]:,}",
                     f"{later_requests[-1] / base:.1%}", f"{max(f['wall'] for f in later):.1f} (max)"])
    kinds = sorted(set(found.visible.values()))
    shown = ", ".join(f"{sum(1 for k in found.visible.values() if k == kind)} {kind}" for kind in kinds)
    hidden = ", ".join(f"run {found.hidden_found_at.get(path, 'never')}" for path in found.hidden) or "none in this draw"
    return [*table(["after the change", "requests", "of per-post", "wall s"], rows), "",
            f"Changes a listing shows: {shown}, {CHANGES['delete']} deleted post; the first run missed "
            f"{len(found.missed_first)}{': ' + ', '.join(found.missed_first) if found.missed_first else ''}. "
            f"Edits hidden past \"Lire la suite\": {len(found.hidden)}, archived by the rolling check at: {hidden}."]


def changed_targets(found: ChangedBlog) -> list[Target]:
    """The issue's targets for the changed blog."""
    base, first = found.per_post["requests"], found.rolling[0]["requests"]
    late = [path for path in found.hidden if found.hidden_found_at.get(path, FULL_CHECK_RUNS + 1) > FULL_CHECK_RUNS]
    return [
        Target(f"--revalidate after the change <= {SHARE:.0%} of the per-post revalidation's requests",
               first <= SHARE * base, f"{first:,} of {base:,} ({first / base:.1%})"),
        Target("--revalidate finds every change the listings show (first run)", not found.missed_first,
               f"{len(found.missed_first)} missed of {len(found.visible) + CHANGES['delete']}"),
        Target(f"edits past \"Lire la suite\" found within {FULL_CHECK_RUNS} runs", not late,
               f"{len(found.hidden) - len(late)} of {len(found.hidden)}"),
    ]
