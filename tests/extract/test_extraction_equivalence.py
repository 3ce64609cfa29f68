"""Extraction's fast paths find what parsel and XPath find: the same nodes, texts, chrome and posts.

Pages are read through `FastSelector` (queries compiled once, lxml's own HTML parser, answers kept) and
a few lxml walks (element_text, PostPage.chrome, the permalink). Each is checked here against the plain
parsel Selector, or the XPath it replaces, on the golden pages and on small replicas of every kind.
"""


from pathlib import Path

import pytest
from lxml import etree
from parsel import Selector

from archiver.extract import extract_listing, extract_neighbours, extract_post, page_selector, page_text
from archiver.extract.fast_selector import by_attribute
from archiver.extract.fields.comments import GENERIC_COMMENTS
from archiver.extract.page import CHROME_HEADINGS, CHROME_NAMES, COOKIE_WORDS, PERMALINK_LABELS, PostPage, text_has, text_is
from archiver.extract.profiles import bundled_profiles, detect_profile
from archiver.extract.text import collapse, element_text, inner_html
from archiver.replica import BASE_TOKEN, build_site

from conftest import FIXTURES

GOLDEN = sorted((FIXTURES / "pages").glob("*/page.html"))
SELECTORS = sorted({query for profile in (*bundled_profiles(), GENERIC_COMMENTS)
                    for section in (profile.post, profile.comments, profile.listing) for queries in section.values()
                    for query in queries if not query.startswith("xpath:")} | {"[itemprop=comment], .box-comment", "#p1"})
# What PostPage.chrome meant when it was three XPath queries and one more per candidate.
HEADINGS = CHROME_HEADINGS + tuple(heading + " :" for heading in CHROME_HEADINGS)
NAMED = etree.XPath("//*[@class or @id]")
BY_TAG_HEADING_OR_COOKIE = etree.XPath(f"//nav | //aside | //*[text()[{text_is(HEADINGS)}]]/following-sibling::*[1]"
                                       f" | //text()[{text_has(COOKIE_WORDS)}]/..")
HOLDS_CONTENT = etree.XPath(".//article|.//main|.//*[@id='p1']")
PERMALINKS = etree.XPath(f"//a[{text_is(PERMALINK_LABELS)}]")
TRICKY = ("<html><body><nav>n</nav><div class='Side-bar'>x</div><div id='\u017fide'>y</div><p class='a\tnav'>z</p>"
          "<h2>Notes\n récentes</h2><ul><li>a</li></ul><div><!-- c -->Archives<span>k</span></div><p>Tags\xa0</p><i>x</i>"
          "<article><nav>in the post</nav></article><div class='menu'><main>m</main></div>"
          "<p>Nous <i>utilisation de cookies</i> ok</p><p>y<b>t</b>vous acceptez l'utilisation</p>"
          "<a>Lien\n permanent</a><a> Permalien </a><a>Lien <b>perma</b>nent</a><a>Lien\xa0permanent</a>"
          "<a><!--x-->Permalink</a><a></a><script>Archives</script><style>p {}</style></body></html>")


def pages():
    """The golden pages and the tricky one, as (html text, url)."""
    found = [(page_text(path.read_bytes()), (path.parent / "url.txt").read_text(encoding="utf-8").strip()) for path in GOLDEN]
    return found + [(TRICKY, "http://blog.example/tricky.html")]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> list[Path]:
    """A replica of the two bundled themes, a drifted one and one with generic themes (60 posts each)."""
    roots = []
    for name, options in (("themes", {}), ("drift", {"drift": True}), ("generic", {"generic_posts": 20})):
        roots.append(tmp_path_factory.mktemp(name))
        build_site(roots[-1], posts=60, **options)
    return roots


def read(root: Path, pattern: str) -> list[tuple[bytes, str]]:
    """The pages of a replica that match a glob pattern, as (bytes, url)."""
    return [(path.read_bytes(), BASE_TOKEN + "/" + path.relative_to(root).as_posix()) for path in sorted(root.glob(pattern))]


@pytest.fixture(scope="module")
def replica_pages(replicas) -> list[tuple[bytes, str]]:
    """Every post page of the replicas, as (bytes, url)."""
    return [page for root in replicas for page in read(root, "archive/*/*/*/*.html")]


