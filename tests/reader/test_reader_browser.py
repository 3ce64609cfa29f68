"""The offline reader in a real headless Chromium, from file://: home, category, post, the hostile post and the
search, each page checked for console errors, dialogs, broken images and requests leaving the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import assert_clean, broken_images, dead_links, screenshot
from archiver.replica import build_site
from conftest import crawl_site, run_archiver

HOSTILE = "hostile-markup"


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The hostile replica with images (one of them answering 404) crawled and exported as a reader: the export's
    folder and the ground truth."""
    folder = tmp_path_factory.mktemp("reader-browser")
    site = build_site(folder / "site", posts=60, hostile=True, images=True).root  # the smallest replica
    crawl = crawl_site(site, ["/"], folder / "archive.db")
    assert crawl.result.returncode == 0, crawl.result.stderr
    result = run_archiver("export", "html", str(folder / "out"), "--db", str(folder / "archive.db"))
    assert result.returncode == 0, result.stderr
    return folder / "out", crawl.truth


def follow(page, selector: str) -> None:
    """Click the first element matching `selector` and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def check(page, log, out: Path, shots: Path, name: str, full_page: bool = True) -> None:
    """A screenshot for the record (of the whole page, or of what the window shows); then the page loaded every
    image from the export, links to none that is missing and did nothing wrong."""
    screenshot(page, shots, name, full_page=full_page)
    assert not (broken := broken_images(page)), f"{name}: images that did not load: {broken}"
    assert not (dead := dead_links(page, out)), f"{name}: links to no file of the export: {dead}"
    assert_clean(log, out)


def hostile_id(truth: list[dict]) -> str:
    return next(post["id"] for post in truth if HOSTILE in post["quirks"])


def test_home_then_a_category_then_a_post_then_its_neighbour(page, page_log, reader, tmp_path):
    out, _ = reader
    page.goto((out / "index.html").as_uri())
    assert page.locator("ol.posts a").count() == 20
    check(page, page_log, out, tmp_path, "home")
    follow(page, "header.site a[href='categories.html']")
    check(page, page_log, out, tmp_path, "categories")
    follow(page, "ul.categories a:text-is('Défense & sécurité')")
    assert page.locator("h1").inner_text() == "Défense & sécurité"
    check(page, page_log, out, tmp_path, "category")
    title = page.locator("ol.posts a").first.inner_text()
    follow(page, "ol.posts a")
    assert page.locator("h1.title").inner_text() == title
    assert "Défense & sécurité" in page.locator("p.categories").inner_text()
    check(page, page_log, out, tmp_path, "post")
    follow(page, "nav.neighbours a[rel=prev]")
    check(page, page_log, out, tmp_path, "neighbour")
    follow(page, "p.categories a")
    check(page, page_log, out, tmp_path, "post-category")


def test_the_hostile_post_runs_nothing_and_shows_its_title_as_text(page, page_log, reader, tmp_path):
    out, truth = reader
    page.goto((out / "index.html").as_uri())
    follow(page, f"ol.posts a[href='posts/{hostile_id(truth)}.html']")  # the newest post
    assert "<script>" in page.locator("h1.title").inner_text()
    page.hover("text=Le texte qui suit les pièges reste lisible.")  # its onmouseover is gone
    page.locator("a:text-is('lien piégé')").click()  # its javascript: href is gone
    page.locator("a:text-is('Voir ma source')").click()
    page.wait_for_timeout(200)  # a javascript: URL would run, and alert, after the click returns
    assert page.url == (out / "posts" / f"{hostile_id(truth)}.html").as_uri()
    check(page, page_log, out, tmp_path, "hostile")


@pytest.mark.parametrize("query", ["manifestation française", "manifestation francaise", "MANIFESTATION FRANÇAISE"])
def test_search_with_or_without_accents_finds_the_post_and_opens_it(page, page_log, reader, tmp_path, query):
    out, truth = reader
    wanted = next(post for post in truth if post["title"] == "Mali : Nouvelle manifestation anti-Française à Bamako")
    page.goto((out / "search.html").as_uri())
    page.fill("#q", query)
    hits = page.locator("#results a")
    hits.first.wait_for()
    assert hits.first.get_attribute("href") == f"posts/{wanted['id']}.html"  # both words in its title: first
    check(page, page_log, out, tmp_path, "search")
    follow(page, "#results a")
    assert page.locator("h1.title").inner_text() == wanted["title"]
    check(page, page_log, out, tmp_path, "hit")


def test_search_ignores_accents_and_case_in_the_text_too(page, page_log, reader, tmp_path):
    out, _ = reader
    page.goto((out / "search.html").as_uri())
    found = {}
    for query in ("sécurité", "securite", "SÉCURITÉ"):
        page.fill("#q", query)
        page.locator("#results a").first.wait_for()
        found[query] = page.locator("#results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert found["sécurité"] and found["sécurité"] == found["securite"] == found["SÉCURITÉ"]
    check(page, page_log, out, tmp_path, "search-text")
    follow(page, "#results a")
    assert "curit" in page.locator("div.body").inner_text()
    check(page, page_log, out, tmp_path, "search-text-hit")


def test_every_post_image_loads_from_the_export(page, page_log, reader, tmp_path):
    out, _ = reader
    with_images = [path for path in sorted((out / "posts").glob("*.html")) if "<img" in path.read_text(encoding="utf-8")]
    assert with_images, "no post page shows an image"
    for path in with_images:
        page.goto(path.as_uri())
        assert page.locator("div.body img").count() > 0, path.name
        check(page, page_log, out, tmp_path, f"images-{path.stem}", full_page=False)  # 15 pages: the window's shot


def test_a_post_whose_image_failed_still_renders_with_a_link_to_the_original(page, page_log, reader, tmp_path):
    out, truth = reader
    failed = next((post, image) for post in truth for image in post.get("images", []) if image["status"] == 404)
    post, image = failed
    page.goto((out / "posts" / f"{post['id']}.html").as_uri())
    assert page.locator(f'a.missing-image[href="{image["url"]}"]').count() == 1
    check(page, page_log, out, tmp_path, "failed-image")


def test_the_export_holds_every_downloaded_image_of_the_archive(reader):
    import sqlite_utils

    out, _ = reader
    rows = list(sqlite_utils.Database(out.parent / "archive.db").query("SELECT url, path FROM post_media WHERE path IS NOT NULL"))
    assert rows and all((out / "media" / row["path"]).is_file() for row in rows)
    assert {path.relative_to(out / "media").as_posix() for path in (out / "media").rglob("*") if path.is_file()} == {row["path"] for row in rows}
