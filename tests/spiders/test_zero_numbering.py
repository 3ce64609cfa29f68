"""A blog that numbers its listing pages from zero, as real blogs do (index-1.html is page 2), with feeds of 10
items: every crawl archives every post, and the census counts its pages by what they say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from archiver.extract.profiles import bundled_profiles
from archiver.views.inspection import inspect_page
from archiver.replica import ReplicaServer, build_site, load_ground_truth
from archiver.replica.evolve import evolve_site
from archiver.replica.fault_plan import ALWAYS, Burst, FaultPlan
from archiver.replica.fault_server import FaultServer
from archiver.replica.generate import Blocks
from archiver.replica.model import BASE_TOKEN, BLOG_NAME
from archiver.replica.plan import listing_theme, plan_site
from archiver.views.inspection_text import inspection_text
from conftest import LOCAL, run_archiver

pytestmark = pytest.mark.timeout(300)  # the module's fixture runs six crawls, charged to its first test
CATEGORY = "russie"  # 33 posts (one faulty): /russie/, index-1.html (page 2), index-2.html, index-3.html (page 4)
PAGE_2 = f"/archives/category/{CATEGORY}/index-1.html"
FEED = f"/{CATEGORY}/index.rss"
ADDED = 25
TWO_PAGES = "libye"  # 18 posts: /libye/ and index-1.html


def crawl(server, db: Path, start: str, *extra: str) -> tuple:
    """One crawl by the CLI: its result and the permalinks archived after it."""
    result = run_archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *extra)
    return result, {row["url"] for row in sqlite_utils.Database(db)["posts"].rows} if db.exists() else set()


def truth(root: Path, base_url: str, slug: str | None = None) -> set[str]:
    """The permalinks the blog holds (filed under category `slug`, when given)."""
    return {record["url"] for record in load_ground_truth(root, base_url)
            if slug is None or any(c["url"].endswith(f"/{slug}/") for c in record["categories"])}


def without_a_post_on_page_2(root: Path) -> str:
    """Serve page 2 of the category without its first post (absent from every other page it reads: the
    category's feed holds page 1's posts only); the post's path."""
    site = plan_site(72, 2022, 0)
    category = next(c for c in site.categories if c.slug == CATEGORY)
    post = site.listings[category][10]  # the first post of page 2
    page = root / PAGE_2.lstrip("/")
    html = page.read_text()
    block = Blocks()(listing_theme(site, category), post)
    assert html.count(block) == 1 and post.url not in (root / FEED.lstrip("/")).read_text()
    page.write_text(html.replace(block, ""))
    return post.path


@pytest.fixture(scope="module")
def zero(tmp_path_factory):
    """The replica numbered from zero, feeds of 10: a category crawl with its feed and one without; a census
    with a post missing from page 2; a whole-blog --full crawl, then 25 new posts and an incremental crawl."""
    folder = tmp_path_factory.mktemp("zero")
    root = build_site(folder / "site", numbered_from_zero=True, feed_size=10).root
    shutil.copytree(root, folder / "short")
    missing = without_a_post_on_page_2(folder / "short")
    runs = {}
    with ReplicaServer(root) as server:
        runs["category"] = crawl(server, folder / "category.db", f"/{CATEGORY}/") + (truth(root, server.base_url, CATEGORY),)
        runs["hits"] = dict(server.hits)
        runs["full"] = crawl(server, folder / "blog.db", "/", "--full") + (truth(root, server.base_url),)
        step = evolve_site(root, add=ADDED, numbered_from_zero=True, feed_size=10)
        runs["incremental"] = crawl(server, folder / "blog.db", "/") + (truth(root, server.base_url),)
    with FaultServer(root, FaultPlan(bursts={FEED: Burst("500", times=ALWAYS)})) as server:  # evolved: 25 more posts
        runs["no feed"] = crawl(server, folder / "no-feed.db", f"/{CATEGORY}/") + (truth(root, server.base_url, CATEGORY),)
        runs["feed hits"] = server.hits[FEED]
    contradicting = folder / "short" / f"archives/category/{TWO_PAGES}/index-1.html"
    contradicting.write_text(contradicting.read_text().replace("- Page 2</title>", "- Page 3</title>"))
    with ReplicaServer(folder / "short") as server:
        runs["short"] = crawl(server, folder / "short.db", f"/{CATEGORY}/") + (server.base_url + missing, server.base_url)
        runs["contradiction"] = crawl(server, folder / "contradiction.db", f"/{TWO_PAGES}/") + (server.base_url,)
    return runs, step, root


