"""Canonical URLs, post ids and page kinds of a Hautetfort blog."""

import pytest

from archiver import blog_hosts, page_kinds, url_syntax, urls
from archiver.errors import MalformedURL, UsageError

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
        (f"{BLOG}/archives/category/relations-mali-russie/index-1.html",  # page 2 on a blog numbered from zero
         f"{BLOG}/archives/category/relations-mali-russie/index-1.html"),
        (f"{BLOG}/relations-mali-russie/index-1.html", f"{BLOG}/relations-mali-russie/index-1.html"),
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


def test_category_slug_and_listing_index():
    assert urls.category_slug(f"{BLOG}/archives/category/mali/index-3.html") == "mali"
    assert urls.listing_index(f"{BLOG}/archives/category/mali/index-3.html") == 3
    assert urls.category_slug(f"{BLOG}/mali/") == "mali"
    assert urls.listing_index(f"{BLOG}/mali/") is None
    assert urls.category_slug(POST) is None


@pytest.mark.parametrize("page", [f"{BLOG}/index-1.html", f"{BLOG}/archives/category/mali/index-1.html",
                                  f"{BLOG}/mali/index-1.html", f"{BLOG}/archives/2019/08/index-1.html"])
def test_index_1_is_never_folded_into_the_first_page(page):
    assert urls.canonical_url(page) == page  # numbered from zero on real blogs: page 2
    assert urls.listing_index(page) == 1 and not urls.is_first_page(page)


@pytest.mark.parametrize("first", [f"{BLOG}/", f"{BLOG}/mali/", f"{BLOG}/archive/2019/08/index.html"])
def test_a_bare_url_is_its_listings_first_page(first):
    assert urls.is_first_page(first) and urls.listing_index(first) is None


def test_the_pages_of_a_listing_are_ordered_by_their_url_index_bare_page_first():
    pages = [f"{BLOG}/index-2.html", f"{BLOG}/index-10.html", f"{BLOG}/", f"{BLOG}/index-1.html"]
    assert sorted(pages, key=urls.listing_order) == [f"{BLOG}/", f"{BLOG}/index-1.html", f"{BLOG}/index-2.html",
                                                     f"{BLOG}/index-10.html"]


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


HOSTILE = [
    "http://www.example.org:80a/", "http://www.example.org:99999/", "http://h:８０/", "http://[oops/", "http://[::1/",
    "http://host]/", "http://]x[/", "http://host／x", "http:／／host/x", "http://host。com/x", "http://ho st/x",
    "http://h/\x00x", "http://h\x00/", "\x00", "http://h/" + "a" * 100_000, "javascript:alert(1)", "data:,x", "mailto:x@y",
    "//", "//:80/", "http://" + "a" * 64 + ".org/", "http://é" + "é" * 70 + ".org/", "http://a..b/", "/%zz%", "http://h/\ud800",
    "\ud800", "http://\ud800/", f"{BLOG}/archives/category/mali/index-{'9' * 20}.html", f"{BLOG}/index-{'9' * 20}.html",
    f"{BLOG}/archive/2022/02/04/x-{'9' * 29}.html", f"{BLOG}/archive/9999/99/99/x-123456.html", "", " ",
]
# Every public function of urls and the modules it gathers.
ENTRY_POINTS = {name: function for module in (urls, page_kinds, blog_hosts, url_syntax) for name, function in vars(module).items()
                if callable(function) and not isinstance(function, type) and not name.startswith("_")
                and getattr(function, "__module__", "") == module.__name__}
# What says "no URL" by raising ValueError (urls catches it): the syntax, and the one reading of a link.
RAISING = ("canonical_url", "resolve", "split", "clean_path", "origin")
TWO_URLS = {"on_blog", "link_target", "absolute_or_none", "malformed", "same_host", "same_blog_host", "is_host", "resolve"}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_no_function_raises_on_a_hostile_url_but_canonical_url_which_names_it(name):
    function = ENTRY_POINTS[name]
    for href in HOSTILE:
        for args in ((href, f"{BLOG}/mali/"), (f"{BLOG}/mali/", href)) if name in TWO_URLS else \
                (([href, POST], f"{BLOG}/mali/"), ([POST], href)) if name == "malformed_among" else ((href,),):
            try:
                function(*args)
            except ValueError as error:
                assert name in RAISING, name
                if name == "canonical_url":
                    assert isinstance(error, MalformedURL) and isinstance(error, UsageError)
                    assert str(error).startswith("not a URL: ") and len(str(error)) < 300


