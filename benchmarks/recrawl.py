"""Section 4, re-crawl: an unchanged incremental re-crawl (no flag) and an unchanged --revalidate run on the
archive the full crawl made, in place, alternating; requests and wall time as ratios to the full crawl."""

from __future__ import annotations

from pathlib import Path

from benchmarks.crawls import archiver_crawl, crawl_seconds, run
from benchmarks.report import Section, Target, table
from benchmarks.site import ServedSite
from benchmarks.spread import per_run

TITLE = "4. Re-crawl (unchanged blog)"
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


def recrawl_section(server, site: ServedSite, db: Path, full: list[dict], runs: int) -> Section:
    """The re-crawl table beside the full crawl's medians, and the incremental targets."""
    done = recrawl_runs(server, site, db, runs)
    full_requests, full_wall = per_run(full, "requests").median, per_run(full, "wall").median
    full_crawl = per_run(full, "crawl_s").median
    rows = [["full crawl (section 1)", f"{full_requests:.0f}", "100%", f"{full_wall:.1f}", "100%", f"{full_crawl:.1f}"]]
    for mode, figures in done.items():
        requests, wall, crawl = (per_run(figures, key) for key in ("requests", "wall", "crawl_s"))
        rows.append([mode, requests.show(0), f"{requests.median / full_requests:.1%}", wall.show(1),
                     f"{wall.median / full_wall:.1%}", crawl.show(1)])
    quiet = done["incremental (no flag)"]
    requests, wall = per_run(quiet, "requests").median, per_run(quiet, "wall").median
    limit = site.categories + 3
    lines = [*table(["run", "requests", "of full", "wall s", "of full", "crawl s (Scrapy's)"], rows), "",
             "Wall time includes the process start-up; 'crawl s' is the run's own time as the archive records it."]
    targets = [
        Target(f"unchanged incremental <= categories + 3 = {limit} requests", requests <= limit, f"{requests:.0f}"),
        Target("unchanged incremental < 5% of the full crawl's time (wall)", wall < 0.05 * full_wall,
               f"{wall / full_wall:.1%} ({wall:.1f} s of {full_wall:.1f} s; crawl time "
               f"{per_run(quiet, 'crawl_s').median / full_crawl:.1%})" if full_crawl else f"{wall / full_wall:.1%}"),
    ]
    return Section(TITLE, lines, targets)
