"""The drifted replica: templates, URLs and listings perturbed the way real blogs of the platform differ."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from archiver.replica import ReplicaServer, build_site, load_ground_truth
from archiver.replica.drift_looks import (CATEGORY_LABELS, CATEGORY_LINKS, COMMENTS, COUNTS_ZERO, DATES, FAMILIES,
                                          NEIGHBOURS, PRINTS_REAL, PRINTS_SCRIPT)
from archiver.replica.linkmap import fetch, map_links

PARIS = ZoneInfo("Europe/Paris")
# The bundled profiles' selectors (archiver/extract/profiles/*.toml) that the drift must defeat.
PROFILE_DETECT = {"classic": ("div.post", "div.posttext"), "modern": ("article", "section.box-body")}
PROFILE_PRINT = ("div.postprint a", "div.post a.print", "article .box-print a", "article a.print")
PROFILE_MISSED = {"classic": ("h2.date", "p.date", "div.post .date", "p.postfooter", "div.commentparent"),
                  "modern": ("footer.box-footer", ".box-comments-count", "span.box-article-tags", ".box-comment",
                             "[itemprop=comment]", "article time")}
SIDEBAR_WORDS = re.compile(r"side|widget|menu", re.I)


class Drifted:
    """One drifted build, served, with its truth and a map of its links."""

    def __init__(self, info, server):
        self.info, self.server = info, server
        self.truth = load_ground_truth(info.root, server.base_url)
        links = map_links(server)
        self.pages, self.linked_from = links.pages, links.linked_from

    def page(self, record: dict) -> str:
        return self.pages[path_of(record["url"])]

    def records(self, **drift) -> list[dict]:
        """Truth records whose drift variants are all as given."""
        return [r for r in self.truth if all(r["drift"][k] == v for k, v in drift.items())]


@pytest.fixture(scope="module", params=[2022, 7])
def drifted(request, tmp_path_factory):
    info = build_site(tmp_path_factory.mktemp("drift") / "site", seed=request.param, drift=True)
    with ReplicaServer(info.root) as server:
        yield Drifted(info, server)


def path_of(url: str) -> str:
    return urlsplit(url).path


def norm(text: str) -> str:
    return " ".join(text.split())


def main_text(body: str) -> str:
    return norm(" ".join(Selector(body).css("#col-main ::text").getall()))


def paris(day: str, month: str, year: str, hour: str, minute: str) -> str:
    return datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=PARIS).isoformat()


# --- the drift is there, for every seed ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 3, 11, 2022, 7])
def test_every_variant_and_role_shows_whatever_the_seed(tmp_path, seed):
    info = build_site(tmp_path / "site", seed=seed, drift=True)
    truth = load_ground_truth(info.root)
    assert info.drift and info.themes == {"drift": len(truth)} and len(truth) == info.post_count
    seen = defaultdict(set)
    for record in truth:
        for key, value in record["drift"].items():
            seen[key].add(value)
    assert seen["family"] == set(FAMILIES) and seen["dates"] == set(DATES) and seen["comments"] >= set(COMMENTS)
    assert seen["print"] == set(PRINTS_REAL + PRINTS_SCRIPT) and seen["count"] >= set(COUNTS_ZERO) | {"closed"}
    assert seen["categories_label"] == set(CATEGORY_LABELS) and seen["category_links"] == set(CATEGORY_LINKS)
    assert seen["neighbours"] == set(NEIGHBOURS)
    reach = Counter(r["reach"] for r in truth)
    assert reach["month-only"] >= 2 and reach["neighbours-only"] >= 2
    legacy = [r for r in truth if r["legacy"]]
    assert len(legacy) >= 3 and {r["id"] is None for r in legacy} == {True, False}
    assert sum(bool(r["aliases"]) for r in truth) >= 2 and sum(r["url_day_differs"] for r in truth) >= 2


# --- post pages --------------------------------------------------------------------------------------------


def test_every_post_is_served_and_shows_its_title_and_time(drifted):
    for record in drifted.truth:
        text = main_text(drifted.page(record))
        published = datetime.fromisoformat(record["published"])
        assert norm(record["title"]) in text, record["url"]
        assert f"{published:%H:%M}" in text, record["url"]


def test_some_pages_are_still_detected_but_their_fields_are_missed(drifted):
    for family, detect in PROFILE_DETECT.items():
        for record in drifted.records(family=family):
            page = Selector(drifted.page(record))
            assert all(page.css(s) for s in detect) and not any(page.css(s) for s in PROFILE_MISSED[family])


def test_other_pages_are_detected_by_no_profile(drifted):
    for record in drifted.records(detected_by=None):
        page = Selector(drifted.page(record))
        assert not any(all(page.css(s) for s in detect) for detect in PROFILE_DETECT.values())


def test_classed_print_links_and_buttons_escape_every_profile(drifted):
    for variant in ("classed", "button"):
        for record in drifted.records(print=variant):
            page = Selector(drifted.page(record))
            assert not any(page.css(s) for s in PROFILE_PRINT), record["url"]
            if variant == "classed":
                assert page.css("a.print-link::attr(href)").get() == record["print_url"] is not None
                assert page.css("a.print-link::text").get() == "Imprimer"
            else:
                assert record["print_url"] is None
                assert page.css("button[onclick='window.print()']::text").get() == "Imprimer"


COUNT_TEXTS = {"number": r"\d+ commentaires?", "parens": r"Commentaires \(\d+\)", "aucun": "Aucun commentaire",
               "laisser": "Laisser un commentaire"}


def test_comment_counts_take_several_wordings(drifted):
    for record in drifted.truth:
        text = main_text(drifted.page(record))
        if record["drift"]["count"] == "closed":
            assert record["comments_count"] is None and not re.search(r"(?i)\d+ commentaire|commentaires \(", text)
        else:
            found = re.search(COUNT_TEXTS[record["drift"]["count"]], text)
            assert found, record["url"]
            assert re.sub(r"\D", "", found.group()) in ("", str(record["comments_count"]))


def test_categories_say_publie_dans_or_categories_and_may_drop_the_slash(drifted):
    for record in drifted.truth:
        page = Selector(drifted.page(record))
        links = {a.attrib["href"]: norm(a.xpath("string()").get()) for a in page.css("#col-main a[href]")}
        slash = record["drift"]["category_links"] == "slash"
        for category in record["categories"]:
            href = category["url"] if slash else category["url"].rstrip("/")
            assert links.get(href) == category["name"], record["url"]
        if record["categories"]:
            assert record["drift"]["categories_label"] in main_text(drifted.page(record))
    bare = next(r for r in drifted.records(category_links="no-slash") if r["categories"])
    assert fetch(drifted.server.port, path_of(bare["categories"][0]["url"]).rstrip("/"))[0] == 200


LONG_DAY = r"[a-z]+ \d{1,2} [a-zéû]+ \d{4}"
DATE_SHAPES = {"numeric-before-title": r"\d\d/\d\d/\d{4}", "long-heading": LONG_DAY,
               "posted-iso": r"Posté le \d{4}-\d\d-\d\d à \d\d:\d\d", "long-with-time": rf"Le {LONG_DAY} à \d\d:\d\d"}


def test_dates_take_several_shapes(drifted):
    for shape, pattern in DATE_SHAPES.items():
        for record in drifted.records(dates=shape):
            page = Selector(drifted.page(record))
            line = norm(page.css(".dateline ::text, .jour ::text, .posted ::text").get())
            assert re.fullmatch(pattern, line), (shape, line)
            if shape in ("numeric-before-title", "long-heading"):
                footer = norm(page.xpath("//*[a[normalize-space()='Lien permanent']]").xpath("string()").get())
                assert footer.startswith(f"{record['published'][11:16]} | "), footer


def read_comments(body: str) -> list[dict]:
    """A small reader for the three drifted comment markups (not the archiver's extractor)."""
    page, comments = Selector(body), []
    for item in page.css("div.comment-item, ol.comment-list li"):
        texts = [norm("".join(p.css("::text").getall())) for p in item.css(".comment-content p, .said p")]
        if item.css("time"):
            author, published = item.css(".who ::text").get(), item.css("time::attr(datetime)").get()
        else:
            line = norm(item.css(".comment-by").xpath("string()").get())
            match = re.match(r"(?:Écrit|Posté) par : (.+) \| (\d\d)/(\d\d)/(\d{4})(?: à)? (\d\d):(\d\d)$", line)
            author, published = match.group(1), paris(*match.groups()[1:])
        url = item.css(".comment-by a::attr(href), .who a::attr(href)").get()
        comments.append({"author": author, "author_url": url, "published": published,
                         "body_text": "\n\n".join(texts)})
    return comments


def test_comments_in_every_markup_match_the_truth(drifted):
    for record in drifted.truth:
        assert read_comments(drifted.page(record)) == record["comments"], record["url"]
    body = drifted.page(drifted.records(comments="item-after")[0])
    assert "Écrit par : " in body and "Posté par : " in drifted.page(drifted.records(comments="item-before")[0])


def test_every_post_links_its_chronological_neighbours(drifted):
    ordered = sorted(drifted.truth, key=lambda r: datetime.fromisoformat(r["published"]))
    for older, record, newer in zip([None, *ordered], ordered, [*ordered[1:], None]):
        page = Selector(drifted.page(record))
        if record["drift"]["neighbours"] == "head":
            found = (page.css("link[rel=prev]::attr(href)").get(), page.css("link[rel=next]::attr(href)").get())
        else:
            found = (page.css("a:contains('Note précédente')::attr(href)").get(),
                     page.css("a:contains('Note suivante')::attr(href)").get())
        assert found == (older and older["url"], newer and newer["url"]), record["url"]


# --- sidebar and listings ----------------------------------------------------------------------------------


def test_sidebar_boxes_have_plain_names_and_non_category_links(drifted):
    home = Selector(drifted.pages["/"])
    names = " ".join(home.css("[class]::attr(class), [id]::attr(id)").getall())
    assert not SIDEBAR_WORDS.search(names)
    assert {"Catégories", "Notes récentes", "Archives"} <= set(home.css("#col-a h4::text, #col-b h4::text").getall())
    recent = home.css("#col-b div.box:contains('Notes récentes') a::attr(href)").getall()
    assert recent and set(recent) <= {r["url"] for r in drifted.truth}
    base = drifted.server.base_url
    assert home.css(f"a[href='{base}/a-propos']") and home.css(f"a[href='{base}/tag/mali']")
    assert "À propos" in drifted.pages["/a-propos"] and "Mot-clé" in drifted.pages["/tag/mali"]
    categories = {c["url"] for r in drifted.truth for c in r["categories"]}
    assert not {f"{base}/a-propos", f"{base}/a-propos/", f"{base}/tag/mali/"} & categories


def test_home_pages_list_the_listed_posts_newest_first_ten_a_page(drifted):
    listed = sorted((r for r in drifted.truth if r["reach"] == "listed"),
                    key=lambda r: datetime.fromisoformat(r["published"]), reverse=True)
    paths = ["/"] + [f"/index-{n}.html" for n in range(2, -(-len(listed) // 10) + 1)]
    truth_urls = {r["url"] for r in drifted.truth}
    shown = []
    for path in paths:
        links = Selector(drifted.pages[path]).css("#col-main a::attr(href)").getall()
        shown += list(dict.fromkeys(h for h in links if h in truth_urls))
    assert shown == [r["url"] for r in listed]


def listing_pages(drifted) -> dict[str, Selector]:
    """Crawled pages that are neither post pages nor print pages."""
    posts = {path_of(r["url"]) for r in drifted.truth}
    return {p: Selector(b) for p, b in drifted.pages.items() if b and p not in posts and not p.startswith("/apps/")}


def test_listings_have_no_rel_links_and_text_only_pagers(drifted):
    listings = listing_pages(drifted)
    assert not any(page.css("link[rel=next], link[rel=prev]") for page in listings.values())
    pagers = " ".join(norm(page.css("p.pages").xpath("string()").get() or "") for page in listings.values())
    for words in ("Suivant »", "« Précédent", "Notes plus anciennes »", "« Notes plus récentes"):
        assert words in pagers


def test_listing_urls_take_every_form(drifted):
    paths = set(drifted.pages)
    assert {"/index-2.html", "/archives"} <= paths
    assert any(re.fullmatch(r"/archives/category/[a-z0-9-]+/index-2\.html", p) for p in paths)
    assert any(re.fullmatch(r"/[a-z0-9-]+/index-2\.html", p) for p in paths)
    assert any(re.fullmatch(r"/archive/\d{4}/\d\d/index\.html", p) for p in paths)
    assert any(re.fullmatch(r"/archives/\d{4}/\d\d/index-2\.html", p) for p in paths)
    plain = [p for p, page in listing_pages(drifted).items() if page.css("ul.liste-notes li")]
    assert any(p.startswith(("/archive/", "/archives/20")) for p in plain)
    assert any(not p.startswith(("/archive", "/tag/")) for p in plain)
    item = Selector(drifted.pages[plain[0]]).css("ul.liste-notes li").xpath("string()").get()
    assert re.search(r"\(\d\d/\d\d/\d{4}\)$", item)


# --- reachability, legacy permalinks, redirects, creation days ---------------------------------------------


def kind_of(path: str, truth_paths: set[str]) -> str:
    if path in truth_paths:
        return "post"
    if re.match(r"/archives?/\d{4}/\d\d/", path):
        return "month"
    return "home" if path == "/" or re.fullmatch(r"/index-\d+\.html", path) else "other"


def test_month_only_posts_are_linked_from_their_month_archive_only(drifted):
    truth_paths = {path_of(r["url"]) for r in drifted.truth}
    for record in (r for r in drifted.truth if r["reach"] == "month-only"):
        kinds = {kind_of(p, truth_paths) for p in drifted.linked_from.get(path_of(record["url"]), set())}
        assert record["categories"] == [] and kinds == {"month", "post"}, record["url"]


def test_neighbours_only_posts_are_linked_only_from_their_neighbours(drifted):
    ordered = [path_of(r["url"]) for r in sorted(drifted.truth, key=lambda r: datetime.fromisoformat(r["published"]))]
    for record in (r for r in drifted.truth if r["reach"] == "neighbours-only"):
        at = ordered.index(path_of(record["url"]))
        neighbours = {ordered[i] for i in (at - 1, at + 1) if 0 <= i < len(ordered)}
        sources = drifted.linked_from.get(ordered[at], set()) - {ordered[at]}
        assert record["categories"] == [] and sources == neighbours


def test_every_post_is_reachable_from_the_home_page(drifted):
    assert all(drifted.pages.get(path_of(r["url"])) for r in drifted.truth)


def test_legacy_permalinks_have_no_id_and_reveal_it_only_by_print_link(drifted):
    for record in (r for r in drifted.truth if r["legacy"]):
        assert re.fullmatch(r"/archive/\d{4}/\d\d/\d\d/[a-z0-9-]+\.html", path_of(record["url"]))
        assert not re.search(r"-\d{7}\.html$", record["url"])
        body = drifted.page(record)
        if record["id"]:
            assert record["print_url"].endswith(f"/apps/print/{record['id']}.html") and record["print_url"] in body
        else:
            assert record["print_url"] is None and "/apps/print/" not in body


def test_old_urls_answer_301_to_the_permalink_and_some_listing_links_them(drifted):
    moved = [r for r in drifted.truth if r["aliases"]]
    assert len(moved) >= 2
    for record in moved:
        for alias in record["aliases"]:
            status, response, _ = fetch(drifted.server.port, path_of(alias))
            assert status == 301 and response.getheader("Location") == record["url"]
            sources = drifted.linked_from.get(path_of(alias), set())
            assert sources and all(p in listing_pages(drifted) for p in sources)


def test_some_permalinks_carry_the_creation_day(drifted):
    earlier = [r for r in drifted.truth if r["url_day_differs"]]
    assert len(earlier) >= 2
    for record in earlier:
        url_day = re.search(r"/archive/(\d{4})/(\d\d)/(\d\d)/", record["url"]).groups()
        assert "-".join(url_day) < record["published"][:10] and url_day[0] >= "2018"


def test_atom_entries_carry_the_platform_tag_ids(drifted):
    atom = fetch(drifted.server.port, "/atom.xml")[2]
    ids = re.findall(r"<id>tag:blog\.replica\.invalid,(\d{4}-\d\d-\d\d):(\d+)</id>", atom)
    assert len(ids) == 20 and {i for _, i in ids} <= {r["id"] for r in drifted.truth}


# --- unreadable comments -----------------------------------------------------------------------------------


@pytest.mark.parametrize("drift", [False, True])
def test_unreadable_comments_keep_the_count_but_hide_the_comments(tmp_path, drift):
    info = build_site(tmp_path / "site", seed=7, drift=drift, unreadable_comments=True)
    assert info.unreadable_comments
    shapes = set()
    for record in (r for r in load_ground_truth(info.root) if r["comments"]):
        body = (info.root / path_of(record["url"]).lstrip("/")).read_text()
        page = Selector(body)
        visible = norm(" ".join(page.xpath("//body//text()[not(ancestor::script)]").getall()))
        count = record["comments_count"]
        assert re.search(rf"{count} commentaires?|Commentaires \({count}\)", visible)
        assert not any(c["author"] in visible for c in record["comments"]), record["url"]
        assert not page.css("#comments time, div.commentparent, div.comment-item, .box-comment, li.reaction")
        shapes.add("template" if page.css("script[type='text/template']") else "flat")
    assert shapes == {"flat", "template"}
