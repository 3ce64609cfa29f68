"""A 5 MB post: archived whole, and the crawl's peak memory measured with and without it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from archiver.replica import load_ground_truth
from archiver.replica.fault_pages import padding_paragraphs
from archiver.replica.fault_plan import FaultPlan
from archiver.replica.fault_server import FaultServer
from conftest import LOCAL, PROJECT, export_records, normalise_space
from test_faults import FAST, once, ordinary_posts

SIZE = 5_000_000
# What reading a page may cost at its peak, per byte of the page: its bytes, its text, the parsed tree,
# the body's HTML and text, their sanitised copies, the stored row and its full-text index (~20x measured).
MEMORY_PER_BYTE = 30


def crawl_measured(site: Path, plans: list[FaultPlan], directory: Path) -> list[tuple[int, float]]:
    """Crawl the fault server once per plan, at the same time, with the CLI: each crawl's exit status and its
    peak resident memory in MB (wait4: each crawl's own)."""
    with ExitStack() as stack:
        running = []
        for number, plan in enumerate(plans):
            server, output = stack.enter_context(FaultServer(site, plan)), stack.enter_context(tempfile.TemporaryFile())
            command = [sys.executable, "-m", "archiver", "crawl", server.base_url + "/", "--db", str(directory / f"{number}.db"),
                       *LOCAL, *FAST]
            running.append(subprocess.Popen(command, cwd=PROJECT, stdout=output, stderr=output))
        ended = [os.wait4(process.pid, 0) for process in running]
    return [(os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024) for _, status, usage in ended]  # kB on Linux


@pytest.fixture(scope="module")
def big_post(site, tmp_path_factory):
    """The same crawl twice: the replica as it is, and with one post padded to 5 MB of text."""
    path = ordinary_posts(site)[30]
    measured = once(tmp_path_factory, "big-post", lambda directory: {
        "db": str(directory / "1.db"), "crawls": crawl_measured(site, [FaultPlan(), FaultPlan(padded={path: SIZE})], directory)})
    without, with_it = measured["crawls"]
    return path, without, with_it, Path(measured["db"])


def test_both_crawls_exit_0(big_post):
    _, (status_without, _), (status_with, _), _ = big_post
    assert (status_without, status_with) == (0, 0)


def test_the_5_mb_post_is_archived_once_with_its_whole_text(big_post, site):
    path, _, _, db = big_post
    truth = next(t for t in load_ground_truth(site) if t["url"].endswith(path))
    records = [r for r in export_records(db) if r["id"] == truth["id"]]
    assert len(records) == 1 and records[0]["title"] == truth["title"]
    text, before = normalise_space(records[0]["body_text"]), normalise_space(truth["body_text"])
    assert len(text.encode()) > 4_900_000 and text.startswith(before + " Remplissage nº 1 : ")
    assert normalise_space(" ".join(padding_paragraphs(SIZE))).startswith(text[len(before) + 1:])  # then the padding, whole


def test_a_5_mb_page_costs_the_crawl_at_most_30_bytes_of_memory_per_byte(big_post):
    _, (_, peak_without), (_, peak_with), _ = big_post
    assert peak_with - peak_without < MEMORY_PER_BYTE * SIZE / 2**20, f"peak RSS {peak_without:.0f} MB -> {peak_with:.0f} MB"
