"""The replica blog: its content, its ground truth, and the server that serves it on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.client
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from archiver.replica import BASE_TOKEN, ReplicaServer, build_site, load_faults, load_ground_truth
from archiver.replica.seed import load_seed

LISTING_TITLES = "h3.posttitle a::attr(href), h2[itemprop=headline] a::attr(href)"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("replica") / "site")


@pytest.fixture(scope="module")
def server(site):
    with ReplicaServer(site.root) as running:
        yield running


@pytest.fixture(scope="module")
def truth(site, server):
    return load_ground_truth(site.root, server.base_url)


def fetch(server, path, headers=None, method="GET"):
    """(status, headers, body text) of one request, sent exactly as written."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response, body


def path_of(url):
    return urlsplit(url).path


def norm(text):
    return " ".join(text.split())


def listing_links(server, first_path):
    """Post links of every page of a listing, following rel=next, query strings dropped."""
    links, path = [], first_path
    while path:
        status, _, body = fetch(server, path)
        assert status == 200
        page = Selector(body)
        links += [href.split("?")[0] for href in page.css(LISTING_TITLES).getall()]
        nxt = page.css("link[rel=next]::attr(href)").get()
        path = path_of(nxt) if nxt else None
    return links


def test_seed_posts_are_in_the_truth_verbatim(truth):
    _, seeds = load_seed()
    records = [r for r in truth if r["seed"]]
    assert [r["title"] for r in sorted(records, key=lambda r: r["published"], reverse=True)] == [s.title for s in seeds]
    first = next(r for r in records if r["id"] == "6362153")
    assert first["published"] == "2022-02-04T10:30:00+01:00"
    assert first["body_text"] == "\n\n".join(norm(p) for p in seeds[0].paragraphs)
    fourth = next(r for r in records if r["published"].startswith("2020-08-06"))
    assert [c["name"] for c in fourth["categories"]] == list(seeds[3].categories)
    assert len(fourth["categories"]) == 36 and fourth["comments_count"] == 0


def test_seed_category_lists_the_four_seed_posts_newest_first(server, truth):
    seeds = sorted((r for r in truth if r["seed"]), key=lambda r: r["published"], reverse=True)
    assert listing_links(server, "/relations-mali-russie/") == [r["url"] for r in seeds]


def test_seed_text_is_served(server, truth):
    first = next(r for r in truth if r["id"] == "6362153")
    status, _, body = fetch(server, path_of(first["url"]))
    assert status == 200
    assert "Sergueï Lavrov a dénoncé" in body
    assert first["url"].endswith("/archive/2022/02/04/offensive-diplomatique-russe-en-afrique-la-russie-denonce-l-6362153.html")


def test_default_build_has_generated_posts_in_both_themes(site, truth):
    generated = [r for r in truth if not r["seed"]]
    assert len(generated) >= 60 and site.post_count == len(truth)
    assert Counter(r["theme"] for r in truth).keys() == {"classic", "modern"}
    assert min(r["published"] for r in generated) < "2019" and max(r["published"] for r in generated) > "2024"
    assert len({r["id"] for r in truth}) == len(truth) and all(len(r["id"]) == 7 for r in truth)


def test_categories_are_many_and_some_are_big(site, truth):
    names = {c["name"] for r in truth for c in r["categories"]}
    assert site.category_count >= 20 and len(names) == site.category_count
    assert {"Côte d'Ivoire", "Défense & sécurité", "Économie", "ÉGYPTE"} <= names
    assert any(len(r["categories"]) == 12 for r in truth if not r["seed"])
    sizes = Counter(c["name"] for r in truth for c in r["categories"])
    assert sum(size > 20 for size in sizes.values()) >= 3
    assert sizes["Relations Mali-Russie"] == 4


def test_category_pages_hold_ten_posts_newest_first(server, truth):
    sizes = Counter(c["url"] for r in truth for c in r["categories"])
    category, _ = sizes.most_common(1)[0]
    status, _, first_page = fetch(server, path_of(category))
    assert status == 200 and len(Selector(first_page).css(LISTING_TITLES)) == 10
    links = listing_links(server, path_of(category))
    dates = {r["url"]: r["published"] for r in truth}
    listed = [dates[u] for u in links if u in dates]
    assert len(listed) == sizes[category] and listed == sorted(listed, reverse=True)


