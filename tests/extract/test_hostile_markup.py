"""Hostile markup never makes extraction raise: bad links are skipped and counted, absurd numbers refused, the rest read.

Replica pages (classic, modern, generic, the home page) get a hostile link at the start of every paragraph (body,
footer, comments, sidebar); every entry point then reads them, and what it finds is what it finds on the page
without the link, but for the malformed link itself, skipped and named.
"""

from __future__ import annotations

import json
import re
from html import escape

import pytest

from archiver import urls
from archiver.extract import (detect_profile, extract_feed, extract_listing, extract_neighbours, extract_post,
                              page_selector)
from archiver.extract.media import extract_image_urls
from archiver.extract.profiles import bundled_profiles
from archiver.replica import BASE_TOKEN

from conftest import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "pages"
HOME = f"{BASE_TOKEN}/"
LONG = "http://monblog.hautetfort.com/" + "a" * 100_000
# (id, href, whether it is malformed: skipped and counted; the others are read as browsers read them, or are not
# web links at all).
HOSTILE_LINKS = [
    ("mistyped port", "http://www.example.org:80a/", True),
    ("port too large", "http://www.example.org:99999/", True),
    ("port in full-width digits", "http://www.example.org:８０/", True),
    ("negative port", "http://www.example.org:-1/", True),
    ("unclosed bracket", "http://[oops/", True),
    ("unclosed IPv6 address", "http://[::1/", True),
    ("closing bracket only", "http://host]/", True),
    ("brackets reversed", "http://]x[/", True),
    ("bad port on the blog's own host", BASE_TOKEN + ":80a/archive/2022/02/04/x-6362153.html", True),
    ("full-width slash in the host", "http://host／x", True),
    ("space in the host", "http://exem ple.org/", True),
    ("control byte in the host", "http://exem\x01ple.org/", True),
    ("percent in the host", "http://%zz/", True),
    ("empty label", "http://a..b/", True),
    ("IDNA label too long", "http://" + "é" * 70 + ".org/", True),
    ("no host", "//:80/", True),
    ("100,000 characters", LONG, True),
    ("full-width slashes after the scheme", "http:／／host/x", False),
    ("ideographic full stops", "http://exemple。org/x", False),
    ("space in the path", "/archive/2022/02/04/un lien.html", False),
    ("control byte in the path", "/archive/\x01x.html", False),
    ("percent-escape that is not", "/%zz%/x%", False),
    ("invalid UTF-8 escapes", "/archive/%ff%fe.html", False),
    ("another scheme, with a bracket", "htthttp://[p://x/", False),
    ("javascript", "javascript:alert(1)", False),
    ("data", "data:text/html,<script>alert(1)</script>", False),
    ("mailto", "mailto:moi@example.org", False),
    ("two slashes", "//", False),
    ("page 99999999999999", "/archives/category/mali/index-99999999999999.html", False),
    ("home page 20 digits", "/index-99999999999999999999.html", False),
    ("post id of 29 digits", "/archive/2022/02/04/x-99999999999999999999999999999.html", False),
    ("day 99/99/9999", "/archive/9999/99/99/x-123456.html", False),
]
PARAGRAPH = re.compile(r"<p(\s[^>]*)?>")


def with_link(html: str, href: str) -> str:
    """The page with an empty link to `href` (and an image from it) opening every paragraph."""
    injected = f'<a href="{escape(href)}"></a><img src="{escape(href)}" alt="">'
    return PARAGRAPH.sub(lambda match: match.group(0) + injected, html)


def comparable(fields: dict, *, author_urls: bool = True) -> dict:
    """What a post's extraction found, without the markup (which holds the injected link) and the notes; without
    the commenters' links unless asked (a link that can be read, first on a comment's author line, is its link)."""
    kept = {key: value for key, value in fields.items() if key not in ("body_html", "comments", "notes")}
    kept["comments"] = [(c.author, c.author_url if author_urls else None, c.published, c.body_text)
                        for c in fields["comments"]]
    return kept


