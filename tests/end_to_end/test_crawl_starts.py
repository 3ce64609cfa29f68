"""Where a crawl starts (one category, several, the home page), re-running it, and `scrapy crawl`."""

import json
import subprocess
import sys

import pytest
import sqlite_utils

from conftest import LOCAL, PROJECT, copy_archive, crawl_site, export_records, run_archiver
from archiver.replica import ReplicaServer


def posts_in(crawl, slug: str) -> set[str]:
    """The ids the ground truth files under one category."""
    url = f"{crawl.base_url}/{slug}/"
    return {t["id"] for t in crawl.truth if url in [c["url"] for c in t["categories"]]}


@pytest.fixture(scope="module")
def one_page(one_page_crawl):
    """A crawl of a category of one page, 4 posts (/relations-mali-russie/), into a fresh archive."""
    return one_page_crawl


def test_one_category_page_archives_exactly_its_posts_newest_first(one_page):
    crawl = one_page
    assert crawl.result.returncode == 0, crawl.result.stderr
    records = export_records(crawl.db)
    assert {r["id"] for r in records} == posts_in(crawl, "relations-mali-russie")
    assert len(records) == 4 and "6362153" in {r["id"] for r in records}


def test_a_category_of_several_pages_is_followed_to_its_last_page(site, tmp_path):
    crawl = crawl_site(site, ["/russie/"], tmp_path / "a.db")
    expected = posts_in(crawl, "russie")
    assert len(expected) > 30
    assert {r["id"] for r in export_records(tmp_path / "a.db")} == expected
    assert crawl.hits.get("/archives/category/russie/index-4.html") == 1


def test_a_category_crawl_walks_every_page_of_its_pagination_and_its_loop_back_to_page_one_once(site, tmp_path):
    crawl = crawl_site(site, ["/mali/"], tmp_path / "a.db")
    trap = "/archives/category/mali/index-1.html"  # page 2 links back to page 1 under this other address
    pages = {"/" + str(path.relative_to(site)) for path in site.glob("archives/category/mali/index-*.html")}
    assert len(pages) >= 3 and trap in pages
    assert {path: crawl.hits.get(path) for path in pages} == dict.fromkeys(pages, 1)  # index-1.html may be page 2
    assert crawl.result.returncode == 0 and "INCOMPLETE" not in crawl.result.stdout  # it says it is page 1: no shortfall


def test_several_start_urls_share_one_run_and_store_each_post_once(site, tmp_path):
    crawl = crawl_site(site, ["/mali/", "/russie/"], tmp_path / "a.db")
    expected = posts_in(crawl, "mali") | posts_in(crawl, "russie")
    ids = [r["id"] for r in export_records(tmp_path / "a.db")]
    assert sorted(ids) == sorted(expected)
    assert sqlite_utils.Database(tmp_path / "a.db")["crawl_runs"].count == 1


def test_a_second_crawl_stores_nothing_twice(site, home_crawl, tmp_path):
    copy_archive(home_crawl.db, tmp_path / "a.db")  # the first crawl: the session's, of the whole blog
    again = crawl_site(site, ["/"], tmp_path / "a.db", "--full")  # every post fetched again
    assert "posts: 0 new, 0 updated, 76 unchanged" in again.result.stdout
    db = sqlite_utils.Database(tmp_path / "a.db")
    assert db["posts"].count == 76 and db["revisions"].count == 0
    assert [run["status"] for run in db["crawl_runs"].rows] == ["finished", "finished"]


def test_scrapy_crawl_works_from_the_project_root(site, tmp_path):
    with ReplicaServer(site) as server:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "category", "-a", f"url={server.base_url}/relations-mali-russie/",
             "-s", f"ARCHIVE_DB={tmp_path / 'a.db'}", *LOCAL],
            cwd=PROJECT, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert sqlite_utils.Database(tmp_path / "a.db")["posts"].count == 4


def test_json_and_json_lines_exports_hold_the_same_records(one_page, tmp_path):
    out = tmp_path / "posts.json"
    result = run_archiver("export", "json", "--db", str(one_page.db), "--out", str(out))
    assert result.returncode == 0 and "Exported 4 posts" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == export_records(one_page.db)
    assert list(json.loads(out.read_text(encoding="utf-8"))[0])[:4] == ["id", "url", "title", "published"]
