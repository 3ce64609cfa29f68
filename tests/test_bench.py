"""The benchmark harness (benchmarks/, `make bench`) at tiny scale: its arithmetic, its comparisons with the
ground truth, its static server's validators, and one end-to-end run without trafilatura, wget or nginx."""

from __future__ import annotations

import sys
import urllib.request
from datetime import datetime
from email.utils import formatdate
from pathlib import Path
from urllib.error import HTTPError

import pytest

from archiver.items import Category, Post
from archiver.replica.model import BASE_TOKEN

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/ is not installed: read it from the checkout
from benchmarks import bench  # noqa: E402
from benchmarks.accuracy import our_fields, similar, trafilatura_fields  # noqa: E402
from benchmarks.crawls import lost_posts  # noqa: E402
from benchmarks.measure import measured  # noqa: E402
from benchmarks.nginx_server import nginx_config  # noqa: E402
from benchmarks.site import build_served_site  # noqa: E402
from benchmarks.spread import ratio, spread  # noqa: E402
from benchmarks.static_server import StaticServer  # noqa: E402

TRUTH = {"url": "http://127.0.0.1:1/archive/2024/01/02/a-1.html", "id": "1", "title": "Mali : la junte",
         "published": "2024-01-02T10:30:00+01:00", "author": "Marc", "body_text": "Un.\n\nDeux  trois.",
         "print_url": None, "categories": [{"name": "Mali", "url": "http://127.0.0.1:1/mali/"}],
         "comments_count": 0, "comments": []}


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    """Status, headers and body of one GET (error statuses included)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_spread_is_the_median_and_the_range_of_the_runs():
    figures = spread([12.0, 10.0, 30.0])
    assert (figures.median, figures.low, figures.high, figures.runs) == (12.0, 10.0, 30.0, 3)
    assert figures.show(1) == "12.0 (10.0-30.0)"
    assert spread([2.0, 4.0]).median == 3.0
    assert spread([7.0]).show(0) == "7"
    assert ratio(spread([10.0]), spread([4.0])) == 2.5 and ratio(spread([1.0]), spread([0.0])) == 0.0


def test_a_post_as_the_truth_says_is_right_in_every_field_and_a_changed_title_is_not():
    post = Post(id="1", url=TRUTH["url"], title="Mali :  la junte", author="Marc", body_text="Un. Deux trois.",
                published=datetime.fromisoformat(TRUTH["published"]), comments_count=0,
                categories=[Category("Mali", "http://127.0.0.1:1/mali/")])
    assert all(our_fields(post, TRUTH).values())
    post.title = "Mali"
    assert [name for name, ok in our_fields(post, TRUTH).items() if not ok] == ["title"]


def test_trafilatura_is_judged_on_the_fields_it_has_its_date_by_the_day():
    document = {"title": "Mali : la junte", "date": "2024-01-02", "author": "Par Marc", "text": "Un. Deux trois.",
                "categories": [], "tags": ["mali"]}
    checks = trafilatura_fields(document, TRUTH)
    assert checks == {"title": True, "published": True, "author": False, "body": True, "body ~": True,
                      "categories": True}
    assert not any(trafilatura_fields(None, TRUTH).values())


def test_a_body_is_similar_when_nine_words_in_ten_are_shared():
    truth = " ".join(f"w{i}" for i in range(100))
    assert similar(truth + " extra", truth)
    assert not similar(" ".join(f"w{i}" for i in range(80)), truth)


def test_a_post_is_lost_when_the_archive_has_neither_its_url_nor_its_id():
    truth = [{"url": "http://h/a-1.html", "id": "1"}, {"url": "http://h/b-2.html", "id": "2"},
             {"url": "http://h/c-3.html", "id": "3"}]
    archived = {"http://h/a-1.html": "1", "http://h/moved-2.html": "2"}
    assert lost_posts(truth, archived) == ["http://h/c-3.html"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A 60-post replica rewritten for its address, served by the Python static server."""
    site = build_served_site(tmp_path_factory.mktemp("bench-site"), posts=60)
    with StaticServer(site.root, site.port, site.overrides) as server:
        yield site, server


