"""How a listing page's links are read: once each, with the answers the plain URL functions give, in page order."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from archiver import urls
from archiver.extract import extract_listing, extract_neighbours, page_selector
from archiver.extract.page_number import read_page_number

BLOG = "http://monblog.hautetfort.com"
POST = f"{BLOG}/archive/2022/02/04/offensive-diplomatique-6362153.html"
OTHER = f"{BLOG}/archive/2021/01/01/autre-6300001.html"


@pytest.mark.parametrize("href", [
    POST, f"{POST}#comments", f" {POST} ", "HTTP://MonBlog.hautetfort.com/mali/index.html",
    "https://monblog.hautetfort.com/mali/", "http://www.monblog.hautetfort.com/mali/", "//monblog.hautetfort.com/mali/",
    "http:///archive/2022/02/04/sans-hote-6362153.html", "http://?page=2", "https://ailleurs.example/x",
    "/archive/2022/02/04/a-6362153.html", "/mali/index.html;x?utm_source=y#z", "/", "http:/mali/", "http:mali/",
    "../04/a-6362153.html", "?page=2", "#haut", "", "javascript:void(0)", "mailto:moi@example.org",
    "ftp://monblog.hautetfort.com/x", "https:/mali/", "//", "//?page=2", "/\t/mali/", "HTTP://monblog.hautetfort.com/x",
    "http://#haut", "https://?page=2", "https://\nmonblog.hautetfort.com/x", "mailto:/x", "http:/", "/\n/ailleurs.example/x",
])
@pytest.mark.parametrize("page_url", [f"{BLOG}/mali/", "https://monblog.hautetfort.com:8443/archive/2022/02/04/x.html"])
def test_a_link_is_read_as_urljoin_and_on_blog_read_it(href, page_url):
    assert urls.resolve(href, page_url).absolute == urljoin(page_url, href)  # one answer for every page, the same
    assert urls.canonical_url(href, page_url) == urls.canonical_url(urljoin(page_url, href))
    assert urls.link_target(href, page_url) == (urls.on_blog(href, page_url),
                                                urls.page_kind(urls.canonical_url(urljoin(page_url, href))))


def test_a_neighbour_label_split_by_markup_is_still_read():
    html = f'<html><body><p><a href="{OTHER}">Note <b>précédente</b></a></p></body></html>'
    assert extract_neighbours(page_selector(html, POST), POST) == [OTHER]


def test_pagination_keeps_page_order_between_link_elements_and_anchors():
    html = f"""<html><head><link rel="stylesheet" href="http://[cassé/style.css">
    <link rel="prev" href="{BLOG}/mali/index-1.html"></head><body>
    <p class="pages"><a href="{BLOG}/archives/category/mali/index-4.html">4</a></p>
    <link rel="next" href="{BLOG}/archives/category/mali/index-3.html"></body></html>"""
    url = f"{BLOG}/archives/category/mali/index-2.html"
    assert extract_listing(page_selector(html, url), url, None).pages == [  # index-1.html kept: page 2 from zero
        f"{BLOG}/mali/index-1.html", f"{BLOG}/archives/category/mali/index-4.html",
        f"{BLOG}/archives/category/mali/index-3.html"]


def test_categories_come_from_the_list_then_the_labels_then_the_footers_then_paged_links():
    html = f"""<html><body><div id="posts">
    <div class="post"><p>Texte. <a href="{POST}">Lien permanent</a> <a href="{BLOG}/libye/">Libye</a></p>
    <p>Catégories : <a href="{BLOG}/niger/">Niger</a>, <a href="{BLOG}/mali/">Mali</a></p></div>
    <p><a href="{BLOG}/archives/category/tchad/index-3.html">Tchad, page 3</a></p></div>
    <div class="col"><div class="title">Catégories</div><div><ul><li><span><a href="{BLOG}/mali/">Mali</a></span></li>
    <li><a href="{BLOG}/soudan/index-2.html">Soudan</a></li></ul></div></div></body></html>"""
    assert extract_listing(page_selector(html, f"{BLOG}/"), f"{BLOG}/", None).categories == [
        f"{BLOG}/mali/", f"{BLOG}/soudan/", f"{BLOG}/niger/", f"{BLOG}/libye/", f"{BLOG}/tchad/"]


def test_recent_notes_in_the_sidebar_are_mentioned_not_listed():
    html = f"""<html><body><div id="content"><h2><a href="{POST}">Offensive diplomatique</a></h2></div>
    <div class="sidebar"><h3>Notes récentes</h3><ul><li><a href="{OTHER}">Autre</a></li>
    <li><a href="{POST}">Offensive diplomatique</a></li></ul></div></body></html>"""
    links = extract_listing(page_selector(html, f"{BLOG}/mali/"), f"{BLOG}/mali/", None)
    assert (links.posts, links.mentioned) == ([POST], [OTHER])


def test_a_deeply_nested_page_is_read_without_recursion():
    html = "<html><body>" + "<div>" * 3000 + f'<ul><li><a href="{BLOG}/mali/">Mali</a></li></ul>' + "</div>" * 3000
    links = extract_listing(page_selector(html + "</body></html>", f"{BLOG}/"), f"{BLOG}/", None)
    assert links.categories == []


def test_malformed_links_of_every_kind_the_listing_reads_are_named_once():
    html = f"""<html><head><link rel="next" href="http://[oops/archives/category/mali/index-3.html">
    <link rel="stylesheet" href="http://[cassé/style.css"></head><body>
    <h2><a href="{POST}">Offensive diplomatique</a></h2><p><a href="http://example.org:80a/">a</a>
    <a href="http://example.org:80a/">encore</a> <a href="javascript:void(0)">js</a> <a href="https://ailleurs.example/">b</a></p>
    </body></html>"""
    links = extract_listing(page_selector(html, f"{BLOG}/mali/"), f"{BLOG}/mali/", None)
    assert links.posts == [POST]
    assert links.malformed == ["http://[oops/archives/category/mali/index-3.html", "http://example.org:80a/"]
    assert links.malformed_count == 2


ZERO = f"{BLOG}/archives/category/mali/index-{{}}.html"  # numbered from zero: index-1.html is page 2


@pytest.mark.parametrize("title, number", [
    ("Mali : Chroniques - Page 3", 3), ("politique - page 5 sur 12", 5), ("Mali - Page 2/7", 2), ("Mali : Chroniques", None),
])
def test_a_listing_page_says_its_number_in_its_title(title, number):
    url = ZERO.format(2)
    found = read_page_number(page_selector(f"<html><head><title>{title}</title></head><body></body></html>", url), url)
    assert (found.number, found.index, found.source) == (number, 2, "title" if number else None)
    assert found.offset == (1 if number == 3 else None if number is None else number - 2)


@pytest.mark.parametrize("current", [
    '<span class="current">3</span>', "<strong>3</strong>", '<a aria-current="page" href="{here}">3</a>', "3",
    '<li class="active"><span>Page 3</span></li>',
])
def test_a_listing_page_says_its_number_by_its_pagers_current_page(current):
    url = ZERO.format(2)
    pager = (f'<ul class="pages"><li><a href="{BLOG}/mali/">1</a></li> <li><a href="{ZERO.format(1)}">2</a></li> '
             f'{current.format(here=url)} <li><a href="{ZERO.format(3)}">Page 4</a></li>'
             f'<li><a href="{ZERO.format(3)}">Suivant »</a></li></ul>')
    found = read_page_number(page_selector(f"<html><head><title>Mali</title></head><body>{pager}</body></html>", url), url)
    assert (found.number, found.source, found.offset) == (3, "pager", 1)
    assert found.links == {f"{BLOG}/mali/": 1, ZERO.format(1): 2, ZERO.format(3): 4}


def test_numbers_of_links_to_other_listings_are_no_pager():
    url = f"{BLOG}/mali/"
    html = (f'<html><head><title>Mali</title></head><body><p><a href="{BLOG}/archives/category/niger/index-1.html">2</a>'
            f'<a href="{POST}">3</a></p><p>Page <b>7</b> du dossier</p></body></html>')
    found = read_page_number(page_selector(html, url), url)
    assert (found.number, found.index, found.links) == (None, None, {})


def test_a_months_first_page_is_the_one_link_kept_per_month():
    html = (f'<html><body><a href="{BLOG}/archives/2019/08/index-1.html">août, page 2</a>'
            f'<a href="{BLOG}/archive/2019/08/index.html">août 2019</a>'
            f'<a href="{BLOG}/archives/2019/07/index-1.html">juillet 2019</a></body></html>')
    assert extract_listing(page_selector(html, f"{BLOG}/"), f"{BLOG}/", None).months == [
        f"{BLOG}/archive/2019/08/index.html", f"{BLOG}/archives/2019/07/index-1.html"]
