"""A whole-blog crawl costs about one request per post: months find the posts, categories only count them."""

import re

import pytest

from conftest import crawl_site
from archiver.replica import build_site


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("replica-600") / "site", posts=600, seed=7).root
    return site, crawl_site(site, ["/"], tmp_path_factory.mktemp("whole") / "archive.db", "--full")


def test_every_post_is_archived_once_though_most_category_pages_are_never_read(crawl):
    site, home = crawl
    assert home.result.returncode == 0, home.result.stderr
    archived = home.records_by_id()
    readable = {post_id for post_id, post in home.truth_by_id().items()
                if post["url"] not in {fault["url"] for fault in home.faults}}
    assert readable <= archived.keys()
    assert all(fault["path"] in home.hits for fault in home.faults)  # listed in categories only: found by the search
    middle = {"/" + str(path.relative_to(site)) for path in site.glob("archives/category/*/index-*.html")}
    read = {path for path in middle if path in home.hits}
    assert len(middle) > 150 and len(read) < 0.5 * len(middle)


def test_a_whole_blog_crawl_makes_at_most_one_request_per_post_and_one_per_listing_it_needs(crawl):
    site, home = crawl
    posts = [path for path in home.hits if re.fullmatch(r"/archive/\d{4}/\d\d/\d\d/[^/]+\.html", path)]
    assert all(home.hits[path] == 1 or path in {f["path"] for f in home.faults} for path in posts)
    categories = sum(1 for folder in site.iterdir() if (folder / "index.rss").exists())
    months = sum(1 for _ in site.glob("archive/*/*/index.html"))
    others = sum(home.hits.values()) - sum(home.hits[path] for path in posts)
    assert others <= 2 * categories + months + 30  # first and last pages, months, home, feed, robots, a search
