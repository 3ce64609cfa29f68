"""Canonical URLs, post ids and page kinds of a Hautetfort blog."""

import pytest

from archiver import urls

BLOG = "https://monblog.hautetfort.com"
POST = f"{BLOG}/archive/2022/02/04/offensive-diplomatique-russe-6362153.html"


@pytest.mark.parametrize(
    "variant",
    [
        POST,
        POST + "?utm_source=rss&utm_medium=feed",
        POST + "#comments",
        POST + "#more",
        POST + "/",
        POST.replace("https://monblog", "https://MONBLOG"),
        POST.replace(".com/", ".com:443/"),
        POST.replace("/archive/", "//archive/"),
    ],
)
def test_every_spelling_of_a_post_has_one_canonical_url(variant):
    assert urls.canonical_url(variant) == POST


@pytest.mark.parametrize(
    "variant, canonical",
    [
        (f"{BLOG}/relations-mali-russie/", f"{BLOG}/relations-mali-russie/"),
        (f"{BLOG}/relations-mali-russie", f"{BLOG}/relations-mali-russie/"),
        (f"{BLOG}/relations-mali-russie/index.html", f"{BLOG}/relations-mali-russie/"),
        (f"{BLOG}/archives/category/relations-mali-russie/index-1.html", f"{BLOG}/relations-mali-russie/"),
        (f"{BLOG}/archives/category/mali/index-3.html?utm_campaign=x", f"{BLOG}/archives/category/mali/index-3.html"),
    ],
)
def test_category_pages_have_one_canonical_url(variant, canonical):
    assert urls.canonical_url(variant) == canonical


def test_relative_links_are_made_absolute_against_the_page():
    assert urls.canonical_url("/archive/2022/02/04/x-6362153.html", base=f"{BLOG}/mali/") == f"{BLOG}/archive/2022/02/04/x-6362153.html"


def test_query_strings_of_unknown_pages_keep_all_but_tracking():
    assert urls.canonical_url(f"{BLOG}/search?q=mali&utm_source=x") == f"{BLOG}/search?q=mali"


@pytest.mark.parametrize(
    "url, kind",
    [
        (POST, "post"),
        (f"{BLOG}/", "home"),
        (BLOG, "home"),
        (f"{BLOG}/mali/", "category"),
        (f"{BLOG}/archives/category/mali/index-2.html", "category"),
        (f"{BLOG}/archive/2022/02/index.html", "month"),
        (f"{BLOG}/archives", "archives"),
        (f"{BLOG}/atom.xml", "feed"),
        (f"{BLOG}/mali/index.rss", "feed"),
        (f"{BLOG}/apps/print/6362153.html", "print"),
        (f"{BLOG}/apps/", "other"),
        (f"{BLOG}/robots.txt", "other"),
    ],
)
def test_page_kinds(url, kind):
    assert urls.page_kind(url) == kind


def test_post_id_and_day_come_from_the_permalink():
    assert urls.post_id(POST) == "6362153"
    assert str(urls.post_date(POST)) == "2022-02-04"
    assert urls.post_id(f"{BLOG}/mali/") is None
    assert urls.post_date(f"{BLOG}/archive/2022/02/31/x-1.html") is None


def test_stable_id_hashes_urls_without_a_post_id():
    assert urls.stable_id(POST + "?utm_source=x") == "6362153"
    other = urls.stable_id(f"{BLOG}/pages/about.html")
    assert len(other) == 16 and other == urls.stable_id(f"{BLOG}/pages/about.html#top")


def test_category_slug_and_page_number():
    assert urls.category_slug(f"{BLOG}/archives/category/mali/index-3.html") == "mali"
    assert urls.category_page_number(f"{BLOG}/archives/category/mali/index-3.html") == 3
    assert urls.category_slug(f"{BLOG}/mali/") == "mali"
    assert urls.category_page_number(f"{BLOG}/mali/") == 1
    assert urls.category_slug(POST) is None


def test_listing_family_groups_the_pages_of_one_category():
    assert urls.listing_family(f"{BLOG}/mali/") == urls.listing_family(f"{BLOG}/archives/category/mali/index-4.html")
    assert urls.listing_family(f"{BLOG}/mali/") != urls.listing_family(f"{BLOG}/niger/")
    assert urls.listing_family(f"{BLOG}/archive/2022/02/index.html") == ("month", "2022", "02")


@pytest.mark.parametrize(
    "href, expected",
    [
        ("javascript:window.print()", None),
        ("  ", None),
        (None, None),
        ("#top", None),
        ("mailto:a@b.invalid", None),
        ("/apps/print/1.html", f"{BLOG}/apps/print/1.html"),
    ],
)
def test_absolute_or_none(href, expected):
    assert urls.absolute_or_none(href, POST) == expected
