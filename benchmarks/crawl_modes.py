"""Benchmark (not a test): requests, bytes and time of each crawl mode on a large replica, as ratios to a full crawl.

    .venv/bin/python benchmarks/crawl_modes.py --posts 1000

Builds the replica (posts + 4 seed notes, 50 categories), serves it on 127.0.0.1 on one port for every run,
and crawls it from its home page with the CLI (a subprocess per run, the local settings): a full crawl, an
unchanged incremental re-crawl, an unchanged --revalidate run, then after `evolve_site` adds 5 posts and
edits 3 old ones, an incremental run and a --revalidate run. Requests are counted by the server (robots.txt
included); bytes are Scrapy's `downloader/response_bytes`; crawl time is Scrapy's `elapsed_time_seconds`
(process start-up left out, shown apart as wall time).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from archiver import store
from archiver.crawl.run_settings import LOCAL_SETTINGS
from archiver.replica import ReplicaServer, build_site
from archiver.replica.evolve import evolve_site

PROJECT = Path(__file__).resolve().parent.parent
RUNS = (  # (label, CLI options, evolve the blog before the run)
    ("full", ["--full"], False),
    ("unchanged incremental", [], False),
    ("unchanged --revalidate", ["--revalidate"], False),
    ("5 new + 3 edited: incremental", [], True),
    ("then --revalidate", ["--revalidate"], False),
)


def crawl(server: ReplicaServer, db: Path, options: list[str]) -> dict:
    """One CLI crawl from the home page: its figures, from the server's log and the run's stats."""
    settings = [arg for name, value in LOCAL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    before, started = Counter(server.hits), time.monotonic()
    result = subprocess.run([sys.executable, "-m", "archiver", "crawl", server.base_url + "/", "--db", str(db),
                             *settings, "-s", "LOG_LEVEL=WARNING", *options], cwd=PROJECT, capture_output=True, text=True)
    wall = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
    archive = store.open_existing_archive(db)
    try:
        run = next(store.iter_runs(archive, limit=1))
    finally:
        archive.close()
    stats = run["stats"] or {}
    return {
        "requests": sum((Counter(server.hits) - before).values()), "bytes": stats.get("downloader/response_bytes", 0),
        "seconds": stats.get("elapsed_time_seconds", 0.0), "wall": wall, "exit": result.returncode,
        "304": stats.get("archiver/pages/not_modified", 0), "mode": stats.get("archiver/mode/effective"),
        "posts": f"{run['posts_new']}/{run['posts_updated']}/{run['posts_unchanged']}",
    }


def table(figures: dict[str, dict]) -> str:
    """The figures of every run beside their ratios to the full crawl's."""
    full = figures["full"]
    lines = [f"{'run':32} {'mode':11} {'requests':>9} {'ratio':>7} {'bytes':>12} {'ratio':>7} {'crawl s':>8} "
             f"{'ratio':>7} {'wall s':>7} {'304s':>5} {'new/upd/unch':>13} exit"]
    for label, row in figures.items():
        ratios = [row[key] / full[key] if full[key] else 0.0 for key in ("requests", "bytes", "seconds")]
        lines.append(f"{label:32} {row['mode'] or '?':11} {row['requests']:>9} {ratios[0]:>7.1%} {row['bytes']:>12,} "
                     f"{ratios[1]:>7.1%} {row['seconds']:>8.2f} {ratios[2]:>7.1%} {row['wall']:>7.1f} {row['304']:>5} "
                     f"{row['posts']:>13} {row['exit']}")
    return "\n".join(lines)


def targets(figures: dict[str, dict], categories: int) -> list[str]:
    """The issue's targets, each with its verdict."""
    full, quiet, again = figures["full"], figures["unchanged incremental"], figures["unchanged --revalidate"]
    checks = [
        (f"unchanged incremental <= categories + 3 = {categories + 3} requests", quiet["requests"] <= categories + 3),
        ("unchanged incremental < 5% of the full crawl's time", quiet["seconds"] < 0.05 * full["seconds"]),
        ("unchanged --revalidate < 10% of the full crawl's bytes", again["bytes"] < 0.10 * full["bytes"]),
    ]
    return [f"{'ok  ' if ok else 'MISS'} {text}" for text, ok in checks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="generated posts (>= 60), besides the 4 seed notes")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crawl-modes-") as folder:
        started = time.monotonic()
        info = build_site(Path(folder) / "site", posts=args.posts, seed=args.seed)
        print(f"replica: {info.post_count} posts, {info.category_count} categories, {info.listing_page_count} "
              f"category pages (built in {time.monotonic() - started:.1f} s)", flush=True)
        db, figures = Path(folder) / "archive.db", {}
        with ReplicaServer(info.root) as server:
            for label, options, evolve in RUNS:
                if evolve:
                    evolve_site(info.root, add=5, edit=3, posts=args.posts, seed=args.seed)
                figures[label] = crawl(server, db, options)
                print(f"  {label}: {figures[label]['requests']} requests, {figures[label]['seconds']:.1f} s", flush=True)
    print(table(figures))
    print("\n".join(targets(figures, info.category_count)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
