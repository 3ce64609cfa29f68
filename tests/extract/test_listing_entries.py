"""What each entry of a listing page shows of its post, read from the replica's built listings: on an unchanged blog
every entry agrees with the archived post (the ground truth), and each kind of edit a listing can show is found."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from parsel import Selector

from archiver import urls
from archiver.extract import detect_profile, extract_listing, load_profiles, page_selector
from archiver.extract.listing_entries import ArchivedSummary, ListingEntry, entry_changes, listing_entries
from archiver.replica import BASE_TOKEN, build_site, load_ground_truth, slugify
from archiver.replica.decorator import build_decorator_site

LISTING_KINDS = ("home", "category", "month", "tag")
PROFILES = {"bundled profiles on": load_profiles(), "bundled profiles off": load_profiles(bundled=False)}


def archived(record: dict) -> ArchivedSummary:
    """What an archive that crawled the post holds of it: its ground truth."""
    return ArchivedSummary(record["title"], record["comments_count"],
                           frozenset(urls.category_slug(c["url"]) for c in record["categories"]), record["body_text"])


def listing_pages(root: Path) -> dict[str, Path]:
    """Every listing page of a built replica: its URL -> its file."""
    pages = {}
    for file in sorted(root.rglob("*.html")):
        path = "/" + file.relative_to(root).as_posix()
        for url in (BASE_TOKEN + path.removesuffix("index.html"), BASE_TOKEN + path):
            if urls.page_kind(url) in LISTING_KINDS:
                pages[url] = file
                break
    return pages


def read(url: str, file: Path, profiles: str = "bundled profiles on"):
    """A listing page as the crawl reads it: its Selector and the theme it is of (None: a theme not seen before)."""
    page = page_selector(file.read_text(encoding="utf-8"), url)
    return page, detect_profile(page, PROFILES[profiles])


SITES = {  # a small replica of each look: how to build it
    "default": lambda root: build_site(root, posts=60, generic_posts=6),  # classic and modern listings, a third theme
    "drift": lambda root: build_site(root, posts=60, drift=True),  # the templates of other blogs of the platform
    "decorator": lambda root: build_decorator_site(root, posts=60),  # the platform's older template
    "wordpress": lambda root: build_decorator_site(root, posts=60, wordpress=True),  # a WordPress-like one
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each replica, built on first use: its listing pages, its truth by URL, and where its old URLs now lead."""
    sites = {}

    def site(kind: str):
        if kind not in sites:
            root = tmp_path_factory.mktemp("entries") / kind
            SITES[kind](root)
            faults = json.loads((root / "_faults.json").read_text(encoding="utf-8"))
            moved = {BASE_TOKEN + old: BASE_TOKEN + new for old, new in faults.get("redirects", {}).items()}
            sites[kind] = listing_pages(root), {record["url"]: record for record in load_ground_truth(root)}, moved
        return sites[kind]
    return site


@pytest.fixture(scope="module")
def default_site(built):
    """The default replica's listing pages and truth."""
    return built("default")[:2]


def entries(url: str, file: Path, profiles: str = "bundled profiles on") -> list[ListingEntry]:
    """The entries of one listing page of a built replica."""
    page, profile = read(url, file, profiles)
    return listing_entries(page, url, profile)


@pytest.mark.parametrize("kind, profiles", [(kind, profiles) for kind in SITES for profiles in PROFILES
                                             if (kind, profiles) != ("wordpress", "bundled profiles on")])  # none knows it
def test_every_entry_of_every_listing_agrees_with_its_archived_post(built, kind, profiles):
    pages, truth, moved = built(kind)
    changed, lists, compared, cut = {}, set(), 0, 0
    for url, file in pages.items():
        if 'class="liste-notes"' in file.read_text(encoding="utf-8"):
            lists.add(url)  # a plain list of titles (drifted looks): its entries show no text
        for entry in entries(url, file, profiles):
            record = truth.get(moved.get(entry.url, entry.url))
            if record is not None:  # not a fault post (missing, broken, untitled)
                compared, cut = compared + 1, cut + entry.truncated
                if changes := entry_changes(entry, archived(record)):
                    changed.setdefault(tuple(changes), set()).add(url)
    assert compared > 300 and cut > 50
    if kind != "drift":
        assert changed == {}  # a false-change rate of 0
    else:  # every post block agrees; a list of titles shows no text, so its entries (and only they) are unreadable
        assert changed.keys() == {("unreadable",)} and changed[("unreadable",)] == lists


# Where the replica's listing themes put a post's block, title link, category links and body (lxml paths).
LOOKS = {
    "classic": {"block": "//div[@class='post']", "title": ".//h3/a", "categories": ".//p[@class='postfooter']",
                "body": ".//div[@class='posttext']"},
    "modern": {"block": "//article", "title": ".//h2/a", "categories": ".//span[@class='box-article-tags']",
               "body": ".//section[@class='box-body']"},
}


def unwrap(element) -> None:
    """Put an element's children in its place (its text and tail are blank)."""
    for child in list(element):
        element.addprevious(child)
    element.getparent().remove(element)


