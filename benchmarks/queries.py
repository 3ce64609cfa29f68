"""Section 5, queries: benchmarks/query_export run as a subprocess (search latency on a generated archive against
bare FTS5, export throughput and peak memory at two sizes), its JSON read into the table."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from benchmarks.measure import PROJECT, python_module
from benchmarks.query_export import slowest_kind
from benchmarks.report import Section, Target, not_measured, table

TITLE = "5. Queries and export"
GOALS = ("search p95 < 10 ms", "search p95 < 10 ms in every kind of query", "export memory flat and < 100 MB")


def run_query_export(posts: int, small: int, queries: int, out: Path) -> dict:
    """Run query_export (archives cached under data/bench/) and return its figures."""
    command = python_module("benchmarks.query_export", "--posts", str(posts), "--small", str(small),
                            "--queries", str(queries), "--json", str(out))
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"query_export exited {result.returncode}: {result.stderr[-800:]}")
    return json.loads(out.read_text())


def search_rows(search: dict) -> list[list[str]]:
    """A row per kind of query: ours and bare FTS5, p50 and p95 in ms, and our CPU time's p95 (the search's
    own time, whatever else the machine runs)."""
    return [[kind, row["ours"]["n"], f"{row['ours']['p50']:.2f}", f"{row['ours']['p95']:.2f}",
             f"{row['baseline']['p50']:.2f}", f"{row['baseline']['p95']:.2f}", f"{row['ratio']['p95']:.1f}x",
             f"{row['ours_cpu']['p95']:.2f}" if "ours_cpu" in row else "-"]
            for kind, row in search.items()]


def export_rows(figures: dict) -> list[list[str]]:
    """A row per archive size: ours and the raw dump, posts/s and peak RSS."""
    rows = []
    for size, row in figures["export"].items():
        posts = figures["archives"][size]["posts"]
        rows.append([f"{size}: {posts:,} posts", f"{row['ours']['posts_per_s']:,.0f}", f"{row['baseline']['posts_per_s']:,.0f}",
                     f"{row['ours']['rss_mb']:.1f}", f"{row['baseline']['rss_mb']:.1f}"])
    return rows


def queries_section(folder: Path, posts: int, small: int, queries: int) -> Section:
    """Search latency and export tables, and their targets."""
    try:
        figures = run_query_export(posts, small, queries, folder / "query_export.json")
        search, export = figures["search"], figures["export"]
        p95 = search["all"]["ours"]["p95"]
        kind, worst = slowest_kind(search)
        small_rss, big_rss = export["small"]["ours"]["rss_mb"], export["big"]["ours"]["rss_mb"]
    except (RuntimeError, KeyError, ValueError) as error:
        return not_measured(TITLE, f"query_export failed or changed its JSON ({error})", GOALS)
    growth = big_rss - small_rss
    flat = growth <= max(5.0, 0.1 * small_rss)  # query_export's own rule
    lines = [f"`python -m benchmarks.query_export --posts {posts} --small {small} --queries {queries}` "
             "(generated archives, cached in data/bench/).", "",
             *table([f"search, {posts:,} posts (ms)", "n", "ours p50", "ours p95", "bare p50", "bare p95",
                     "ratio p95", "ours CPU p95"], search_rows(search)), "",
             *table(["export jsonl", "ours posts/s", "raw dump posts/s", "ours peak MB", "raw dump peak MB"],
                    export_rows(figures))]
    targets = [Target("search p95 < 10 ms", p95 < 10, f"{p95:.2f} ms at {posts:,} posts"),
               Target("search p95 < 10 ms in every kind of query", worst < 10, f"slowest: {kind}, {worst:.2f} ms"),
               Target("export memory flat and < 100 MB", flat and big_rss < 100,
                      f"{small_rss:.1f} -> {big_rss:.1f} MB ({growth:+.1f} MB)")]
    return Section(TITLE, lines, targets)