# A command whose child process holds 60 MB while the command itself holds 30 MB, both at once.
PARENT_AND_CHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(60 * 2**20); time.sleep(1.5)"])
y = bytearray(30 * 2**20)
child.wait()
print("done")
"""


def test_a_measured_command_counts_the_sum_of_its_processes_and_its_largest_one():
    figures = measured([sys.executable, "-c", PARENT_AND_CHILD])
    assert figures["exit"] == 0 and figures["stdout"] == "done\n"
    assert 60 < figures["rss_mb"] < 85  # the child, the largest member
    assert figures["rss_sum_mb"] > figures["rss_mb"] + 30  # the child and its parent at once


def test_the_served_copy_holds_real_addresses_and_no_hidden_file(served):
    site, _ = served
    home = (site.root / "index.html").read_text(encoding="utf-8")
    assert BASE_TOKEN not in home and site.base_url + "/" in home
    assert not list(site.root.glob("_*")) and (site.hidden / "_truth.jsonl").exists()
    assert all(record["url"].startswith(site.base_url) for record in site.truth())


def test_the_static_server_answers_304_to_its_etag_and_its_date_and_counts_every_request(served):
    site, server = served
    before = server.requests
    status, headers, body = get(site.base_url + "/")
    assert status == 200 and body.startswith(b"<!DOCTYPE") and headers["ETag"] and headers["Last-Modified"]
    assert get(site.base_url + "/", **{"If-None-Match": headers["ETag"]})[0] == 304
    assert get(site.base_url + "/", **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(site.base_url + "/", **{"If-None-Match": '"other"'})[0] == 200
    assert get(site.base_url + "/", **{"If-Modified-Since": formatdate(0, usegmt=True)})[0] == 200
    assert server.requests - before == 5


def test_the_static_server_hides_the_truth_and_answers_the_fault_overrides(served):
    site, _ = served
    assert get(site.base_url + "/_truth.jsonl")[0] == 404
    assert get(site.base_url + "/no/such/page.html")[0] == 404
    path, status = next(iter(site.overrides.items()))
    assert (status, get(site.base_url + path)[0]) == (500, 500)


def test_the_nginx_config_serves_the_copy_hides_the_truth_and_forces_the_overrides(tmp_path):
    config = nginx_config(tmp_path, tmp_path / "www", 8123, {"/archive/a-1.html": 500})
    assert "listen 127.0.0.1:8123;" in config and f"root {tmp_path / 'www'};" in config
    assert "etag on;" in config and 'location ~ "/[_.]" { return 404; }' in config
    assert 'location = "/archive/a-1.html" { return 500; }' in config


def test_a_tiny_bench_writes_its_tables_and_targets_without_the_optional_tools(tmp_path):
    out = tmp_path / "RESULTS.md"
    bench.main(["--posts", "60", "--runs", "1", "--skip", "recrawl", "--skip", "queries", "--skip", "memory",
                "--without", "nginx", "--without", "wget", "--without", "trafilatura", "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert "- Server: Python ThreadingHTTPServer" in text and "wget left out (--without)" in text
    assert "posts lost: 0." in text and "Ours: every field right on every page." in text
    assert "| extraction 100% field accuracy | met |" in text
    assert "| moonshot: faster than wget (wall) | not measured | wget not installed |" in text
    assert "| bare Scrapy spider |" in text and "vacuumed, raw page bodies dropped" in text


def test_the_changed_blog_tells_edits_a_listing_shows_from_those_past_lire_la_suite(tmp_path):
    from archiver.replica.plan import plan_site
    from benchmarks.changed_blog import evolve_served, shown_on_listing

    site = build_served_site(tmp_path, posts=60)
    step = evolve_served(site, 60)

    assert {path.name for path in site.root.glob("_*")} == {"_evolutions.json"}  # the truth hidden again
    truth = {record["url"].removeprefix(site.base_url): record for record in site.truth()}
    assert {url.removeprefix(BASE_TOKEN) for url in step.added} <= set(truth) and len(step.commented) == 10
    cut = {post.path: post.more_at is not None for post in plan_site(60).posts}
    shown = {path: shown_on_listing(site, record) for path, record in truth.items() if path in cut}
    assert shown == {path: not cut[path] for path in shown} and True in shown.values() and False in shown.values()
