"""The crawlers a benchmark runs against a served replica, each a measured subprocess, and what they left."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from archiver.crawl.run_settings import LOCAL_SETTINGS
from benchmarks.archive_reader import run_stats
from benchmarks.measure import PROJECT, measured, python_module
from benchmarks.servers import requests_since

# Politeness off for the bench only: the local settings as `-s` options.
LOCAL_OPTIONS = [arg for name, value in LOCAL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
WGET_FLAGS = ["--mirror", "--adjust-extension", "--no-verbose"]  # robots.txt obeyed, as ours and the bare spider do
WGET_SERVER_ERRORS = 8  # wget's exit status when the server answered some errors (the replica's 404 and 500)


def archiver_crawl(base_url: str, db: Path, *options: str) -> list[str]:
    """`archiver crawl BASE/ --db DB` with politeness off, and `options` (e.g. --full)."""
    return python_module("archiver", "crawl", base_url + "/", "--db", str(db), *LOCAL_OPTIONS, *options)


def bare_crawl(base_url: str) -> list[str]:
    """The bare Scrapy spider (benchmarks/bare_spider.py) from the home page."""
    return python_module("benchmarks.bare_spider", base_url + "/")


def wget_mirror(base_url: str, folder: Path) -> list[str]:
    """`wget --mirror --adjust-extension --no-verbose -P FOLDER BASE/`."""
    return ["wget", *WGET_FLAGS, "-P", str(folder), base_url + "/"]


def run(server, command: list[str], ok_exits: tuple[int, ...] = (0,)) -> dict:
    """Wall time, peak RSS and the requests the server answered, of one command; RuntimeError if it failed."""
    before = server.requests
    figures = measured(command)
    figures["requests"] = requests_since(server, before)
    if figures["exit"] not in ok_exits:
        raise RuntimeError(f"{' '.join(command)} exited {figures['exit']}: {figures['stderr'][-800:]}")
    return figures


def archive_stats(db: Path) -> dict:
    """`archiver stats --json --db DB`, parsed."""
    result = subprocess.run(python_module("archiver", "stats", "--json", "--db", str(db)), cwd=PROJECT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def crawl_seconds(db: Path) -> float:
    """The last crawl's own time (Scrapy's elapsed_time_seconds: process start-up left out)."""
    return run_stats(db).get("elapsed_time_seconds", 0.0)


def lost_posts(truth: list[dict], archived: dict[str, str]) -> list[str]:
    """The URLs of the posts the ground truth expects that the archive holds neither by URL nor by id."""
    ids = set(archived.values())
    return [record["url"] for record in truth if record["url"] not in archived and record["id"] not in ids]


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of an archive (its WAL included), through SQLite's backup."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def python_version() -> str:
    return sys.version.split()[0]
