"""Section 6, memory: one full crawl of a large replica (one run: it is long), its peak RSS, wall time and pages/s;
then the web-archive exports of the archive it made (benchmarks/web_archive.py).

The peak judged is the peak of the SUM of the crawl's processes' memory (their proportional shares, PSS) (benchmarks/measure.py: a crawl that hands
work to worker processes costs the machine all of them at once); the largest process's own peak is shown beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.archive_reader import archived_posts
from benchmarks.crawls import archive_stats, archiver_crawl, lost_posts, run
from benchmarks.report import Section, Target, table
from benchmarks.servers import static_server
from benchmarks.site import build_served_site
from benchmarks.web_archive import web_archive_figures, web_archive_lines

TITLE = "6. Memory"
LIMIT_MB = 250


def memory_section(folder: Path, posts: int, prefer_nginx: bool) -> Section:
    """Build and serve a `posts`-post replica, crawl it once, and say its peak RSS against the limit."""
    site = build_served_site(folder / "large", posts)
    db = folder / "large.db"
    try:
        with static_server(site, prefer_nginx) as server:
            # A category of a 20,000-post replica lists 5,000 posts on more pages than a crawl follows by default.
            cap = f"ARCHIVER_MAX_LISTING_PAGES={site.posts}"
            figures = run(server, archiver_crawl(site.base_url, db, "--full", "-s", cap))
        archived = archive_stats(db)["posts"]
        lost = lost_posts(site.truth(), archived_posts(db))
        exports = web_archive_figures(db, folder)
    finally:
        shutil.rmtree(folder / "large", ignore_errors=True)
    rss, largest, wall = figures["rss_sum_mb"], figures["rss_mb"], figures["wall"]
    lines = [f"One full crawl (one run: it is long) of a {site.posts:,}-post replica ({site.categories} categories).", "",
             *table(["crawl", "posts archived", "requests", "wall s", "pages/s", "peak MB (all processes, PSS)",
                     "largest process MB", "posts lost"],
                    [["archiver crawl --full", archived, figures["requests"], f"{wall:.1f}",
                      f"{figures['requests'] / wall:.0f}", f"{rss:.0f}", f"{largest:.0f}", len(lost)]]),
             "", f"The crawl said: {figures['stdout'].splitlines()[0] if figures['stdout'] else '(nothing)'}", ""]
    export_lines, export_targets = web_archive_lines(exports, archived, db.stat().st_size / 2**20)
    return Section(TITLE, lines + export_lines,
                   [Target(f"crawl peak RSS (all its processes) < {LIMIT_MB} MB at {site.posts:,} posts", rss < LIMIT_MB,
                           f"{rss:.0f} MB"),
                    *export_targets])
