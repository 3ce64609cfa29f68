"""Section 1, the crawl: `archiver crawl --full` against a bare Scrapy spider and `wget --mirror`, run by run."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.archive_reader import archived_posts, run_stats
from benchmarks.crawls import (
    WGET_FLAGS, WGET_SERVER_ERRORS, archive_stats, archiver_crawl, bare_crawl, lost_posts, run, wget_mirror,
)
from benchmarks.report import Section, Target, table
from benchmarks.site import ServedSite
from benchmarks.spread import Spread, per_run, ratio, spread

TITLE = "1. Crawl"


def crawl_ours(server, site: ServedSite, db: Path) -> dict:
    """One full crawl into a new archive: its figures, the archive's posts, and from the run's stats its own
    seconds, the images its media pipeline downloaded and the listing pages it read."""
    figures = run(server, archiver_crawl(site.base_url, db, "--full"))
    stats = run_stats(db)
    return figures | {"db": db, "posts": archive_stats(db)["posts"],
                      "crawl_s": stats.get("elapsed_time_seconds", 0.0),
                      "images": stats.get("archiver/media/downloaded", 0),
                      "listings": stats.get("archiver/pages/listings", 0)}


def crawl_runs(server, site: ServedSite, folder: Path, runs: int, with_wget: bool) -> dict[str, list[dict]]:
    """`runs` rounds of ours, bare and wget, interleaved (each round starts with the next one)."""
    tools = {"ours": lambda i: crawl_ours(server, site, folder / f"full-{i}.db"),
             "bare Scrapy": lambda i: run(server, bare_crawl(site.base_url))}
    if with_wget:
        tools["wget"] = lambda i: mirror(server, site, folder / f"wget-{i}")
    names, done = list(tools), {name: [] for name in tools}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            done[name].append(tools[name](i))
            print(f"  crawl run {i + 1}/{runs}, {name}: {done[name][-1]['wall']:.1f} s, "
                  f"{done[name][-1]['requests']} requests", flush=True)
    return done


def mirror(server, site: ServedSite, folder: Path) -> dict:
    """One wget mirror into `folder`, removed afterwards."""
    try:
        return run(server, wget_mirror(site.base_url, folder), ok_exits=(0, WGET_SERVER_ERRORS))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def pages_per_second(runs: list[dict]) -> Spread:
    return spread(run["requests"] / run["wall"] for run in runs)


def row(name: str, runs: list[dict], posts: float, ours: list[dict]) -> list[str]:
    """Wall, requests, pages/s, requests per post, peak RSS of one tool, and ours/its wall and pages/s."""
    wall, requests, rate = per_run(runs, "wall"), per_run(runs, "requests"), pages_per_second(runs)
    return [name, wall.show(1), requests.show(0), rate.show(0), f"{requests.median / posts:.2f}",
            per_run(runs, "rss_mb").show(0), f"{ratio(per_run(ours, 'wall'), wall):.2f}",
            f"{ratio(pages_per_second(ours), rate):.2f}"]


def crawl_lines(done: dict[str, list[dict]], site: ServedSite, archived: float, lost: list[str]) -> list[str]:
    """The table of the crawlers and what it needs said beside it."""
    ours = done["ours"]
    names = {"ours": "archiver crawl --full", "bare Scrapy": "bare Scrapy spider", "wget": f"wget {' '.join(WGET_FLAGS)}"}
    rows = [row(names[name], runs, archived if name == "ours" else site.posts, ours) for name, runs in done.items()]
    images, listings = per_run(ours, "images").median, per_run(ours, "listings").median
    return table(["crawler", "wall s", "requests", "pages/s", "requests/post", "peak RSS MB", "ours/this wall",
                  "ours/this pages/s"], rows) + [
        "", f"Requests per post: ours per archived post ({archived:.0f}), the others per post of the ground truth "
        f"({site.posts}). Ours against the ground truth: "
        + ("posts lost: 0." if not lost else f"posts lost: {len(lost)}: {', '.join(lost[:20])}."),
        f"The crawl's own time (Scrapy's, start-up aside): {per_run(ours, 'crawl_s').show(1)} s. Ours' requests "
        f"include {listings:.0f} listing pages and {images:.0f} body images (its media pipeline; the others fetch "
        f"no images), and robots.txt. All three obey robots.txt (wget by default); the same 32 concurrent requests for "
        f"ours and the bare spider. wget: " + ("one connection, as it works." if "wget" in done
                                               else "not measured: wget not installed.")]


def crawl_targets(done: dict[str, list[dict]], archived: float, lost: list[str], posts: int) -> list[Target]:
    """The crawl's targets: speed against bare Scrapy, requests per post, no post lost, the wget moonshot."""
    ours, bare = done["ours"], done["bare Scrapy"]
    wall_ratio = ratio(per_run(bare, "wall"), per_run(ours, "wall"))
    rate_ratio = ratio(pages_per_second(ours), pages_per_second(bare))
    requests, images = per_run(ours, "requests").median, per_run(ours, "images").median
    targets = [
        Target("crawl >= 0.95x bare Scrapy (whole job: bare wall / ours)", wall_ratio >= 0.95, f"{wall_ratio:.2f}x"),
        Target("crawl >= 0.95x bare Scrapy (pages/s)", rate_ratio >= 0.95, f"{rate_ratio:.2f}x"),
        Target("<= 1.1 requests per archived post", requests / archived <= 1.1,
               f"{requests / archived:.2f} ({(requests - images) / archived:.2f} without the {images:.0f} images)"),
        Target("no post lost (ground truth)", not lost, f"{len(lost)} lost of {posts}"),
    ]
    if "wget" not in done:
        return targets + [Target("moonshot: faster than wget (wall)", None, "wget not installed")]
    wget_ratio = ratio(per_run(ours, "wall"), per_run(done["wget"], "wall"))
    return targets + [Target("moonshot: faster than wget (wall)", wget_ratio < 1, f"ours/wget wall {wget_ratio:.2f}")]


def crawl_section(server, site: ServedSite, folder: Path, runs: int, wget: str | None) -> tuple[Section, dict]:
    """The crawl table, the posts lost, the targets; and the figures later sections build on."""
    done = crawl_runs(server, site, folder, runs, with_wget=wget is not None)
    archived = per_run(done["ours"], "posts").median
    lost = lost_posts(site.truth(), archived_posts(done["ours"][-1]["db"]))
    section = Section(TITLE, crawl_lines(done, site, archived, lost), crawl_targets(done, archived, lost, site.posts))
    return section, {"ours": done["ours"], "db": done["ours"][-1]["db"]}
