"""Benchmark (not a test): search latency, export speed and memory, as ratios to bare SQLite baselines (issue 9).

    .venv/bin/python -m benchmarks.query_export --posts 50000 --small 5000 --json data/bench/query_export.json

Search: `store.search_posts` against the bare FTS5 statement on the same connection, interleaved query by
query (each query's pair in alternating order), on the big archive. Export: `archiver export jsonl` against
`sqlite-utils rows DB posts --nl` (a raw dump of one table, no categories or comments), each run in a fresh
`python -c` wrapper that reports its child's wall time and peak RSS; best wall time and highest RSS of --rounds.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from archiver import store
from archiver.store.search import prepare_for_search
from benchmarks.archive_generator import (
    CATEGORY_NAMES, CONTENT_WORDS, PHRASES, TOPIC_WORDS, TOPICS, VERSION, generate_archive, slugify,
)

PROJECT = Path(__file__).resolve().parent.parent
BASELINE_SQL = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rank LIMIT 20"
ACCENTED = [word for word in CONTENT_WORDS + TOPIC_WORDS if slugify(word) != word]
WARM_UP = 20  # queries run once before timing (page cache, statement cache)
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    child = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_mb": rss / 1024, "exit": child.returncode, "stderr": child.stderr[-500:]}))
"""


def make_queries(count: int, seed: int) -> list[tuple[str, str, dict]]:
    """(kind, FTS5 query, filters) in a fixed mix of the seven kinds the issue names."""
    rng = random.Random(seed)
    common, rare = lambda: rng.choice(CONTENT_WORDS[:40]), lambda: rng.choice(TOPICS[100:])
    long_words = [word for word in CONTENT_WORDS + TOPICS if len(word) >= 8]
    kinds = {
        "common word": lambda: (common(), {}),
        "rare word": lambda: (rare(), {}),
        "two words": lambda: (f"{common()} {rng.choice(TOPICS[:100])}", {}),
        "phrase": lambda: (f'"{rng.choice(PHRASES)}"', {}),
        "accent-free": lambda: (slugify(rng.choice(ACCENTED)).replace("-", " "), {}),
        "prefix": lambda: (rng.choice(long_words)[:5] + "*", {}),
        "filtered": lambda: (common(), rng.choice([
            {"category": rng.choice(CATEGORY_NAMES)},
            {"since": f"{(year := rng.randint(2005, 2024))}-01-01", "until": f"{year + 1}-12-31"},
            {"category": rng.choice(CATEGORY_NAMES), "since": f"{rng.randint(2005, 2020)}-06-01"},
        ])),
    }
    names = list(kinds)
    return [(names[i % len(names)], *kinds[names[i % len(names)]]()) for i in range(count)]


def timed(call) -> tuple[float, float, object]:
    """Milliseconds one call takes, of which this thread's CPU time (what other processes' load leaves out),
    and its result."""
    started, cpu = time.perf_counter(), time.thread_time()
    result = call()
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000, result


def percentiles(samples: list[float]) -> dict:
    """p50, p95 and max of milliseconds (nearest rank)."""
    ordered = sorted(samples)
    rank = lambda share: ordered[max(int(share * len(ordered) + 0.5) - 1, 0)]  # noqa: E731
    return {"p50": rank(0.50), "p95": rank(0.95), "max": ordered[-1], "n": len(ordered)}


def bench_search(path: Path, queries: list[tuple[str, str, dict]]) -> dict:
    """Latency of search_posts and of the bare FTS5 statement, per kind and in all, on a connection opened
    as `archiver search` opens it (read-only, `prepare_for_search`)."""
    db = prepare_for_search(store.open_readonly_archive(path))
    try:
        ours = lambda query, filters: store.search_posts(db, query, limit=20, **filters)  # noqa: E731
        bare = lambda query, filters: db.execute(BASELINE_SQL, [query]).fetchall()  # noqa: E731
        for _, query, filters in queries[:WARM_UP]:
            ours(query, filters)
            bare(query, filters)
        rows = []
        for index, (kind, query, filters) in enumerate(queries):
            pair = [("ours", ours), ("baseline", bare)][:: 1 if index % 2 else -1]
            times = {name: timed(lambda run=run: run(query, filters)) for name, run in pair}
            rows.append({"kind": kind, "hits": len(times["ours"][2]), **{name: ms for name, (ms, _, _) in times.items()},
                         **{f"{name}_cpu": cpu for name, (_, cpu, _) in times.items()}})
    finally:
        db.close()
    return {kind: latency(rows, kind) for kind in ["all", *dict.fromkeys(row["kind"] for row in rows)]}


def latency(rows: list[dict], kind: str) -> dict:
    """The percentiles of one kind of query (or "all"), both ways (wall time, and CPU time as "..._cpu"), their
    ratios and mean hits."""
    chosen = [row for row in rows if kind in ("all", row["kind"])]
    ours, base = percentiles([row["ours"] for row in chosen]), percentiles([row["baseline"] for row in chosen])
    ratio = {key: ours[key] / base[key] for key in ("p50", "p95")}
    cpu = {f"{name}_cpu": percentiles([row[f"{name}_cpu"] for row in chosen]) for name in ("ours", "baseline")}
    return {"ours": ours, "baseline": base, **cpu, "ratio": ratio, "hits": sum(row["hits"] for row in chosen) / len(chosen)}