@pytest.fixture(scope="module")
def listing_pages(replicas) -> list[tuple[bytes, str]]:
    """The home page, /archives and every category and month page of the replicas, as (bytes, url)."""
    return [page for root in replicas for pattern in ("index.html", "archives/index.html", "archives/category/*/*.html",
                                                      "archives/*/*/index*.html") for page in read(root, pattern)]


@pytest.mark.parametrize("query", SELECTORS)
def test_page_selector_finds_what_parsel_finds(query):
    for html, url in pages():
        assert page_selector(html, url).css(query).getall() == Selector(text=html, base_url=url).css(query).getall(), query


def test_any_element_tested_by_one_attribute_is_read_on_the_attribute_axis():
    assert by_attribute("descendant-or-self::*[@itemprop = 'author']/descendant::*[@itemprop = 'name']") == (
        "descendant-or-self::*/@itemprop[. = 'author']/../descendant::*/@itemprop[. = 'name']/..")
    assert by_attribute("descendant-or-self::*[@class and contains(@class, 'x') and "
                        "contains(concat(' ', normalize-space(@class), ' '), ' x ')]") == (
        "descendant-or-self::*/@class[contains(., 'x') and contains(concat(' ', normalize-space(.), ' '), ' x ')]/..")


def test_steps_with_more_than_one_attribute_test_are_left_alone():
    for xpath in ("descendant-or-self::*[(@itemprop = 'a') and (count(preceding-sibling::*) = 0)]",
                  "descendant-or-self::a[@rel = 'tag']", "descendant-or-self::*[@itemprop = 'a'][1]"):
        assert by_attribute(xpath) == xpath


def test_element_text_and_inner_html_are_what_xpath_reads():
    for html, _ in pages():
        for element in Selector(text=html).root.iter(etree.Element):
            node = Selector(root=element)
            texts = node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
            assert element_text(node) == collapse(" ".join(texts))
            assert inner_html(node) == "".join(node.xpath("node()").getall()).strip()


def test_chrome_is_what_the_chrome_queries_find():
    for html, url in pages():
        root = page_selector(html, url).root
        named = {e for e in NAMED(root) if CHROME_NAMES.search(f"{e.get('class') or ''} {e.get('id') or ''}")}
        expected = {e for e in named | set(BY_TAG_HEADING_OR_COOKIE(root)) if not HOLDS_CONTENT(e)}
        assert PostPage(Selector(root=root), url, None).chrome == expected


def test_the_permalink_is_the_first_link_labelled_lien_permanent():
    for html, url in pages():
        page = PostPage(page_selector(html, url), url, None)
        links = PERMALINKS(page.sel.root)
        expected = page.content(links)[0] if len(links) > 1 else (links[0] if links else None)
        assert (page.permalink_link.root if page.permalink_link is not None else None) is expected


def test_extraction_reads_the_same_post_through_a_plain_parsel_selector(replica_pages):
    for body, url in replica_pages:
        fast, plain = extract_post(page_selector(body, url), url), extract_post(Selector(text=page_text(body)), url)
        assert (fast and fast.fields) == (plain and plain.fields), url


def test_every_golden_page_gives_the_same_extraction_from_a_plain_selector_and_from_the_fast_one():
    for path in GOLDEN:
        html, url = page_text(path.read_bytes()), (path.parent / "url.txt").read_text(encoding="utf-8").strip()
        fast, plain = extract_post(page_selector(html, url), url), extract_post(Selector(text=html), url)
        assert fast is not None or not (path.parent / "expected.json").exists(), url
        assert (fast and (fast.method, fast.fields)) == (plain and (plain.method, plain.fields)), url


def test_listings_and_neighbours_are_the_same_from_a_plain_selector_and_from_the_fast_one(listing_pages, replica_pages):
    golden = [(html.encode(), url) for html, url in pages()]
    for body, url in listing_pages + golden:
        profile = detect_profile(Selector(text=page_text(body)), bundled_profiles())
        assert profile == detect_profile(page_selector(body, url), bundled_profiles()), url
        for chosen in (profile, None):
            fast = extract_listing(page_selector(body, url), url, chosen)
            assert fast == extract_listing(Selector(text=page_text(body)), url, chosen), url
    for body, url in replica_pages + golden:
        assert extract_neighbours(page_selector(body, url), url) == extract_neighbours(Selector(text=page_text(body)), url)
