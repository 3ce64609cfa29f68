"""The blog's identity read from its home page, then its feed: name, description and author, each with the rule
that found it, None when no page shows it; never the name of a post's writer. Pure: pages on disk, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.extract import page_selector
from archiver.extract.feeds import feed_document
from archiver.extract.identity_of_blog import LONGEST, read_blog_identity
from archiver.items import BlogIdentity
from archiver.pipelines.clean import Clean
from archiver.replica import build_site, decorator_plan, model
from archiver.replica.decorator import build_decorator_site

BLOG = "http://monblog.hautetfort.com/"
DEFAULT = (model.BLOG_NAME, model.BLOG_TAGLINE, model.BLOG_AUTHOR)
CAUSE_TOUJOURS = (decorator_plan.BLOG_NAME, decorator_plan.BLOG_TAGLINE, None)  # no author on its pages


@pytest.fixture(scope="module")
def replicas(site, tmp_path_factory) -> dict[str, Path]:
    """The replica's sites, one per look of the home page."""
    folder = tmp_path_factory.mktemp("identity")
    return {
        "classic": site,
        "decorator": build_decorator_site(folder / "decorator").root,
        "wordpress": build_decorator_site(folder / "wordpress", wordpress=True).root,
        "drift": build_site(folder / "drift", posts=60, drift=True).root,
    }


def read_replica(root: Path, *, feed: bool) -> dict:
    """The identity a crawl reads from a replica's home page, and its Atom feed when `feed`."""
    home = page_selector((root / "index.html").read_bytes(), BLOG)
    return read_blog_identity(home, feed_document((root / "atom.xml").read_bytes()) if feed else None)


@pytest.mark.parametrize(("look", "feed", "expected", "sources"), [
    ("classic", False, DEFAULT, ("classic, decorator: #banner h1", "classic: #banner h2", "meta author")),
    ("classic", True, DEFAULT, ("classic, decorator: #banner h1", "classic: #banner h2", "meta author")),
    ("decorator", True, CAUSE_TOUJOURS, ("classic, decorator: #banner h1", "decorator: #banner p.description", None)),
    ("wordpress", True, CAUSE_TOUJOURS, ("wordpress: .site-title", "wordpress: .site-description", None)),
    ("drift", False, (*DEFAULT[:2], None), (".blog-name", "the line after .blog-name", None)),
    ("drift", True, DEFAULT, (".blog-name", "the line after .blog-name", "atom: feed/author/name")),
])
def test_each_look_of_the_replicas_home_page_gives_its_name_description_and_author(replicas, look, feed, expected, sources):
    identity = read_replica(replicas[look], feed=feed)

    assert (identity["name"], identity["description"], identity["author"]) == expected
    for field, source in zip(("name", "description", "author"), sources, strict=True):
        assert identity["sources"].get(field, "").endswith(source) if source else field not in identity["sources"]


HOME = """<html><head><title>{title}</title>{head}</head><body>
<div id="banner"><h1><a href="/">{name}</a></h1>{tagline}</div>
<div class="post"><h3 class="posttitle">Une note</h3><p class="postfooter">17:43 Écrit par Charly Schwarz dans Culture</p>
<span itemprop="author"><span itemprop="name">Charly Schwarz</span></span></div></body></html>"""
RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Mon blog</title><description>Notes du Léman</description><dc:creator>Anne Martin</dc:creator>
<item><title>Note</title><dc:creator>Charly Schwarz</dc:creator></item></channel></rss>"""


def home(name: str = "Mon blog", tagline: str = "", head: str = "", title: str = "Mon blog"):
    return page_selector(HOME.format(name=name, tagline=tagline, head=head, title=title), BLOG)


def test_a_home_page_without_description_or_author_gives_none_not_a_posts_byline():
    identity = read_blog_identity(home())

    assert (identity["name"], identity["description"], identity["author"]) == ("Mon blog", None, None)


def test_the_feed_fills_what_the_home_page_does_not_show_never_from_its_entries():
    identity = read_blog_identity(home(), feed_document(RSS))

    assert (identity["description"], identity["author"]) == ("Notes du Léman", "Anne Martin")
    assert identity["sources"] == {"name": "classic, decorator: #banner h1", "description": "rss: channel/description",
                                   "author": "rss: channel/creator"}


def test_metadata_comes_before_the_banner():
    page = home(tagline="<h2>Le bandeau</h2>", head='<meta name="description" content="La description" />'
                '<meta property="og:site_name" content="Le nom du site" />')

    identity = read_blog_identity(page)

    assert (identity["name"], identity["description"]) == ("Le nom du site", "La description")


def test_without_a_banner_the_name_is_the_feeds_then_the_home_pages_title_without_its_page_number():
    bare = page_selector("<html><head><title>Cause toujours - Page 3</title></head><body><p>x</p></body></html>", BLOG)

    assert read_blog_identity(bare, feed_document(RSS))["name"] == "Mon blog"
    assert read_blog_identity(bare)["name"] == "Cause toujours"
    assert read_blog_identity(bare)["sources"]["name"] == "home page <title>"


@pytest.mark.parametrize("missing", ["", "   ", "<span></span>"])
def test_an_empty_name_and_no_page_at_all_are_not_errors(missing):
    page = page_selector(HOME.format(name=missing, tagline="", head="", title=""), BLOG)

    assert read_blog_identity(page)["name"] is None
    assert read_blog_identity(None, None) == {"name": None, "description": None, "author": None, "sources": {}}
    assert read_blog_identity(None, feed_document(b"not a feed at all"))["name"] is None


def test_ten_kilobytes_of_name_are_cut_and_control_characters_cleaned():
    identity = read_blog_identity(home(name="Mon blog " * 1200, tagline="<h2>Notes&#27;[2J du\tLéman</h2>"))

    assert len(identity["name"]) <= LONGEST["name"] and identity["name"].endswith("Mon blog…")
    item = Clean().process_item(BlogIdentity(BLOG, **{key: identity[key] for key in ("name", "description", "author")}))
    assert item.description == "Notes[2J du Léman"