def measure(command: list[str], stdout: Path) -> dict:
    """Wall time and peak RSS of one command, run by a fresh wrapper process."""
    result = subprocess.run([sys.executable, "-c", WRAPPER, str(stdout), *command], cwd=PROJECT,
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    if figures["exit"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({figures['exit']}): {figures['stderr']}")
    return figures


def bench_export(db: Path, posts: int, rounds: int) -> dict:
    """Posts/s and peak RSS of our JSONL export and of the baseline dump, best of `rounds` interleaved."""
    out = {"ours": db.with_suffix(".export.jsonl"), "baseline": db.with_suffix(".rows.jsonl")}
    commands = {
        "ours": ([sys.executable, "-m", "archiver", "export", "jsonl", "--db", str(db), "--out", str(out["ours"])],
                 Path("/dev/null")),
        "baseline": ([str(Path(sys.executable).parent / "sqlite-utils"), "rows", str(db), "posts", "--nl"],
                     out["baseline"]),
    }
    runs: dict[str, list[dict]] = {"ours": [], "baseline": []}
    for _ in range(rounds):
        for name, (command, stdout) in commands.items():
            runs[name].append(measure(command, stdout))
    figures = {}
    for name, done in runs.items():
        wall = min(run["wall"] for run in done)
        figures[name] = {"wall_s": wall, "posts_per_s": posts / wall, "rss_mb": max(run["rss_mb"] for run in done),
                         "out_mb": out[name].stat().st_size / 2**20}
        out[name].unlink()
    figures["ratio"] = {key: figures["ours"][key] / figures["baseline"][key] for key in ("posts_per_s", "rss_mb")}
    return figures


def tables(figures: dict) -> str:
    """The figures as Markdown: search latency by kind, then export by archive size, then the targets."""
    lines = ["| search (ms) | n | hits | ours p50 | ours p95 | ours max | bare p50 | bare p95 | bare max "
             "| ratio p50 | ratio p95 | ours CPU p50 | ours CPU p95 |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for kind, row in figures["search"].items():
        ours, base, ratio, cpu = row["ours"], row["baseline"], row["ratio"], row["ours_cpu"]
        lines.append(f"| {kind} | {ours['n']} | {row['hits']:.1f} | {ours['p50']:.2f} | {ours['p95']:.2f} | "
                     f"{ours['max']:.2f} | {base['p50']:.2f} | {base['p95']:.2f} | {base['max']:.2f} | "
                     f"{ratio['p50']:.1f}x | {ratio['p95']:.1f}x | {cpu['p50']:.2f} | {cpu['p95']:.2f} |")
    lines += ["", "| export jsonl | posts | ours posts/s | bare posts/s | ratio | ours peak MB | bare peak MB | ratio "
              "| ours wall s | ours out MB |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size, row in figures["export"].items():
        ours, base, ratio = row["ours"], row["baseline"], row["ratio"]
        lines.append(f"| {size} | {figures['archives'][size]['posts']} | {ours['posts_per_s']:,.0f} | "
                     f"{base['posts_per_s']:,.0f} | {ratio['posts_per_s']:.2f}x | {ours['rss_mb']:.1f} | "
                     f"{base['rss_mb']:.1f} | {ratio['rss_mb']:.2f}x | {ours['wall_s']:.1f} | {ours['out_mb']:.0f} |")
    return "\n".join(lines + ["", *targets(figures)])


def targets(figures: dict) -> list[str]:
    """The issue's targets, each with its verdict, and how export memory grows with the archive."""
    p95 = figures["search"]["all"]["ours"]["p95"]
    kind, worst = slowest_kind(figures["search"])
    small, big = figures["export"]["small"], figures["export"]["big"]
    growth = figures["export_rss_growth_mb"]
    flat = growth["ours"] <= max(5.0, 0.1 * small["ours"]["rss_mb"])
    checks = [(f"search p95 {p95:.2f} ms < 10 ms", p95 < 10),
              (f"search p95 < 10 ms in every kind of query (slowest: {kind}, {worst:.2f} ms)", worst < 10),
              (f"export peak RSS {big['ours']['rss_mb']:.1f} MB < 100 MB", big["ours"]["rss_mb"] < 100),
              (f"export memory flat: {small['ours']['rss_mb']:.1f} -> {big['ours']['rss_mb']:.1f} MB "
               f"({growth['ours']:+.1f} MB; baseline {growth['baseline']:+.1f} MB)", flat)]
    return [f"- {'ok  ' if ok else 'MISS'} {text}" for text, ok in checks]


def slowest_kind(search: dict) -> tuple[str, float]:
    """The kind of query (not "all") with the highest p95 of our search, and that p95 in ms."""
    return max(((kind, row["ours"]["p95"]) for kind, row in search.items() if kind != "all"), key=lambda pair: pair[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000, help="posts of the big archive")
    parser.add_argument("--small", type=int, default=5_000, help="posts of the small archive (memory flatness)")
    parser.add_argument("--dir", type=Path, default=Path("data/bench"), help="where the archives are kept")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each export command (best wall time)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        help="also write the figures as JSON to FILE (alone or '-': stdout)")
    args = parser.parse_args(argv)
    figures: dict = {"archives": {}, "export": {}}
    for size, posts in (("small", args.small), ("big", args.posts)):
        started = time.monotonic()
        path = generate_archive(args.dir / f"bench-{posts}-seed{args.seed}-v{VERSION}.db", posts, seed=args.seed)
        figures["archives"][size] = {"posts": posts, "path": str(path), "ready_s": time.monotonic() - started}
    figures["search"] = bench_search(Path(figures["archives"]["big"]["path"]), make_queries(args.queries, args.seed))
    for size, archive in figures["archives"].items():
        figures["export"][size] = bench_export(Path(archive["path"]), archive["posts"], args.rounds)
    small, big = figures["export"]["small"], figures["export"]["big"]
    figures["export_rss_growth_mb"] = {name: big[name]["rss_mb"] - small[name]["rss_mb"] for name in ("ours", "baseline")}
    print(tables(figures))
    if args.json:
        text = json.dumps(figures, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
