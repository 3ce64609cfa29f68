"""A whole-blog crawl costs one request per post and one per listing page: months and categories find the
posts, and every category's pages are read, so that its count is checked against the posts they list."""

import re

import pytest

from conftest import crawl_site
from archiver.replica import build_site


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("replica-600") / "site", posts=600, seed=7).root
    return site, crawl_site(site, ["/"], tmp_path_factory.mktemp("whole") / "archive.db", "--full")


def test_every_post_is_archived_once_and_every_category_page_is_read(crawl):
    site, home = crawl
    assert home.result.returncode == 0, home.result.stderr
    archived = home.records_by_id()
    readable = {post_id for post_id, post in home.truth_by_id().items()
                if post["url"] not in {fault["url"] for fault in home.faults}}
    assert readable <= archived.keys()
    assert all(fault["path"] in home.hits for fault in home.faults)  # listed in categories only
    middle = {"/" + str(path.relative_to(site)) for path in site.glob("archives/category/*/index-*.html")
              if not path.name == "index-1.html"}  # the replica's loop trap: page 1 under another name
    assert len(middle) > 150 and {path for path in middle if home.hits.get(path) != 1} == set()
    assert "INCOMPLETE" not in home.result.stdout


def test_a_whole_blog_crawl_makes_at_most_one_request_per_post_and_one_per_listing_it_needs(crawl):
    site, home = crawl
    posts = [path for path in home.hits if re.fullmatch(r"/archive/\d{4}/\d\d/\d\d/[^/]+\.html", path)]
    assert all(home.hits[path] == 1 or path in {f["path"] for f in home.faults} for path in posts)
    categories = sum(1 for folder in site.iterdir() if (folder / "index.rss").exists())
    category_pages = categories + sum(1 for _ in site.glob("archives/category/*/index-*.html"))
    months = sum(1 for _ in site.glob("archive/*/*/index.html"))
    others = sum(home.hits.values()) - sum(home.hits[path] for path in posts)
    assert others <= category_pages + months + 30  # every category page, months, home, feed, robots