def test_loop_trap_page_two_links_back_to_index_1(server, site):
    status, _, page_two = fetch(server, f"/archives/category/{site.loop_trap}/index-2.html")
    assert status == 200 and f"/archives/category/{site.loop_trap}/index-1.html" in page_two
    assert fetch(server, f"/archives/category/{site.loop_trap}/index-1.html")[2] == fetch(server, f"/{site.loop_trap}/")[2]


def test_listings_vary_their_links(server, truth):
    bodies = "".join(fetch(server, path_of(c))[2] for c in {c["url"] for r in truth for c in r["categories"]})
    assert "?utm_source=rss&amp;utm_medium=feed" in bodies and "#more" in bodies and "#comments" in bodies
    assert "Lire la suite" in bodies and 'href="/archive/' in bodies


def test_every_truth_url_answers_200(server, truth):
    assert all(fetch(server, path_of(r["url"]), method="HEAD")[0] == 200 for r in truth)


@pytest.mark.parametrize("field", ["title", "categories", "tags", "comments_count", "print_url", "author"])
def test_post_pages_show_what_the_truth_says(server, truth, field):
    for record in truth:
        page = Selector(fetch(server, path_of(record["url"]))[2])
        assert reading(page, record["theme"])[field] == record[field], record["url"]


def reading(page, theme):
    """A deliberately small reading of a classic or modern post page (not the archiver's extractor)."""
    if theme == "classic":
        title, tags, print_css = "h3.posttitle ::text", "p.postfooter a[href$='/']", "div.postprint a::attr(href)"
        count = re.search(r"(\d+) commentaires?(?: \| Tags : .*)?$", norm(page.css("p.postfooter").xpath("string()").get()))
        tag_links = "p.postfooter a[href*='/tag/']"
        author = page.css("meta[name=author]::attr(content)").get()
    else:
        title, tags, print_css = "h1[itemprop=headline] ::text", "span.box-article-tags a", "div.box-print a::attr(href)"
        count = re.search(r"(\d+)", page.css("a.box-comments-count::text").get() or "")
        tag_links = "span.box-article-keywords a"
        author = page.css("span.box-author [itemprop=name]::text").get()
    printed = page.css(print_css).get()
    return {"title": norm("".join(page.css(title).getall())), "author": author,
            "categories": [{"name": a.css("::text").get(), "url": a.attrib["href"]} for a in page.css(tags)],
            "tags": [{"name": a.css("::text").get(), "url": a.attrib["href"]} for a in page.css(tag_links)],
            "comments_count": int(count.group(1)) if count else None,
            "print_url": None if printed.startswith("javascript:") else printed}


def test_truth_covers_the_awkward_cases(truth):
    assert any(r["author"] is None for r in truth if r["theme"] == "modern")
    assert any(r["author"] is None for r in truth if r["theme"] == "classic")
    assert any(r["comments_count"] is None for r in truth) and any(r["comments"] for r in truth)
    assert any(r["print_url"] is None for r in truth) and any(r["print_url"] for r in truth)
    assert any(r["quirks"] == ["unclosed-tags"] for r in truth)
    assert all(len(r["comments"]) == (r["comments_count"] or 0) for r in truth)


def test_one_body_carries_script_and_javascript_bait(server, truth):
    bait = next(r for r in truth if "unsafe-markup" in r["quirks"])
    body = fetch(server, path_of(bait["url"]))[2]
    assert "<script>alert(1)</script>" in body and "onclick=" in body and 'href="javascript:alert' in body
    assert "alert" not in bait["body_text"]


def test_faults_answer_as_described(server):
    faults = {f["kind"]: f for f in load_faults(server.root, server.base_url)}
    assert fetch(server, path_of(faults["missing"]["url"]))[0] == 404
    assert fetch(server, path_of(faults["server_error"]["url"]))[0] == 500
    status, _, broken = fetch(server, path_of(faults["broken"]["url"]))
    assert status == 200 and broken.endswith("<title>")
    status, _, untitled = fetch(server, path_of(faults["untitled"]["url"]))
    assert status == 200 and norm("".join(Selector(untitled).css("h3.posttitle ::text").getall())) == ""
    for fault in faults.values():
        for category in fault["listed_in"]:
            assert fault["url"] in listing_links(server, path_of(category))


