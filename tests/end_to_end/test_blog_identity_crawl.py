"""The blog's identity kept by a whole-blog crawl of the replica over real HTTP, shown by `stats` and named by the
WARC's warcinfo and the WACZ's title; a crawl of one category reads no identity. Reads the session's crawls
(conftest: home_crawl, one_page_crawl)."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from archiver import store
from archiver.cli import cli
from archiver.replica import model
from conftest import run_archiver

SMALL_CATEGORY = "Relations Mali-Russie"  # 4 posts: a quick export

BLOG_LINE = f"Blog:        {model.BLOG_NAME} — {model.BLOG_TAGLINE} (by {model.BLOG_AUTHOR})"


def identity(db) -> dict | None:
    archive = Database(db)
    try:
        return store.blog_identity(archive)
    finally:
        archive.close()


def first_run_stats(db) -> dict:
    archive = Database(db)
    try:
        return store.get_run(archive, 1)["stats"]
    finally:
        archive.close()


def test_a_crawl_from_the_home_page_keeps_the_blogs_name_description_and_author(home_crawl):
    blog = identity(home_crawl.db)

    assert (blog["name"], blog["description"], blog["author"]) == (model.BLOG_NAME, model.BLOG_TAGLINE, model.BLOG_AUTHOR)
    assert blog["url"] == home_crawl.base_url + "/"
    assert blog["first_seen"] == blog["since"] == blog["seen_at"]
    assert first_run_stats(home_crawl.db)["archiver/blog/identity"] == "new"


def test_stats_shows_the_blog_first(home_crawl):
    result = run_archiver("stats", "--db", str(home_crawl.db))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == BLOG_LINE


def test_stats_json_gives_the_blog(home_crawl):
    blog = json.loads(run_archiver("stats", "--json", "--db", str(home_crawl.db)).stdout)["blog"]

    assert {key: blog[key] for key in ("name", "description", "author", "url", "earlier")} == {
        "name": model.BLOG_NAME, "description": model.BLOG_TAGLINE, "author": model.BLOG_AUTHOR,
        "url": home_crawl.base_url + "/", "earlier": 0}


def test_a_crawl_of_one_category_reads_no_identity(one_page_crawl):
    assert identity(one_page_crawl.db) is None
    result = run_archiver("stats", "--db", str(one_page_crawl.db))
    assert "Blog:        not read yet (a crawl from the home page reads its name)" in result.stdout.splitlines()
    assert json.loads(run_archiver("stats", "--json", "--db", str(one_page_crawl.db)).stdout)["blog"] is None


def export(kind: str, db, path) -> None:
    result = CliRunner().invoke(cli, ["export", kind, str(path), "--db", str(db), "--category", SMALL_CATEGORY])
    assert result.exit_code == 0, result.output


def test_the_warcinfo_names_the_blog_and_the_wacz_is_titled_by_its_name(home_crawl, tmp_path):
    export("warc", home_crawl.db, tmp_path / "blog.warc.gz")
    export("wacz", home_crawl.db, tmp_path / "blog.wacz")

    with (tmp_path / "blog.warc.gz").open("rb") as stream:
        info = next(iter(ArchiveIterator(stream))).content_stream().read().decode("utf-8")
    assert f"blog-name: {model.BLOG_NAME}\r\n" in info and f"blog-author: {model.BLOG_AUTHOR}\r\n" in info
    assert f"blog-description: {model.BLOG_TAGLINE}\r\n" in info
    with zipfile.ZipFile(tmp_path / "blog.wacz") as package:
        assert json.loads(package.read("datapackage.json"))["title"] == f"{model.BLOG_NAME}: 4 posts"


def test_a_warc_of_an_archive_without_identity_names_no_blog(one_page_crawl, tmp_path):
    export("warc", one_page_crawl.db, tmp_path / "blog.warc.gz")

    with (tmp_path / "blog.warc.gz").open("rb") as stream:
        info = next(iter(ArchiveIterator(stream))).content_stream().read().decode("utf-8")
    assert "blog-name" not in info and "isPartOf: " in info
