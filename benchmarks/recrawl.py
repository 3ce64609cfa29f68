"""Section 4, re-crawl: an unchanged incremental re-crawl (no flag) and an unchanged --revalidate run on the
archive the full crawl made, in place, alternating; requests and wall time as ratios to the full crawl."""

from __future__ import annotations

from pathlib import Path

from benchmarks.changed_blog import changed_blog, changed_lines, changed_targets
from benchmarks.crawls import archiver_crawl, crawl_seconds, run
from benchmarks.report import Section, Target, table
from benchmarks.site import ServedSite
from benchmarks.spread import per_run

TITLE = "4. Re-crawl (unchanged blog, then changed)"
MODES = {"incremental (no flag)": [], "--revalidate": ["--revalidate"]}


def recrawl_runs(server, site: ServedSite, db: Path, runs: int) -> dict[str, list[dict]]:
    """`runs` rounds of each mode on the same archive (the order alternating), with the crawl's own seconds."""
    done = {mode: [] for mode in MODES}
    for i in range(runs):
        for mode in list(MODES)[:: 1 if i % 2 == 0 else -1]:
            figures = run(server, archiver_crawl(site.base_url, db, *MODES[mode]))
            figures["crawl_s"] = crawl_seconds(db)
            done[mode].append(figures)
    return done


def recrawl_rows(done: dict[str, list[dict]], full: list[dict]) -> list[list[str]]:
    """The full crawl's medians, then each mode's figures with their shares of them."""
    medians = {key: per_run(full, key).median for key in ("requests", "wall", "crawl_s")}
    rows = [["full crawl (section 1)", f"{medians['requests']:.0f}", "100%", f"{medians['wall']:.1f}", "100%",
             f"{medians['crawl_s']:.1f}"]]
    for mode, figures in done.items():
        requests, wall, crawl = (per_run(figures, key) for key in ("requests", "wall", "crawl_s"))
        rows.append([mode, requests.show(0), f"{requests.median / medians['requests']:.1%}", wall.show(1),
                     f"{wall.median / medians['wall']:.1%}", crawl.show(1)])
    return rows


def recrawl_targets(quiet: list[dict], full: list[dict], categories: int) -> list[Target]:
    """The unchanged incremental run's targets: requests against the categories, wall time against the full crawl's."""
    requests, wall, crawl = (per_run(quiet, key).median for key in ("requests", "wall", "crawl_s"))
    full_wall, full_crawl = per_run(full, "wall").median, per_run(full, "crawl_s").median
    crawl_share = f"; crawl time {crawl / full_crawl:.1%}" if full_crawl else ""
    return [Target(f"unchanged incremental <= categories + 3 = {categories + 3} requests", requests <= categories + 3,
                   f"{requests:.0f}"),
            Target("unchanged incremental < 5% of the full crawl's time (wall)", wall < 0.05 * full_wall,
                   f"{wall / full_wall:.1%} ({wall:.1f} s of {full_wall:.1f} s{crawl_share})")]


def recrawl_section(server, site: ServedSite, db: Path, full: list[dict], runs: int, posts: int, folder: Path) -> Section:
    """The re-crawl table beside the full crawl's medians, and the incremental targets; then the blog changes
    (benchmarks/changed_blog.py: the served replica is changed, so this section comes last on it)."""
    done = recrawl_runs(server, site, db, runs)
    lines = [*table(["run", "requests", "of full", "wall s", "of full", "crawl s (Scrapy's)"], recrawl_rows(done, full)),
             "", "Wall time includes the process start-up; 'crawl s' is the run's own time as the archive records it.", ""]
    found = changed_blog(server, site, db, posts, folder)
    lines += [f"Then the blog changes (`evolve --add 5 --edit 3 --delete 1 --comment 10`), each revalidation one run, "
              "on two copies of the archive:", "", *changed_lines(found)]
    return Section(TITLE, lines, recrawl_targets(done["incremental (no flag)"], full, site.categories) + changed_targets(found))
