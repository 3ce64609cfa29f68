"""Tags: read from footers (both wordings), never mixed with categories, archived beside them, shown, filtered,
listed; a tag page as a start URL crawls that tag; a tag change is a revision; schema 10 from 9."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from archiver import store, urls
from archiver.errors import UsageError
from archiver.views.export_records import export_record
from archiver.extract import extract_post, page_selector
from archiver.extract.fields.tags import NO_TAG
from archiver.items import Category, Post, Tag
from archiver.views.archive_contents import list_tags, tags_text
from archiver.views.search_results import search_archive
from archiver.views.post import find_post_row, post_text, revisions_text
from archiver.store.schema import MIGRATIONS
from tests.conftest import crawl_site, run_archiver
from tests.old_archives import back_to_version_10

BLOG = "http://blog.example"
URL = f"{BLOG}/archive/2013/05/28/la-note-1234567.html"
CLASSIC = """<html><body><div class="post"><h3 class="posttitle" id="p1"><a href="{url}">La note</a></h3>
<div class="posttext"><p>Le texte de la note.</p></div>
<p class="postfooter">{footer}</p></div></body></html>"""
# The platform's wording, footer of a template no profile knows: time, categories, links, count, tags, share.
PUBLISHED_IN = ('14:45 Publié dans <a href="/geneve/">Genève</a>, <a href="/sports/">Sports</a> | '
                '<a href="{url}">Lien permanent</a> | Commentaires (0) | Tags : {tags} | | Facebook | | | |')
CATEGORIES_FIRST = ('10:30 | <a href="{url}">Lien permanent</a> | Catégories : <a href="/niger/">Niger</a> | '
                    '0 commentaire | Tags : {tags}')
LINKED = '<a href="/tag/pauvret%C3%A9">pauvreté</a>, <a href="/tag/salika+wenger">salika wenger</a>, <a href="/tag/Niger">Niger</a>'


def extracted(footer: str, tags: str, *, footer_class: str = "postfooter") -> dict:
    """The fields extract_post reads from a classic-looking page with this footer."""
    html = CLASSIC.format(url=URL, footer=footer.format(url=URL, tags=tags)).replace('"postfooter"', f'"{footer_class}"')
    return extract_post(page_selector(html, URL), URL).fields


@pytest.mark.parametrize("footer", [PUBLISHED_IN, CATEGORIES_FIRST], ids=["publie-dans", "categories-first"])
@pytest.mark.parametrize("footer_class", ["postfooter", "unknown-footer"], ids=["theme", "platform-rules"])
def test_a_footers_tags_are_its_links_to_tag_pages_in_order_and_never_categories(footer, footer_class):
    fields = extracted(footer, LINKED, footer_class=footer_class)

    assert fields["tags"] == [Tag("pauvreté", f"{BLOG}/tag/pauvret%C3%A9"), Tag("salika wenger", f"{BLOG}/tag/salika+wenger"),
                              Tag("Niger", f"{BLOG}/tag/Niger")]
    assert all(urls.page_kind(category.url) == "category" for category in fields["categories"])
    assert "Niger" not in [category.name for category in fields["categories"]] or footer is CATEGORIES_FIRST
    assert not {tag.url for tag in fields["tags"]} & {category.url for category in fields["categories"]}


def test_tags_named_without_links_are_read_up_to_the_next_bar():
    fields = extracted(PUBLISHED_IN, "pauvreté, Salika  Wenger", footer_class="unknown-footer")

    assert fields["tags"] == [Tag("pauvreté"), Tag("Salika Wenger")]
    assert fields["sources"]["tags"] == "platform: names after 'Tags' in the footer"
    assert [category.name for category in fields["categories"]] == ["Genève", "Sports"]


def test_a_page_that_shows_no_tag_has_none_and_says_so():
    fields = extracted(CATEGORIES_FIRST.replace(" | Tags : {tags}", ""), "")

    assert fields["tags"] == [] and fields["sources"]["tags"] == NO_TAG and fields["warnings"] == []


def test_both_forms_of_a_tag_page_are_one_listing_case_aside():
    first, later = f"{BLOG}/tag/salika+wenger", f"{BLOG}/archives/tag/Salika+Wenger/index-1.html"

    assert urls.page_kind(first) == urls.page_kind(later) == "tag"
    assert urls.listing_family(first) == urls.listing_family(later) == ("tag", "salika wenger")
    assert urls.tag_first_page(later) == f"{BLOG}/tag/Salika+Wenger"
    assert urls.category_slug(first) is None and urls.listing_family(f"{BLOG}/tag/pauvret%C3%A9") == ("tag", "pauvreté")


# One crawl of the default replica (shared by the tests below), and one of a tag page.
@pytest.fixture(scope="module")
def crawled(home_crawl):
    assert home_crawl.result.returncode == 0, home_crawl.result.stderr
    return home_crawl


def canonical_tags(tags: list[dict]) -> list[dict]:
    return [{"name": tag["name"], "url": urls.canonical_url(tag["url"])} for tag in tags]


def test_every_posts_tags_are_exact_in_the_export(crawled):
    records, truth = crawled.records_by_id(), crawled.truth_by_id()

    assert sum(1 for post in truth.values() if post["tags"]) >= 20
    assert {post_id: records[post_id]["tags"] for post_id in truth} == {
        post_id: canonical_tags(post["tags"]) for post_id, post in truth.items()}
    assert not any(urls.page_kind(category["url"]) == "tag" for record in records.values() for category in record["categories"])


def test_show_gives_a_posts_tags_as_text_and_json(crawled):
    post = next(post for post in crawled.truth if len(post["tags"]) >= 2)
    shown = run_archiver("show", post["id"], "--json", "--db", str(crawled.db))
    text = post_text(export_record(find_post_row(crawled.db, post["id"]), with_revisions=True))

    assert json.loads(shown.stdout)["tags"] == canonical_tags(post["tags"])
    assert f"Tags : {', '.join(tag['name'] for tag in post['tags'])}" in text.splitlines()


def test_the_tag_filter_keeps_the_posts_carrying_the_tag(crawled):
    tagged = {post["id"] for post in crawled.truth if any(tag["name"] == "pauvreté" for tag in post["tags"])}
    exported = run_archiver("export", "jsonl", "--tag", "PAUVRETE", "--db", str(crawled.db))
    found = search_archive(crawled.db, "Russie OR Mali OR Afrique OR le", tags=["pauvreté"], limit=200)

    assert {json.loads(line)["id"] for line in exported.stdout.splitlines()} == tagged
    assert {hit["id"] for hit in found.hits} == tagged
    with pytest.raises(UsageError, match="no tag 'pauvrete-noire' in the archive"):
        search_archive(crawled.db, "Mali", tags=["pauvrete-noire"])


def test_archiver_tags_lists_each_tag_with_its_page_and_posts(crawled):
    listed = json.loads(run_archiver("tags", "--json", "--db", str(crawled.db)).stdout)
    text = tags_text(list_tags(crawled.db))
    counts: dict[str, int] = {}
    for post in crawled.truth:
        for tag in post["tags"]:
            counts[tag["name"]] = counts.get(tag["name"], 0) + 1

    assert {row["name"]: row["posts"] for row in listed} == counts
    assert {row["name"]: row["url"] for row in listed}["salika wenger"] == f"{crawled.base_url}/tag/salika+wenger"
    assert text.splitlines()[-1] == f"{len(counts)} tags."


def test_a_whole_blog_crawl_asks_for_no_tag_page(crawled):
    assert not [path for path in crawled.hits if "/tag/" in path]


def test_a_tag_page_as_start_url_archives_every_post_of_that_tag(site, tmp_path):
    crawl = crawl_site(site, ["/tag/Wagner"], tmp_path / "wagner.db")
    tagged = {post["id"] for post in crawl.truth if any(tag["name"] == "Wagner" for tag in post["tags"])}

    assert crawl.result.returncode == 0, crawl.result.stderr
    assert len(tagged) > 10 and "/archives/tag/Wagner/index-1.html" in crawl.hits  # page 2, numbered from zero
    assert set(crawl.records_by_id()) == tagged

    again = crawl_site(site, ["/tag/Wagner"], crawl.db)  # nothing new: the tag's first page, no post
    revalidated = crawl_site(site, ["/tag/Wagner"], crawl.db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    runs = json.loads(run_archiver("runs", "--db", str(crawl.db), "--json").stdout)
    assert [(run["mode"], run["mode_asked"]) for run in runs] == [
        ("revalidate", "revalidate"), ("incremental", "incremental"), ("full", "incremental")]  # the first walked all
    assert again.result.returncode == 0 and not [path for path in again.hits if path.startswith("/archive/")]
    assert revalidated.result.returncode == 0  # every post of the tag asked again, and no other
    assert {path for path in revalidated.hits if path.startswith("/archive/")} == {
        store.path_key(post["url"]) for post in crawl.truth if post["id"] in tagged}


# A tag change is a revision; schema 10 from 9 (real SQLite files).
T1, T2 = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("UTC")), datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("UTC"))


def a_post(tags: list[Tag]) -> Post:
    return Post(id="1234567", url=URL, title="La note", body_text="Le texte.", body_html="<p>Le texte.</p>",
                categories=[Category("Niger", f"{BLOG}/niger/")], tags=tags)


def test_a_tag_change_keeps_the_earlier_tags_in_a_revision(tmp_path):
    db = store.open_archive(tmp_path / "archive.db")
    try:
        assert store.save_post(db, a_post([Tag("Sarkozy", f"{BLOG}/tag/Sarkozy")]), run_id=None, now=T1) == "inserted"
        assert store.save_post(db, a_post([Tag("Sarkozy", f"{BLOG}/tag/Sarkozy")]), run_id=None, now=T2) == "unchanged"
        assert store.save_post(db, a_post([Tag("pauvreté")]), run_id=None, now=T2) == "updated"
        post = store.get_post(db, "1234567")
    finally:
        db.close()

    assert [{"name": tag["name"], "url": tag["url"]} for tag in post["tags"]] == [{"name": "pauvreté", "url": None}]
    assert [revision["tags"] for revision in post["revisions"]] == [[{"name": "Sarkozy", "url": f"{BLOG}/tag/Sarkozy"}]]
    assert "then changed: tags" in revisions_text(export_record(post, with_revisions=True))


def test_a_version_9_archive_gains_the_tag_tables_and_keeps_its_versions(tmp_path):
    path = tmp_path / "v9.db"
    nine = store.open_archive(path)
    store.save_post(nine, a_post([]), run_id=None, now=T1)
    before = nine["posts"].get("1234567")["version_hash"]
    back_to_version_10(nine)
    nine.execute("DROP TABLE post_tags")
    nine.execute("DROP TABLE tags")
    nine.execute("ALTER TABLE revisions DROP COLUMN tags")
    nine.execute("PRAGMA user_version = 9")
    nine.conn.commit()
    nine.close()

    db = store.open_archive(path)
    try:
        assert store.schema_version(db) == len(MIGRATIONS) == 14
        assert {"tags", "post_tags"} <= set(db.table_names()) and "tags" in db["revisions"].columns_dict
        assert db["posts"].get("1234567")["version_hash"] == before
        assert store.save_post(db, a_post([]), run_id=None, now=T2) == "unchanged"
    finally:
        db.close()