def test_the_replica_numbers_its_listings_from_zero_with_feeds_of_10(tmp_path):
    root = build_site(tmp_path / "site", posts=60, numbered_from_zero=True, feed_size=10).root
    assert "- Page 2</title>" in (root / "archives/category/russie/index-1.html").read_text()
    assert "- Page 3</title>" in (root / "index-2.html").read_text()
    assert list(root.glob("archives/*/*/index-1.html")) and not list(root.glob("archive*/**/index-0.html"))
    assert (root / "atom.xml").read_text().count("<entry>") == 10
    assert (root / "russie/index.rss").read_text().count("<item>") == 10


def test_a_category_crawl_archives_every_post_of_a_category_of_four_pages(zero):
    (result, archived, expected), hits = zero[0]["category"], zero[0]["hits"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(expected) > 30 and archived == expected
    assert hits[PAGE_2] == 1 and hits[f"/archives/category/{CATEGORY}/index-3.html"] == 1


def test_without_its_category_feed_too(zero):
    (result, archived, expected), feed_hits = zero[0]["no feed"], zero[0]["feed hits"]
    assert feed_hits >= 1  # asked, and answered 500
    assert result.returncode == 0, result.stdout + result.stderr
    assert archived == expected


def test_a_whole_blog_full_crawl_archives_every_post(zero):
    result, archived, expected = zero[0]["full"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert archived == expected and len(archived) == 76
    assert "INCOMPLETE" not in result.stdout


def test_an_incremental_crawl_after_25_new_posts_archives_them_all(zero):
    (result, archived, expected), step = zero[0]["incremental"], zero[1]
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(step.added) == ADDED and archived == expected


def test_the_census_finds_a_post_missing_from_page_2_and_names_the_category(zero):
    result, archived, missing, base = zero[0]["short"]
    assert result.returncode == 4, result.stdout + result.stderr
    assert missing not in archived
    assert f"INCOMPLETE {base}/{CATEGORY}/: its pages say it lists 33 posts, 32 were found on them" in result.stdout


def test_pages_that_contradict_each_others_numbering_are_a_named_loss(zero):
    result, _, base = zero[0]["contradiction"]  # index-1.html says "Page 3"; the first page's pager links it as "2"
    assert result.returncode == 4, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("INCOMPLETE")]
    assert line.startswith(f"INCOMPLETE {base}/archives/category/{TWO_PAGES}/index-1.html: the blog numbers its "
                           "listing pages two ways")


def test_inspect_says_which_page_a_listing_page_is_and_how_the_blog_numbers_them(zero):
    root = zero[2]
    url = f"{BASE_TOKEN}/archives/category/{CATEGORY}/index-1.html"
    inspection = inspect_page((root / PAGE_2.lstrip("/")).read_bytes(), url, bundled_profiles())
    assert inspection.numbering["page"] == 2 and inspection.numbering["numbered"] == "from zero"
    lines = inspection_text(inspection).splitlines()
    assert lines[-2] == f"listing page: page 2 (index-1.html; its title: 'RUSSIE : {BLOG_NAME} - Page 2')"
    assert lines[-1].startswith(f"numbered: from zero ({url} is page 2: title;")
    first = inspect_page((root / f"{CATEGORY}/index.html").read_bytes(), f"{BASE_TOKEN}/{CATEGORY}/", bundled_profiles())
    assert inspection_text(first).splitlines()[-1].startswith(f"numbered: from zero ({url} is page 2: pager link;")