def test_a_listing_whose_posts_have_no_wrapper_gives_each_post_the_run_of_elements_that_shows_it(default_site):
    pages, truth = default_site
    compared = 0
    for url, file in pages.items():
        page = page_selector(file.read_text(encoding="utf-8"), url)
        for block in page.root.xpath("//div[@class='post'] | //article"):  # no theme profile knows the page then
            unwrap(block)
        for entry in listing_entries(page, url, detect_profile(page, PROFILES["bundled profiles on"])):
            if entry.url in truth:
                compared += 1
                assert entry_changes(entry, archived(truth[entry.url])) == [], (url, entry)
    assert compared > 400


@pytest.mark.parametrize("kind", SITES)
def test_entries_are_the_listed_posts_the_same_from_a_plain_selector_and_from_the_fast_one(built, kind):
    pages, _, _ = built(kind)
    for url in [url for url in pages if urls.page_kind(url) == "category"][:8]:
        html = pages[url].read_text(encoding="utf-8")
        fast, plain = page_selector(html, url), Selector(text=html)
        profile = detect_profile(fast, PROFILES["bundled profiles on"])
        found = listing_entries(fast, url, profile)
        assert [entry.url for entry in found] == extract_listing(fast, url, profile).posts
        assert found == listing_entries(plain, url, profile), url


def theme_entry(site, theme: str, wanted) -> tuple[str, Path, ListingEntry, dict]:
    """The first entry of a category page of the theme whose entry and truth record satisfy `wanted`."""
    pages, truth = site
    for url, file in pages.items():
        page, profile = read(url, file)
        if urls.page_kind(url) == "category" and profile is not None and profile.name == theme:
            for entry in listing_entries(page, url, profile):
                if entry.url in truth and wanted(entry, truth[entry.url]):
                    return url, file, entry, truth[entry.url]
    raise AssertionError(f"no such entry on the replica's {theme} category pages")


def edited_entries(url: str, file: Path, theme: str, edit) -> dict[str, ListingEntry]:
    """The entries of a page, by post, once `edit(blocks)` changed the theme's blocks of its posts, each by its post
    (the blog changed since the crawl)."""
    page, profile = read(url, file)
    blocks = {urls.on_blog(block.find(LOOKS[theme]["title"]).get("href"), url): block
              for block in page.root.xpath(LOOKS[theme]["block"])}
    edit(blocks)
    return {entry.url: entry for entry in listing_entries(page, url, profile)}


def edited_entry(url: str, file: Path, theme: str, post: str, edit) -> ListingEntry:
    """The entry of `post` once `edit(block)` changed its block on the page."""
    return edited_entries(url, file, theme, lambda blocks: edit(blocks[post]))[post]


@pytest.fixture(params=LOOKS)
def theme(request):
    """A listing theme of the default replica."""
    return request.param


def test_a_new_comment_shows_in_the_count(default_site, theme):
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: entry.comments_count is not None)

    def one_more(block):
        link = next(a for a in block.iter("a") if "commentaire" in (a.text or ""))
        link.text = f"{record['comments_count'] + 1} commentaires"
    changed = edited_entry(url, file, theme, entry.url, one_more)
    assert changed.comments_count == record["comments_count"] + 1
    assert entry_changes(changed, archived(record)) == ["comments"]


def test_an_edited_title_shows(default_site, theme):
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: True)

    def retitle(block):
        block.find(LOOKS[theme]["title"]).text = "Un titre corrigé"
    changed = edited_entry(url, file, theme, entry.url, retitle)
    assert (changed.title, entry_changes(changed, archived(record))) == ("Un titre corrigé", ["title"])


def test_a_category_added_shows(default_site, theme):
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: True)

    def categorise(block):
        last = [a for a in block.find(LOOKS[theme]["categories"]).iter("a")
                if urls.page_kind(urls.canonical_url(a.get("href"), url)) == "category"][-1]
        added = last.makeelement("a", href=BASE_TOKEN + "/nouvelle-rubrique/")
        added.text, added.tail, last.tail = "Nouvelle rubrique", last.tail, ", "
        last.addnext(added)
    changed = edited_entry(url, file, theme, entry.url, categorise)
    assert changed.categories == archived(record).categories | {"nouvelle-rubrique"}
    assert entry_changes(changed, archived(record)) == ["categories"]


@pytest.mark.parametrize("cut", [True, False], ids=["truncated entry", "whole entry"])
def test_a_text_edit_in_the_visible_part_shows(default_site, theme, cut):
    url, file, entry, record = theme_entry(
        default_site, theme, lambda entry, record: entry.truncated is cut and len(entry.text) > 200)

    def reword(block):
        paragraph = next(p for p in block.find(LOOKS[theme]["body"]).iter("p") if (p.text or "").strip())
        paragraph.text = paragraph.text.replace(paragraph.text.split()[0], "Hier,", 1)
    changed = edited_entry(url, file, theme, entry.url, reword)
    assert entry_changes(changed, archived(record)) == ["text"]


