"""What `make demo`, its "Try next" commands, `make bench` with options and the README's cron line leave in data/ is
git-ignored: `git status` after them shows nothing untracked."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from archiver.crawl.archive_lock import lock_path
from archiver.replica.demo import next_steps, reader_folder
from conftest import PROJECT

sys.path.insert(0, str(PROJECT))  # benchmarks/ is not installed: read it from the checkout
from benchmarks import bench  # noqa: E402

LEFT_BEHIND = [
    "data/demo.db", "data/demo.db-wal", "data/demo.db-shm", "data/demo-media/0a/1.jpg",  # make demo
    f"{reader_folder('data/demo.db')}/index.html",
    "data/archive.db", "data/archive.db-wal", "data/crawl.log", str(lock_path("data/archive.db")),  # the cron line
    "data/archive-media/0a/1.jpg",
    "data/export.json",  # export json --out data/...
]


def tried_next_outputs() -> list[str]:
    """The files the demo's "Try next" commands write (its JSON Lines export)."""
    return [word.strip("'") for line in next_steps("data/demo.db", ".venv/bin/") for word in line.split()
            if word.startswith(("data/", "'data/")) and not word.strip("'").endswith(".db")]


def partial_bench_report() -> str:
    argv = ["--posts", "500", "--runs", "1"]
    return str(bench.report_path(bench.parse_args(argv), argv).relative_to(PROJECT))


@pytest.mark.skipif(shutil.which("git") is None or not (PROJECT / ".git").exists(), reason="not a git checkout")
def test_what_the_demo_the_bench_and_cron_leave_is_ignored():
    paths = LEFT_BEHIND + tried_next_outputs() + [partial_bench_report()]
    assert "data/demo.jsonl" in paths
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=PROJECT, capture_output=True, text=True)
    assert sorted(ignored.stdout.split()) == sorted(paths)
