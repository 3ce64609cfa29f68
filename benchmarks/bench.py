"""`make bench`: speed, cost and scale of the archiver beside what users would pick instead (issue 12).

    .venv/bin/python -m benchmarks.bench --posts 5000 --runs 3 --memory-posts 20000 --query-posts 50000

Builds a replica, serves it on 127.0.0.1 with a static server (nginx when installed, else benchmarks/
static_server.py), and measures: 1. the crawl against a bare Scrapy spider and wget, 2. extraction against
trafilatura, 3. storage against sqlite-utils, 4. unchanged re-crawls, 5. search and export (query_export),
6. the peak memory of a large crawl and the WARC/WACZ exports of its archive. Each figure is the median of --runs runs with its spread (min-max).
Prints one Markdown report and writes it to benchmarks/RESULTS.md when run at the default sizes with every section
and tool; a run with other options (a quick `--posts 500 --runs 1`) writes data/bench/results-<options>.md
(git-ignored) instead, unless --write-results or --out says otherwise, and says where. Missing optional tools
(wget, nginx, trafilatura) are said, never fatal.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import crawl_section as crawl_section_module, extraction, memory, queries, recrawl, storage
from benchmarks.crawl_section import crawl_section
from benchmarks.archive_reader import saved_post_pages
from benchmarks.extraction import extraction_section
from benchmarks.machine import machine_lines, tool_versions
from benchmarks.memory import memory_section
from benchmarks.queries import queries_section
from benchmarks.recrawl import recrawl_section
from benchmarks.report import Section, not_measured, targets_table
from benchmarks.servers import static_server
from benchmarks.site import build_served_site
from benchmarks.storage import storage_section

TOOLS = ("nginx", "wget", "trafilatura")
SECTIONS = ("crawl", "extraction", "storage", "recrawl", "queries", "memory")
TITLES = dict(zip(SECTIONS, (crawl_section_module.TITLE, extraction.TITLE, storage.TITLE, recrawl.TITLE, queries.TITLE,
                             memory.TITLE)))
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PARTIAL_RESULTS = Path(__file__).resolve().parent.parent / "data" / "bench"  # git-ignored
WHERE = ("out", "write_results")  # the options that say where the report goes, not what is measured


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000, help="generated posts of the replica (>= 60)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (the median is shown)")
    parser.add_argument("--memory-posts", type=int, default=20_000, help="posts of the memory section's replica")
    parser.add_argument("--query-posts", type=int, default=50_000, help="posts of the search archive")
    parser.add_argument("--query-small", type=int, default=5000, help="posts of the small export archive")
    parser.add_argument("--queries", type=int, default=300, help="search queries timed")
    parser.add_argument("--skip", action="append", choices=SECTIONS, default=[], help="leave a section out")
    parser.add_argument("--without", action="append", choices=TOOLS, default=[],
                        help="act as if this optional tool were not installed (nginx: serve with the Python server)")
    parser.add_argument("--out", type=Path, help="where the report goes (default: benchmarks/RESULTS.md for the "
                        "default full run, else data/bench/results-<options>.md)")
    parser.add_argument("--write-results", action="store_true",
                        help="write benchmarks/RESULTS.md even from a run with other options")
    return parser.parse_args(argv)


def is_full_run(args: argparse.Namespace) -> bool:
    """Whether the run measures what RESULTS.md reports: every section, every tool, the default sizes."""
    defaults = vars(parse_args([]))
    return all(value == defaults[name] for name, value in vars(args).items() if name not in WHERE)


def report_path(args: argparse.Namespace, argv: list[str]) -> Path:
    """Where the report goes: --out; RESULTS.md for the full run (or --write-results); else a git-ignored file
    named after the options (`data/bench/results-posts-500-runs-1.md`), so a quick run never overwrites RESULTS.md."""
    if args.out is not None:
        return args.out
    if args.write_results or is_full_run(args):
        return RESULTS
    words = [word.lstrip("-") for word in argv if word not in ("--write-results",)]
    name = "-".join("".join(c if c.isalnum() else "-" for c in word) for word in words if word) or "options"
    return PARTIAL_RESULTS / f"results-{name}.md"


def replica_line(site) -> str:
    """What the replica holds, and which of its faults the static server emulates."""
    themes = ", ".join(f"{count} {theme}" for theme, count in sorted(site.themes.items()))
    overrides = ", ".join(f"{status} for {path}" for path, status in site.overrides.items()) or "none"
    return (f"{site.posts:,} posts ({themes}), {site.categories} categories, {site.listing_pages} category pages "
            f"(archiver.replica.build_site); the server emulates its _faults.json overrides ({overrides}); its "
            "other faulty posts (a missing page: 404, a broken and an untitled page) are served as built")


def guarded(name: str, measure) -> Section:
    """The section `measure()` returns; if it fails, a section that says so (the other sections still run)."""
    print(name, flush=True)
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - a benchmark reports what broke and goes on
        print(f"{name} failed: {error!r}", file=sys.stderr, flush=True)
        return not_measured(TITLES[name], f"it failed: {type(error).__name__}: {str(error)[:300]}")


def replica_sections(args: argparse.Namespace, folder: Path, tools: dict) -> tuple[list[Section], dict]:
    """Sections 1-4 on one served replica; and what the head of the report says about it."""
    site = build_served_site(folder / "replica", args.posts)
    print(f"replica: {site.posts} posts, {site.categories} categories, {site.listing_pages} category pages, "
          f"served at {site.base_url}", flush=True)
    wanted = [name for name in SECTIONS[:4] if name not in args.skip]
    with static_server(site, prefer_nginx=tools["nginx"] is not None) as server:
        about = {"server": server.name, "replica": replica_line(site)}
        crawled: dict = {}

        def crawl() -> Section:
            section, figures = crawl_section(server, site, folder, args.runs, tools["wget"])
            truth = {record["url"]: record for record in site.truth()}
            crawled.update(figures, truth=truth, pages=saved_post_pages(figures["db"], truth))
            return section

        later = {
            "extraction": lambda: extraction_section(crawled["pages"], crawled["truth"], args.runs,
                                                     tools["trafilatura"] is not None),
            "storage": lambda: storage_section(crawled["pages"], crawled["db"], folder, args.runs),
            "recrawl": lambda: recrawl_section(server, site, crawled["db"], crawled["ours"], args.runs, args.posts, folder),
        }
        sections = [guarded("crawl", crawl)] if "crawl" in wanted else []
        for name in (name for name in wanted if name in later):
            sections.append(guarded(name, later[name]) if crawled
                            else not_measured(TITLES[name], "it needs the crawl section's archive"))
    return sections, about


def report(args: argparse.Namespace, head: dict, sections: list[Section], seconds: float) -> str:
    """The whole Markdown report."""
    tools = ", ".join(f"{name} {version or ('left out (--without)' if name in args.without else 'not installed')}"
                      for name, version in head["tools"].items())
    lines = ["# Benchmark results (`make bench`, issue 12)", "",
             f"- Date: {head['date']} (took {seconds / 60:.1f} min)",
             f"- Command: `{head['command']}`", *head["machine"],
             f"- Server: {head.get('server', 'none')}", f"- Replica: {head.get('replica', 'not built')}",
             f"- Tools: {tools}",
             f"- Each figure: the median of {args.runs} run(s), its spread (min-max) in brackets.", "",
             "## Targets", "", *targets_table([t for section in sections for t in section.targets]), ""]
    return "\n".join(lines + [section.markdown() for section in sections])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = time.monotonic()
    tools = {name: None if name in args.without else version for name, version in tool_versions().items()}
    head = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine_lines(), "tools": tools,
            "command": shlex.join(["python", "-m", "benchmarks.bench", *argv])}
    sections: list[Section] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        folder = Path(name)
        if any(section not in args.skip for section in SECTIONS[:4]):
            found, about = replica_sections(args, folder, tools)
            sections += found
            head |= about
        if "queries" not in args.skip:
            sections.append(guarded("queries", lambda: queries_section(folder, args.query_posts, args.query_small,
                                                                       args.queries)))
        if "memory" not in args.skip:
            sections.append(guarded("memory", lambda: memory_section(folder, args.memory_posts,
                                                                     prefer_nginx=tools["nginx"] is not None)))
    text = report(args, head, sections, time.monotonic() - started)
    out = report_path(args, argv)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(text)
    kept = "" if out == RESULTS else f" ({RESULTS.name} is left as it is: --write-results to replace it)"
    print(f"\nReport written to {out}{kept}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