@pytest.fixture(scope="module")
def pages(site) -> dict[str, tuple[str, str]]:
    """(html, url) of a classic and a modern replica post with comments, a generic one, and the home page."""
    truth = [json.loads(line) for line in (site / "_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    found = {"home": ((site / "index.html").read_text(encoding="utf-8"), HOME)}
    for theme in ("classic", "modern"):
        record = next(r for r in truth if r["theme"] == theme and r["comments_count"] and r["print_url"] and not r["quirks"])
        path = site / record["url"].removeprefix(BASE_TOKEN + "/")
        found[theme] = (path.read_text(encoding="utf-8"), record["url"])
    folder = FIXTURES / "generic-plain"
    found["generic"] = ((folder / "page.html").read_text(encoding="utf-8"), (folder / "url.txt").read_text().strip())
    return found


@pytest.fixture(scope="module")
def clean(pages) -> dict:
    """What each page yields without hostile links: the home page's listing, each post's fields."""
    home, url = pages["home"]
    found = {"home": extract_listing(page_selector(home, url), url, detect_profile(page_selector(home, url), bundled_profiles()))}
    found.update({name: extract_post(page_selector(html, url), url).fields for name, (html, url) in pages.items() if name != "home"})
    return found


@pytest.mark.parametrize("href, is_malformed", [case[1:] for case in HOSTILE_LINKS], ids=[case[0] for case in HOSTILE_LINKS])
def test_a_hostile_link_in_every_paragraph_of_a_listing_loses_no_post(pages, clean, href, is_malformed):
    html, url = pages["home"]
    page = page_selector(with_link(html, href), url)
    links = extract_listing(page, url, detect_profile(page, bundled_profiles()))
    before = clean["home"]
    assert len(before.posts) >= 10
    assert [post for post in links.posts if post in before.posts] == before.posts  # a valid permalink may join them
    if is_malformed:
        assert (links.posts, links.pages, links.categories, links.months) == (before.posts, before.pages,
                                                                             before.categories, before.months)
    assert (links.malformed, links.malformed_count) == (([href], 1) if is_malformed else ([], 0))


@pytest.mark.parametrize("theme", ["classic", "modern", "generic"])
@pytest.mark.parametrize("href, is_malformed", [case[1:] for case in HOSTILE_LINKS], ids=[case[0] for case in HOSTILE_LINKS])
def test_a_hostile_link_in_every_paragraph_of_a_post_changes_none_of_its_fields(pages, clean, theme, href, is_malformed):
    html, url = pages[theme]
    page = page_selector(with_link(html, href), url)
    fields = extract_post(page, url).fields
    assert comparable(fields, author_urls=is_malformed) == comparable(clean[theme], author_urls=is_malformed)
    assert fields["comments"] or theme == "generic"
    noted = [note for note in fields["notes"] if note.startswith("malformed link")]
    assert noted == ([f"malformed link skipped: {urls.shown(href)}"] if is_malformed else [])
    assert extract_neighbours(page, url) == extract_neighbours(page_selector(html, url), url)
    assert all(image.startswith(("http://", "https://")) for image in extract_image_urls(fields["body_html"], url))


def test_a_mistyped_port_in_a_post_on_the_home_page_loses_none_of_its_posts(pages, clean):
    html, url = pages["home"]
    hostile = html.replace("<p>", '<p>Voir <a href="http://www.example.org:80a/">ce site</a>. ', 1)
    assert hostile != html
    links = extract_listing(page_selector(hostile, url), url, detect_profile(page_selector(hostile, url), bundled_profiles()))
    assert links.posts == clean["home"].posts and len(links.posts) >= 10
    assert links.malformed == ["http://www.example.org:80a/"] and links.malformed_count == 1


def test_a_listing_names_twenty_malformed_links_and_counts_them_all(pages):
    html, url = pages["home"]
    bad = "".join(f'<a href="http://example.org:{n}a/">{n}</a>' for n in range(30))
    links = extract_listing(page_selector(html.replace("</body>", bad + "</body>"), url), url, None)
    assert links.malformed == [f"http://example.org:{n}a/" for n in range(20)] and links.malformed_count == 30


def test_a_malformed_print_link_is_no_print_button_and_is_warned(pages, clean):
    html, url = pages["classic"]
    printed = clean["classic"]["print_url"]
    hostile = html.replace(f'href="{printed}"', 'href="http://[oops/apps/print/1.html"')
    assert hostile != html
    fields = extract_post(page_selector(hostile, url), url).fields
    assert fields["print_url"] is None and "print_url" not in fields["sources"]
    assert [w.kind for w in fields["warnings"] if w.field == "print_url"] == ["print-missing"]
    assert "malformed link skipped: 'http://[oops/apps/print/1.html'" in fields["notes"]
    assert comparable(fields) | {"print_url": printed, "sources": {}, "warnings": []} == \
        comparable(clean["classic"]) | {"sources": {}, "warnings": []}


@pytest.mark.parametrize("said", ["99999999999999999999", "1000001", "9" * 5000])
@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_an_absurd_comment_count_is_refused_with_a_warning_quoting_the_page(pages, clean, theme, said):
    html, url = pages[theme]
    count = clean[theme]["comments_count"]
    hostile = re.sub(rf">\s*{count} commentaires\s*<", f">{said} commentaires<", html)
    assert hostile != html
    fields = extract_post(page_selector(hostile, url), url).fields
    assert fields["comments_count"] is None and "comments_count" not in fields["sources"]
    [warning] = [w for w in fields["warnings"] if w.field == "comments_count"]
    assert warning.kind == "absurd-number" and said[:100] in warning.detail and "1,000,000" in warning.detail
    assert len(fields["comments"]) == count  # the comments themselves are still read
    assert comparable(fields) | {"comments_count": count, "sources": {}, "warnings": []} == \
        comparable(clean[theme]) | {"sources": {}, "warnings": []}


def test_a_count_of_a_million_is_still_a_count(pages, clean):
    html, url = pages["classic"]
    count = clean["classic"]["comments_count"]
    fields = extract_post(page_selector(re.sub(rf">\s*{count} commentaires", ">1000000 commentaires", html), url), url).fields
    assert fields["comments_count"] == 1_000_000


def test_a_page_number_of_14_digits_is_no_page_of_the_listing():
    url = f"{BASE_TOKEN}/archives/category/mali/index-2.html"
    html = f"""<html><body><p class="pager"><a href="{BASE_TOKEN}/archives/category/mali/index-3.html">3</a>
    <a href="{BASE_TOKEN}/archives/category/mali/index-99999999999999.html">99999999999999</a></p></body></html>"""
    assert extract_listing(page_selector(html, url), url, None).pages == [f"{BASE_TOKEN}/archives/category/mali/index-3.html"]
    assert urls.page_kind(f"{BASE_TOKEN}/archives/category/mali/index-99999999999999.html") == "other"
    assert urls.listing_index(f"{BASE_TOKEN}/archives/category/mali/index-99999.html") == 99_999


DOCUMENTS = {
    "empty": b"",
    "spaces": b" \n\t ",
    "binary": bytes(range(256)) * 40,
    "NUL bytes": b"<html><body>\x00<p>\x00x</p>\x00</body></html>",
    "JSON": b'{"error": "maintenance", "posts": [1, 2]}',
    "JSON list": b"[[[[[[]]]]]]",
    "XML": b'<?xml version="1.0"?><rss><channel><item><link>http://[oops/</link></item></channel></rss>',
    "unclosed tags": b"<html><body><div><p><a href='/mali/'>" * 60,
    "nested 20,000 deep": b"<html><body>" + b"<div>" * 20_000 + b"<p>x</p>" + b"</div>" * 20_000 + b"</body></html>",
    "JSON-LD nested 100,000 deep": b'<html><head><script type="application/ld+json">' + b"[" * 100_000 + b"]" * 100_000
                                   + b"</script></head><body><h1>T</h1><p>texte</p></body></html>",
    "invalid UTF-8": b"<html><head><meta charset='utf-8'></head><body><h1>\xff\xfe</h1><p>\xc3\x28</p></body></html>",
    "XML with surrogate references": b'<?xml version="1.0"?><rss><channel><item><title>x&#xD800;y&#56000;</title>'
                                     b"<pubDate>Fri, 04 Feb 2022 10:30:00 +0100&#xDFFF;</pubDate></item></channel></rss>",
    "a text with a lone surrogate": "<html><body><h1>T\ud800</h1><p>texte \udfff</p></body></html>",
    "unknown charset": b"<html><head><meta charset='x-klingon'></head><body><p>texte</p></body></html>",
}
PAGE_URLS = [f"{BASE_TOKEN}/archive/2022/02/04/x-123456.html", "http://h:80a/x"]


@pytest.mark.parametrize("url", PAGE_URLS)
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_entry_point_reads_a_hostile_document_without_raising(name, url):
    body = DOCUMENTS[name]
    page = page_selector(body, url, "text/html; charset=x-klingon")
    profile = detect_profile(page, bundled_profiles())
    extraction = extract_post(page, url)
    listing = extract_listing(page, url, profile)
    assert extract_neighbours(page, url) == []
    assert extract_feed(body, url) == []
    assert listing.posts == [] and (listing.malformed_count == 0 or urls.malformed("/", url))
    assert extraction is None or not extraction.fields["categories"]


def test_a_body_nested_a_thousand_elements_deep_is_read_whole(pages, clean):
    html, url = pages["modern"]
    start = html.index(">", html.index('class="box-body"')) + 1
    deep = html[:start] + "<div>" * 1000 + "<p>Au fond.</p>" + "</div>" * 1000 + html[start:]
    fields = extract_post(page_selector(deep, url), url).fields
    assert fields["body_text"] == "Au fond.\n\n" + clean["modern"]["body_text"]