def test_a_text_edit_past_lire_la_suite_is_not_visible(default_site, theme):
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: entry.truncated)
    hidden = record["body_text"][len(entry.text):]
    assert hidden.strip() and record["body_text"].startswith(entry.text)
    edited = dict(record, body_text=entry.text + hidden.replace(hidden.split()[-1], "corrigé"))
    assert edited["body_text"] != record["body_text"]
    assert entry_changes(entry, archived(edited)) == []  # the rolling check's job


def test_an_entry_whose_body_is_garbled_is_unreadable(default_site, theme):
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: True)

    def garble(block):
        body = block.find(LOOKS[theme]["body"])
        body.getparent().remove(body)
    changed = edited_entry(url, file, theme, entry.url, garble)
    assert changed.text is None and entry_changes(changed, archived(record)) == ["unreadable"]


def test_posts_whose_links_are_mixed_up_are_unreadable_not_unchanged(default_site, theme):
    pages, truth = default_site
    url, file, entry, record = theme_entry(default_site, theme, lambda entry, record: True)
    first, second = list(edited_entries(url, file, theme, lambda blocks: None))[:2]

    def mix(blocks):  # the first post's "Lien permanent" leads to the second
        next(a for a in blocks[first].iter("a") if a.text == "Lien permanent").set("href", second)
    mixed = edited_entries(url, file, theme, mix)
    assert [mixed[post].text for post in (first, second)] == [None, None]
    assert all("unreadable" in entry_changes(mixed[post], archived(truth[post])) for post in (first, second))


FIXTURES = Path(__file__).parent.parent / "fixtures" / "pages"
SEED = Path(urls.__file__).parent / "replica" / "seed_mali_russie.txt"  # the text of the real blog's category page


def fixture_entries(name: str, profiles: str) -> list[ListingEntry]:
    """The entries of a golden listing page of tests/fixtures/pages."""
    folder = FIXTURES / name
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    page = page_selector((folder / "page.html").read_bytes(), url)
    return listing_entries(page, url, detect_profile(page, PROFILES[profiles]))


@pytest.mark.parametrize("profiles", PROFILES)
def test_the_seed_category_page_shows_each_post_title_count_categories_and_text(profiles):
    seed = SEED.read_text(encoding="utf-8").splitlines()
    titles = [line.strip().removeprefix("• ") for line in seed if line.strip().startswith("• ")]
    footer = next(line.strip() for line in seed if line.strip().startswith("Lien permanent Catégories : "))
    names, count = re.fullmatch(r"Lien permanent Catégories : (.*) (\d+)\scommentaires?", footer).groups()
    found = fixture_entries("listing-relations-mali-russie", profiles)
    assert [entry.title for entry in found] == titles
    assert all(entry.comments_count is not None and entry.categories and entry.text for entry in found)
    assert found[-1].comments_count == int(count)
    assert found[-1].categories == {slugify(name) for name in names.split(", ")}  # its 36 categories
    opening = next(line for line in seed[1:] if line.strip() and not line.strip().startswith(("•", "Imprimer")))
    assert found[0].text.startswith(" ".join(opening.split()))  # the seed's first paragraph


@pytest.mark.parametrize("profiles", PROFILES)
def test_the_decorator_listing_shows_each_post_title_count_and_categories(profiles):
    found = fixture_entries("decorator-listing-page-2", profiles)
    assert len(found) == 7 and all(entry.title and entry.comments_count is not None and entry.categories
                                   and entry.text for entry in found)
    assert [entry.truncated for entry in found].count(True) == 2


CUT = ListingEntry("u", "Titre", 3, frozenset({"mali"}), "Premier paragraphe.", truncated=True)
ARCHIVED = ArchivedSummary("Titre", 3, frozenset({"mali"}), "Premier paragraphe.\n\nSecond paragraphe.")


@pytest.mark.parametrize("entry, archive, changes", [
    (CUT, ARCHIVED, []),
    (CUT, replace(ARCHIVED, body_text="Premier   paragraphe. Second paragraphe, corrigé."), []),  # past the cut
    (replace(CUT, text="Premier paragraphe. Second…"), ARCHIVED, []),  # a closing "…" is no word of the post
    (replace(CUT, text="Premier paragraph"), ARCHIVED, ["text"]),  # a word shortened at the cut
    (replace(CUT, truncated=False), ARCHIVED, ["text"]),  # a whole text must be the whole text
    (replace(CUT, text=" Premier paragraphe.\n\nSecond paragraphe. ", truncated=False), ARCHIVED, []),
    (replace(CUT, comments_count=None, categories=None), replace(ARCHIVED, comments_count=7), []),  # not shown
    (replace(CUT, comments_count=4), ARCHIVED, ["comments"]),
    (replace(CUT, categories=frozenset()), ARCHIVED, ["categories"]),
    (replace(CUT, title=None), ARCHIVED, ["title"]),  # a title the entry does not show is read as a change
    (replace(CUT, title=None), replace(ARCHIVED, title=None), []),
    (replace(CUT, title="Titre  corrigé", text=None), ARCHIVED, ["title", "unreadable"]),
])
def test_entry_changes_compares_what_the_entry_shows(entry, archive, changes):
    assert entry_changes(entry, archive) == changes
