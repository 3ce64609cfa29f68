"""Shared fixtures: the replica blog built once, served on 127.0.0.1, crawled by the real CLI in a subprocess."""

from __future__ import annotations

import atexit
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.replica import ReplicaServer, build_site, load_faults, load_ground_truth
from crawl_fork_server import ForkServer

pytest_plugins = ["conftest_browser"]

PROJECT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "RETRY_TIMES=1",
         "-s", "ARCHIVER_RETRY_BACKOFF=0", "-s", "ARCHIVER_RETRY_AFTER_MAX=0"]


def run_archiver(*args: str, cwd: Path = PROJECT, timeout: int = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `archiver ARGS...` as a user would, in a process of its own (`env`: variables to add to the environment):
    forked from this worker's fork server (tests/crawl_fork_server.py), or `python -m archiver` in a subprocess
    when ARCHIVER_TESTS_NO_FORK=1 or when `env` changes how the interpreter starts (PYTHONPATH, LANG...)."""
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"} | (env or {})
    if os.environ.get("ARCHIVER_TESTS_NO_FORK") != "1":
        server = fork_server()
        if server.accepts(env):
            return server.run(list(args), cwd, env, timeout)
    return subprocess.run([sys.executable, "-m", "archiver", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


_fork_server: ForkServer | None = None


def fork_server() -> ForkServer:
    """This worker's fork server, started on first use with the environment run_archiver starts from."""
    global _fork_server
    if _fork_server is None:
        _fork_server = ForkServer({key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"})
        atexit.register(_fork_server.stop)  # waited for: its CPU time is counted with the suite's
    return _fork_server


def export_records(db: Path) -> list[dict]:
    """The archive's export (JSON Lines), parsed: what `archiver export jsonl` prints, run in this process (the
    export's own tests run it as a user would; here it only reads an archive back)."""
    result = CliRunner().invoke(cli, ["export", "jsonl", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def copy_archive(source: Path, target: Path) -> Path:
    """A copy of an archive (SQLite's backup, what its WAL holds included), for a test that writes to a shared crawl's."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return target


@dataclass
class Crawl:
    """One crawl of a served replica: what the CLI printed, what the server saw, what was true."""

    result: subprocess.CompletedProcess
    hits: dict
    base_url: str
    truth: list[dict]
    faults: list[dict]
    db: Path

    def truth_by_id(self) -> dict[str, dict]:
        return {record["id"]: record for record in self.truth}

    def records_by_id(self) -> dict[str, dict]:
        return {record["id"]: record for record in export_records(self.db)}


def crawl_site(site_root: Path, start_paths: list[str], db: Path, *extra: str) -> Crawl:
    """Serve the replica on a fresh port and crawl it with the CLI from the given paths."""
    with ReplicaServer(site_root) as server:
        urls = [server.base_url + path for path in start_paths]
        result = run_archiver("crawl", *urls, "--db", str(db), *LOCAL, *extra)
        hits = dict(server.hits)
    return Crawl(result, hits, server.base_url, load_ground_truth(site_root, server.base_url), load_faults(site_root, server.base_url), db)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The default replica: 76 posts (4 from the seed), classic and modern themes, 4 faulty posts."""
    return build_site(tmp_path_factory.mktemp("replica") / "site").root


@pytest.fixture(scope="session")
def home_crawl(site, tmp_path_factory) -> Crawl:
    """The default replica crawled from its home page, once per session (the modules that only read it share it;
    a test that writes to an archive crawls its own)."""
    return crawl_site(site, ["/"], tmp_path_factory.mktemp("home") / "archive.db")


@pytest.fixture(scope="session")
def one_page_crawl(site, tmp_path_factory) -> Crawl:
    """The default replica's category of one page, 4 posts (/relations-mali-russie/), crawled into a fresh archive
    once per session (read only, as home_crawl)."""
    return crawl_site(site, ["/relations-mali-russie/"], tmp_path_factory.mktemp("one-page") / "a.db")


@pytest.fixture(scope="session")
def generic_site(tmp_path_factory) -> Path:
    """The replica with 20 more posts in a third theme that no bundled profile describes."""
    return build_site(tmp_path_factory.mktemp("replica-generic") / "site", generic_posts=20).root


def normalise_space(text: str | None) -> str:
    return " ".join((text or "").split())
