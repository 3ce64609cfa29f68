"""The web-archive exports (issue 20) on the memory section's large archive: WARC and WACZ against warcio alone.

`archiver export warc` and `archiver export wacz` of the whole archive, beside `benchmarks/bare_warc.py` (warcio
writing the same stored pages with nothing else) and `archiver export jsonl` (the posts as records), each run as
its own measured process: wall time, output MB/s, peak RSS and the file's size against the archive's.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.measure import measured, python_module
from benchmarks.report import Target, table

RSS_LIMIT_MB = 150


def export_commands(db: Path, folder: Path) -> dict[str, tuple[list[str], Path]]:
    """Each measured export: its command and the file it writes."""
    out = {name: folder / f"export.{suffix}" for name, suffix in
           (("warc", "warc.gz"), ("wacz", "wacz"), ("bare", "bare.warc.gz"), ("jsonl", "jsonl"))}
    return {
        "archiver export warc": (python_module("archiver", "export", "warc", str(out["warc"]), "--db", str(db)), out["warc"]),
        "archiver export wacz": (python_module("archiver", "export", "wacz", str(out["wacz"]), "--db", str(db)), out["wacz"]),
        "warcio alone (baseline)": (python_module("benchmarks.bare_warc", str(db), str(out["bare"])), out["bare"]),
        "archiver export jsonl": (python_module("archiver", "export", "jsonl", "--db", str(db), "--out", str(out["jsonl"])),
                                  out["jsonl"]),
    }


def web_archive_figures(db: Path, folder: Path) -> dict[str, dict]:
    """Wall s, output MB, MB/s and peak RSS MB of each export of `db` (RuntimeError naming one that failed)."""
    figures = {}
    for name, (command, out) in export_commands(db, folder).items():
        run = measured(command)
        if run["exit"] != 0 or not out.exists():
            raise RuntimeError(f"{name} failed ({run['exit']}): {run['stderr'][-500:]}")
        size = out.stat().st_size / 2**20
        figures[name] = {"wall": run["wall"], "out_mb": size, "mb_s": size / run["wall"], "rss_mb": run["rss_mb"]}
        out.unlink()
    return figures


def web_archive_lines(figures: dict[str, dict], posts: int, archive_mb: float) -> tuple[list[str], list[Target]]:
    """The table (each export against warcio alone) and the target: WARC and WACZ exports under 150 MB of RSS."""
    base = figures["warcio alone (baseline)"]
    rows = [[name, f"{row['wall']:.1f}", f"{base['wall'] / row['wall']:.2f}x", f"{row['out_mb']:.1f}",
             f"{row['out_mb'] / archive_mb:.2f}", f"{row['mb_s']:.1f}", f"{row['rss_mb']:.0f}"]
            for name, row in figures.items()]
    lines = [f"The exports of that archive ({posts:,} posts, {archive_mb:.1f} MB), each its own process, one run; "
             "speed ratio = warcio alone's wall time / the export's.", "",
             *table(["export", "wall s", "speed vs warcio alone", "out MB", "out / archive", "MB/s", "peak RSS MB"],
                    rows)]
    peak = max(figures["archiver export warc"]["rss_mb"], figures["archiver export wacz"]["rss_mb"])
    return lines, [Target(f"WARC and WACZ export peak RSS < {RSS_LIMIT_MB} MB at {posts:,} posts", peak < RSS_LIMIT_MB,
                          f"{peak:.0f} MB")]
