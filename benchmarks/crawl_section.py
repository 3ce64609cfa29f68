"""Section 1, the crawl: `archiver crawl --full` against a bare Scrapy spider and `wget --mirror`, run by run."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.crawls import (
    WGET_FLAGS, WGET_SERVER_ERRORS, archive_stats, archived_posts, archiver_crawl, bare_crawl, crawl_seconds, lost_posts,
    run, wget_mirror,
)
from benchmarks.report import Section, Target, table
from benchmarks.site import ServedSite
from benchmarks.spread import per_run, ratio, spread

TITLE = "1. Crawl"


def crawl_ours(server, site: ServedSite, db: Path) -> dict:
    """One full crawl into a new archive: its figures, the archive's post count, the crawl's own seconds."""
    figures = run(server, archiver_crawl(site.base_url, db, "--full"))
    stats = archive_stats(db)
    figures |= {"posts": stats["posts"], "crawl_s": crawl_seconds(db), "db": db}
    return figures


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


def row(name: str, runs: list[dict], posts: float) -> list[str]:
    """Wall, requests, pages/s, requests per post and peak RSS of one tool."""
    wall, requests = per_run(runs, "wall"), per_run(runs, "requests")
    rate = spread(run["requests"] / run["wall"] for run in runs)
    return [name, wall.show(1), requests.show(0), rate.show(0), f"{requests.median / posts:.2f}",
            per_run(runs, "rss_mb").show(0)]


def crawl_section(server, site: ServedSite, folder: Path, runs: int, wget: str | None) -> tuple[Section, dict]:
    """The crawl table, the posts lost, the targets; and the figures later sections build on."""
    done = crawl_runs(server, site, folder, runs, with_wget=wget is not None)
    ours, bare = done["ours"], done["bare Scrapy"]
    archived = per_run(ours, "posts").median
    lost = lost_posts(site.truth(), archived_posts(ours[-1]["db"]))
    rows = [row("archiver crawl --full", ours, archived), row("bare Scrapy spider", bare, site.posts)]
    if wget:
        rows.append(row(f"wget {' '.join(WGET_FLAGS)}", done["wget"], site.posts))
    rate = lambda runs: spread(run["requests"] / run["wall"] for run in runs)  # noqa: E731
    wall_ratio, rate_ratio = ratio(per_run(bare, "wall"), per_run(ours, "wall")), ratio(rate(ours), rate(bare))
    per_post = per_run(ours, "requests").median / archived
    lines = table(["crawler", "wall s", "requests", "pages/s", "requests/post", "peak RSS MB"], rows) + [
        "", f"Requests per post: ours per archived post ({archived:.0f}), the others per post of the ground truth "
        f"({site.posts}). Ours archived every post it should: "
        + ("posts lost: 0." if not lost else f"posts lost: {len(lost)}: {', '.join(lost[:20])}."),
        f"Ours/bare: wall-time ratio {ratio(per_run(ours, 'wall'), per_run(bare, 'wall')):.2f} "
        f"(bare is {wall_ratio:.2f}x ours in speed), pages/s ratio {rate_ratio:.2f}; "
        f"the crawl's own time (Scrapy's, start-up aside) {per_run(ours, 'crawl_s').show(1)} s."]
    targets = [
        Target("crawl >= 0.9x bare Scrapy (whole job, wall)", wall_ratio >= 0.9, f"{wall_ratio:.2f}x"),
        Target("crawl >= 0.9x bare Scrapy (pages/s)", rate_ratio >= 0.9, f"{rate_ratio:.2f}x"),
        Target("<= 1.1 requests per archived post", per_post <= 1.1, f"{per_post:.2f}"),
        Target("no post lost", not lost, f"{len(lost)} lost of {site.posts}"),
    ]
    if wget:
        wget_ratio = ratio(per_run(ours, "wall"), per_run(done["wget"], "wall"))
        lines.append(f"Ours/wget wall-time ratio: {wget_ratio:.2f}.")
        targets.append(Target("moonshot: faster than wget (wall)", wget_ratio < 1, f"ours/wget {wget_ratio:.2f}"))
    else:
        lines.append("wget: not measured: wget not installed.")
        targets.append(Target("moonshot: faster than wget (wall)", None, "wget not installed"))
    return Section(TITLE, lines, targets), {"ours": ours, "db": ours[-1]["db"]}
