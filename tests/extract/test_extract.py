"""Extraction on golden pages: page.html + url.txt + expected.json, one check per field.

The expected values are the replica's ground truth (tests/fixtures/refresh_golden.py), not our output.
"""

import json

import pytest

from archiver.extract import extract_listing, extract_post, load_profiles, page_selector
from archiver.extract.profiles import bundled_profiles, detect_profile
from archiver.pipelines.clean import Clean
from archiver.items import Post

from conftest import FIXTURES

PAGES = FIXTURES / "pages"
THEME_FILE = FIXTURES / "themes" / "chroniques.toml"
POST_CASES = sorted(p.name for p in PAGES.iterdir() if (p / "expected.json").exists())
FIELDS = ["id", "url", "title", "published", "author", "print_url", "categories", "tags", "comments_count", "body_text", "comments", "extraction"]


def load_case(name: str):
    folder = PAGES / name
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    page = page_selector((folder / "page.html").read_bytes(), url)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8")) if (folder / "expected.json").exists() else None
    return page, url, expected


def normalise(value):
    """What the export shows of a field: datetimes as ISO, dataclasses as dicts, text with collapsed spaces."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {key: normalise(getattr(value, key)) for key in value.__dataclass_fields__ if key != "body_html"}
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items() if key != "body_html"}
    if isinstance(value, str) and "\n" in value:
        return " ".join(value.split())
    return value


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", POST_CASES)
def test_golden_page_field(case, field):
    page, url, expected = load_case(case)
    extraction = extract_post(page, url)
    assert normalise(extraction.fields[field]) == normalise(expected[field])


@pytest.mark.parametrize("case", ["generic-microdata", "generic-plain"])
def test_a_user_theme_file_reads_the_generic_theme_exactly(case):
    page, url, expected = load_case(case)
    extraction = extract_post(page, url, load_profiles([str(THEME_FILE)]))
    assert extraction.method == "chroniques"
    for field in FIELDS[:-1]:
        assert normalise(extraction.fields[field]) == normalise(expected[field]), field


@pytest.mark.parametrize("case, theme", [("classic-seed", "classic"), ("modern-36-categories", "modern"), ("generic-plain", None)])
def test_theme_detection(case, theme):
    page, _, _ = load_case(case)
    profile = detect_profile(page, bundled_profiles())
    assert (profile.name if profile else None) == theme


def test_every_field_says_which_selector_found_it():
    page, url, _ = load_case("classic-seed")
    sources = extract_post(page, url).sources
    assert sources["title"] == "classic: h3.posttitle"
    assert sources["body"] == "classic: div.posttext-decorator2"
    assert sources["published"].startswith("classic: h2.date")


def test_generic_fallback_names_its_sources():
    page, url, _ = load_case("generic-plain")
    sources = extract_post(page, url).sources
    assert sources["body"].startswith("density:")
    assert sources["categories"] == "platform: links after 'Catégories' on the page"


def test_the_sanitiser_removes_what_the_unsafe_post_carries():
    page, url, _ = load_case("unsafe-markup")
    fields = extract_post(page, url).fields
    assert "<script" in fields["body_html"]  # extraction is faithful; cleaning is the pipeline's job
    cleaned = Clean().process_item(Post(**fields)).body_html
    assert "<script" not in cleaned and "onclick" not in cleaned and "javascript:" not in cleaned
    assert "alert(" not in fields["body_text"]


def test_a_broken_page_is_not_a_post():
    page, url, _ = load_case("fault-broken")
    assert extract_post(page, url) is None


def test_an_untitled_post_is_extracted_without_title_for_validation_to_drop():
    page, url, _ = load_case("fault-untitled")
    extraction = extract_post(page, url)
    assert extraction.fields["title"] is None and extraction.fields["body_text"]


def test_listing_links_are_the_posts_in_page_order_not_the_sidebar():
    page, url, _ = load_case("listing-relations-mali-russie")
    links = extract_listing(page, url, detect_profile(page, bundled_profiles()))
    assert len(links.posts) == 4
    assert links.posts[0].endswith("-6362153.html")
    assert links.pages == []
    assert len(links.categories) >= 20


@pytest.mark.parametrize("html", ["", "<html>", "<<<>>>", "\x00\x01", "<div class='post'><div class='posttext'></div></div>"])
def test_messy_html_never_raises(html):
    assert extract_post(page_selector(html, "http://blog.invalid/x/"), "http://blog.invalid/x/") is None
