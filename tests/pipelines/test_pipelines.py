"""Validate, clean and deduplicate, called directly on items."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from archiver import store
from archiver.items import Category, Comment, FetchedPage, Post, PostAlias
from archiver.pipelines.clean import Clean, sanitise_html
from archiver.pipelines.deduplicate import Deduplicate, DuplicatePost
from archiver.pipelines.storage import Store
from archiver.pipelines.validate import Validate

URL = "http://blog.invalid/archive/2022/02/04/titre-6362153.html"


def make_post(**fields) -> Post:
    values = {"id": "6362153", "url": URL, "title": "Titre", "body_text": "Texte.", "body_html": "<p>Texte.</p>"}
    return Post(**{**values, **fields})


@pytest.fixture
def crawler():
    return get_crawler()


def test_validate_keeps_a_complete_post(crawler):
    post = make_post()
    assert Validate.from_crawler(crawler).process_item(post) is post


def test_validate_keeps_an_image_only_post_with_a_title_and_no_text(crawler):
    post = make_post(body_text="", body_html='<p><img src="/media/01/02/123456789.jpg"></p>')
    assert Validate.from_crawler(crawler).process_item(post) is post


@pytest.mark.parametrize("missing", ["id", "title"])
def test_validate_drops_a_post_without_id_or_title_with_the_reason(crawler, missing):
    pipeline = Validate.from_crawler(crawler)
    with pytest.raises(DropItem, match=f"post without {missing}"):
        pipeline.process_item(make_post(**{missing: ""}))
    assert crawler.stats.get_value(f"archiver/dropped/missing_{missing}") == 1


def test_validate_lets_other_items_through(crawler):
    page = FetchedPage(url=URL, status=500, kind="post")
    assert Validate.from_crawler(crawler).process_item(page) is page


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>a<script>alert(1)</script></p>", "alert"),
        ("<style>p{}</style><p>a</p>", "p{}"),
        ('<p onclick="steal()">a</p>', "onclick"),
        ('<a href="javascript:alert(1)">a</a>', "javascript:"),
        ('<img src="x.png" onerror="x()">', "onerror"),
    ],
)
def test_sanitise_removes_scripts_styles_handlers_and_javascript_urls(dirty, forbidden):
    assert forbidden not in sanitise_html(dirty)


def test_sanitise_keeps_the_readable_markup():
    html = '<p>Un <em>mot</em> et <a href="https://x.invalid/">un lien</a>.</p><img src="/a.png" alt="carte">'
    clean = sanitise_html(html)
    assert "<em>mot</em>" in clean and 'href="https://x.invalid/"' in clean and 'alt="carte"' in clean


def test_clean_collapses_whitespace_and_sanitises_comments():
    post = make_post(
        title="  Mali :\n  neutralisation\xa0de 43  ",
        author="  Jean\n Dupont ",
        categories=[Category(" Relations  Mali-Russie ", "http://blog.invalid/relations-mali-russie/")],
        comments=[Comment(author=" Awa ", body_text="Merci", body_html="<p onclick='x()'>Merci</p>")],
    )
    cleaned = Clean().process_item(post)
    assert cleaned.title == "Mali : neutralisation de 43"
    assert cleaned.author == "Jean Dupont"
    assert cleaned.categories[0].name == "Relations Mali-Russie"
    assert cleaned.comments[0].author == "Awa" and "onclick" not in cleaned.comments[0].body_html


def test_deduplicate_keeps_the_first_copy_of_a_post_only(crawler):
    pipeline = Deduplicate.from_crawler(crawler)
    first = make_post()
    assert pipeline.process_item(first) is first
    with pytest.raises(DuplicatePost):
        pipeline.process_item(make_post(fetched_url=URL + "?utm_source=rss"))
    assert pipeline.process_item(make_post(id="1", url=URL.replace("6362153", "1"))).id == "1"
    assert crawler.stats.get_value("archiver/posts/duplicate") == 1


def test_store_keeps_an_old_url_met_after_its_post_as_an_alias_of_it(tmp_path):
    crawler = get_crawler(settings_dict={"ARCHIVE_DB": str(tmp_path / "archive.db")})
    pipeline = Store.from_crawler(crawler)
    pipeline.open_archive()
    old_url = "http://blog.invalid/archive/2022/02/04/titre.html"
    pipeline.process_item(make_post())
    pipeline.process_item(PostAlias(url=old_url, post_url=URL))
    pipeline.process_item(PostAlias(url=old_url + "?x", post_url="http://blog.invalid/never-archived.html"))
    pipeline.spider_closed(None, "finished")

    db = store.open_archive(tmp_path / "archive.db")
    assert list(db["post_aliases"].rows) == [{"url": old_url, "post_id": "6362153"}]
    assert store.get_post(db, old_url)["id"] == "6362153" and db["posts"].count == 1
    db.close()
    assert crawler.stats.get_value("archiver/posts/aliases") == 1