def test_absolute_links_point_at_the_server(server):
    body = fetch(server, "/")[2]
    assert BASE_TOKEN not in body and f'href="{server.base_url}/' in body
    assert "blog.replica.invalid" not in fetch(server, "/atom.xml")[2]


def test_etag_and_last_modified_give_304(server, site):
    status, response, body = fetch(server, "/archives")
    assert status == 200 and "Catégories" in body
    etag = response.getheader("ETag")
    assert etag == f'"{hashlib.sha1(body.encode()).hexdigest()}"'
    assert fetch(server, "/archives", {"If-None-Match": etag})[0] == 304
    assert fetch(server, "/archives", {"If-Modified-Since": response.getheader("Last-Modified")})[0] == 304
    assert fetch(server, "/archives", {"If-None-Match": '"other"'})[0] == 200


def test_edits_show_on_the_next_request(server, site):
    robots = Path(site.root) / "robots.txt"
    original = robots.read_text()
    status, _, body = fetch(server, "/robots.txt")
    assert status == 200 and body == "User-agent: *\nDisallow: /admin/\nDisallow: /apps/\n"
    robots.write_text(original + "Disallow: /tmp/\n")
    try:
        assert fetch(server, "/robots.txt")[2].endswith("Disallow: /tmp/\n")
    finally:
        robots.write_text(original)


def test_private_files_and_traversal_are_404(server):
    for path in ("/_truth.jsonl", "/_faults.json", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nope/"):
        assert fetch(server, path)[0] == 404, path


def test_hits_count_paths_with_their_query(server):
    fetch(server, "/atom.xml?x=1")
    fetch(server, "/atom.xml?x=1", method="HEAD")
    assert server.hits["/atom.xml?x=1"] == 2


def digest(root):
    """Hash of every file of a built site, by relative path."""
    return {p.relative_to(root): hashlib.sha1(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_builds_are_deterministic(tmp_path):
    first, second = build_site(tmp_path / "a", generic_posts=4), build_site(tmp_path / "b", generic_posts=4)
    assert digest(first.root) == digest(second.root)
    assert build_site(tmp_path / "a", generic_posts=4).file_count == first.file_count  # rebuild over itself


def test_switches_off_build_the_default_site_and_unreadable_comments_touch_only_comments(tmp_path):
    plain = build_site(tmp_path / "plain")
    explicit = build_site(tmp_path / "explicit", drift=False, unreadable_comments=False)
    assert digest(plain.root) == digest(explicit.root) and not plain.drift and not plain.unreadable_comments
    truth = load_ground_truth(plain.root)
    assert {(r["legacy"], r["reach"], tuple(r["aliases"]), r["url_day_differs"], r["drift"]) for r in truth} == {
        (False, "listed", (), False, None)}
    hidden = build_site(tmp_path / "hidden", unreadable_comments=True)
    before = digest(plain.root)
    changed = {path for path, sha in digest(hidden.root).items() if before[path] != sha}
    assert changed == {Path(path_of(r["url"]).lstrip("/")) for r in truth if r["comments"]}


def test_generic_posts_use_a_third_theme(tmp_path):
    info = build_site(tmp_path / "site", generic_posts=4)
    generic = [r for r in load_ground_truth(info.root) if r["theme"] == "generic"]
    assert len(generic) == 4 and info.themes["generic"] == 4
    page = (info.root / path_of(generic[0]["url"]).lstrip("/")).read_text()
    assert "Publié le" in page and "posttitle" not in page and "box-" not in page


def test_large_build_is_quick(tmp_path):
    info = build_site(tmp_path / "big", posts=1000, seed=7)
    assert info.post_count == 1004 and info.listing_page_count > 300


def test_build_refuses_bad_arguments_and_foreign_directories(tmp_path):
    with pytest.raises(ValueError):
        build_site(tmp_path / "small", posts=10)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        build_site(tmp_path / "mine")