@pytest.mark.parametrize("href", [
    "http://www.example.org:80a/", "http://[oops/", "http://[::1/", "http://host／x", "http://ho st/x",
    "http://%zz/", "http://a..b/", "http://h:８０/", "http://h/" + "a" * 3000, "http://h/\ud800",
])
def test_a_malformed_link_is_skipped_by_every_function_that_gives_a_url(href):
    assert urls.malformed(href, POST)
    assert urls.on_blog(href, POST) is None and urls.absolute_or_none(href, POST) is None
    assert urls.link_target(href, POST) == (None, "other") and urls.canonical_or_none(href, POST) is None
    with pytest.raises(MalformedURL):
        urls.canonical_url(href, POST)


@pytest.mark.parametrize("href", [
    POST, "/mali/", "../04/a-6362153.html", "?page=2", "#haut", "", "javascript:void(0)", "mailto:moi@example.org",
    "data:text/html,x", "http:／／host/x", "http://exemple。org/", "http://[::1]:8080/", "http://localhost_dev/",
    "http://xn--n3h.net/", "http://☃.net/", "/un lien.html", "/%zz%",
])
def test_what_browsers_read_is_not_malformed(href):
    assert not urls.malformed(href, "http://monblog.hautetfort.com/mali/")


def test_a_link_that_names_no_host_is_malformed():
    assert urls.malformed("//:80/", POST) and urls.on_blog("//:80/", POST) is None
    assert urls.malformed("http:／／host/x", POST)  # on an https page: another scheme, and no host


def test_a_start_url_a_user_typed_wrong_is_one_error_the_cli_can_name():
    with pytest.raises(UsageError, match=r"not a URL: 'http://example\.com:abc/' \(Port could not be cast"):
        urls.canonical_url("http://example.com:abc/")
    with pytest.raises(ValueError, match="Invalid IPv6 URL"):
        urls.canonical_url("http://[::1/")


def test_spaces_and_control_bytes_in_a_path_have_one_spelling():
    assert urls.canonical_url(f"{BLOG}/un lien.html") == urls.canonical_url(f"{BLOG}/un%20lien.html") == f"{BLOG}/un%20lien.html"
    assert urls.canonical_url(f"{BLOG}/a\x01b.html") == f"{BLOG}/a%01b.html"


def test_page_numbers_stop_at_five_digits():
    assert urls.listing_index(f"{BLOG}/archives/category/mali/index-99999.html") == 99_999
    assert urls.page_kind(f"{BLOG}/archives/category/mali/index-100000.html") == "other"
    assert urls.listing_index(f"{BLOG}/archives/category/mali/index-{'9' * 20}.html") is None
    assert urls.listing_family(f"{BLOG}/index-{'9' * 20}.html") is None


def test_a_link_that_names_its_host_is_read_once_for_every_page_of_the_blog():
    sidebar_link = f"{BLOG}/mali/index.html"
    on_one_page, on_another = urls.resolve(sidebar_link, POST), urls.resolve(sidebar_link, f"{BLOG}/niger/")
    assert on_one_page is on_another and on_one_page.url == f"{BLOG}/mali/" and on_one_page.kind == "category"
    assert urls.resolve("/mali/", POST) is urls.resolve("/mali/", f"{BLOG}/niger/")  # a path from the root too


def test_a_relative_link_is_read_against_its_own_page():
    assert urls.resolve("index-2.html", f"{BLOG}/mali/").url == f"{BLOG}/mali/index-2.html"
    assert urls.resolve("index-2.html", f"{BLOG}/niger/").url == f"{BLOG}/niger/index-2.html"
    assert urls.resolve("?page=2", POST).absolute == POST + "?page=2"
