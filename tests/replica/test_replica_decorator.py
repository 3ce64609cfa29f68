"""The decorator replica (and its WordPress-style twin): its pages, read with parsel, say what its ground truth says.

Every check reads the served HTML as a reader would (words, dates, links), never the generator's own functions.
"""

from __future__ import annotations

import filecmp
import http.client
import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

import pytest
from parsel import Selector

from archiver.replica import ReplicaServer, build_site, load_ground_truth
from archiver.replica.decorator import build_decorator_site

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
DATE_LINES = {  # what a date line looks like -> how to read its day
    "weekday": (r"^[a-z]+, (\d\d) ([a-zéû]+) (\d{4})$", lambda d, m, y: (int(y), MONTHS.index(m) + 1, int(d))),
    "slash": (r"^(\d\d)/(\d\d)/(\d{4})$", lambda d, m, y: (int(y), int(m), int(d))),
    "dot": (r"^(\d\d)\.(\d\d)\.(\d{4})$", lambda d, m, y: (int(y), int(m), int(d))),
    "long": (r"^(\d{1,2}) ([a-zéû]+) (\d{4})$", lambda d, m, y: (int(y), MONTHS.index(m) + 1, int(d))),
}
PUBLIE = re.compile(r"^(\d\d:\d\d) Publié dans (.+?) \| Lien permanent \|")
ECRIT = re.compile(r"^(\d\d:\d\d) Écrit par (.+?) dans (.+?) \| Lien permanent \|")
COMMENT_DATE = re.compile(r"\| (\d\d)[/.](\d\d)[/.](\d{4})(?: à | )?(\d\d:\d\d)?$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The decorator blog of 60 posts, built twice (determinism), and its WordPress-style twin."""
    folder = tmp_path_factory.mktemp("decorator")
    return (build_decorator_site(folder / "a", posts=60), build_decorator_site(folder / "b", posts=60),
            build_decorator_site(folder / "wp", posts=60, wordpress=True))


@pytest.fixture(scope="module")
def served(built):
    """The decorator blog served on 127.0.0.1: (server, truth with the server's URLs)."""
    with ReplicaServer(built[0].root) as server:
        yield server, load_ground_truth(built[0].root, server.base_url)


def fetch(server, url_or_path: str) -> tuple[str, str]:
    """(Content-Type, text) of a page fetched from the server (a 200 is required)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    path = url_or_path.removeprefix(server.base_url)
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read().decode("utf-8")
    connection.close()
    assert answer.status == 200, path
    return answer.getheader("Content-Type"), body


def get(server, url_or_path: str) -> Selector:
    """An HTML page fetched from the server, as a Selector."""
    kind, body = fetch(server, url_or_path)
    assert kind.startswith("text/html"), url_or_path
    return Selector(text=body)


def text(node) -> str:
    """A node's text, whitespace collapsed."""
    return " ".join("".join(node.xpath(".//text()").getall()).split())


def read_date_line(line: str) -> tuple[str, tuple[int, int, int]]:
    """The form of a date line and the day it names."""
    for form, (pattern, day) in DATE_LINES.items():
        if match := re.match(pattern, line):
            return form, day(*match.groups())
    raise AssertionError(f"unknown date line {line!r}")


def test_the_build_is_deterministic(built):
    first, second, _ = built
    comparison = filecmp.dircmp(first.root, second.root)
    files = [p.relative_to(first.root) for p in first.root.rglob("*") if p.is_file()]
    assert len(files) == first.file_count + 2  # the pages, the truth and the (empty) fault list
    assert all(filecmp.cmp(first.root / f, second.root / f, shallow=False) for f in files), comparison.diff_files


def test_post_pages_carry_every_field_of_the_truth(served):
    server, truth = served
    forms, wordings = set(), set()
    for record in truth:
        page = get(server, record["url"])
        assert text(page.css("h3#p1 > span")) == record["title"]
        assert page.css("h3#p1::attr(class)").get() is None
        form, day = read_date_line(text(page.css("h2.date")))
        forms.add(form)
        published = datetime.fromisoformat(record["published"])
        assert day == (published.year, published.month, published.day)
        footer = page.css("div.postbottom > div.postbottom-decorator1 > div.postbottom-decorator2 > p.posted")
        line = text(footer)
        match = ECRIT.match(line) or PUBLIE.match(line)
        wordings.add("ecrit" if ECRIT.match(line) else "publie")
        assert match and match[1] == f"{published:%H:%M}", line
        assert (match[2] if ECRIT.match(line) else None) == record["author"]
        cats = [{"name": text(a), "url": a.attrib["href"]} for a in footer.xpath("a[contains(@href, '/tag/') = false()]")
                if text(a) not in ("Lien permanent", "Facebook") and not text(a).startswith("Commentaires")]
        assert cats == record["categories"]
        tags = [{"name": text(a), "url": a.attrib["href"]} for a in footer.xpath("a[contains(@href, '/tag/')]")]
        assert tags == record["tags"] and ("Tags : " in line) == bool(tags)
        count = re.search(r"Commentaires \((\d+)\)", line)
        assert (int(count[1]) if count else None) == record["comments_count"]
        blocks = page.css("div.posttext > div.posttext-decorator1 > div.posttext-decorator2 > *")
        body = " ".join(filter(None, map(text, blocks)))
        assert body == " ".join(record["body_text"].split())
        print_href = page.xpath("//a[.='Imprimer']/@href").get()
        assert (print_href if print_href.startswith("http") else None) == record["print_url"]
    assert forms == set(DATE_LINES) and wordings == {"ecrit", "publie"}


def test_comments_are_parent_or_child_blocks_dated_with_a_time_or_by_the_day(served):
    server, truth = served
    kinds = set()
    for record in (r for r in truth if r["comments"]):
        page = get(server, record["url"])
        blocks = page.css("div.commentparent, div.commentchild")
        assert len(blocks) == len(record["comments"])
        for block, expected in zip(blocks, record["comments"]):
            kinds.add(block.attrib["class"])
            posted = text(block.css("p.posted"))
            assert posted.startswith("Ecrit par : ") and block.xpath("a[1]/@id").get().startswith("c")
            author = block.css("p.posted a")
            assert (text(author) if author else posted[12:].split(" | ")[0]) == expected["author"]
            assert (author.attrib["href"] if author else None) == expected["author_url"]
            said = " ".join(text(p) for p in block.xpath("p[not(@class)]"))
            assert said == " ".join(expected["body_text"].split())
            day, month, year, clock = COMMENT_DATE.search(posted).groups()
            shown = f"{year}-{month}-{day}" + (f"T{clock}" if clock else "")
            assert expected["published"].startswith(shown) and (clock is not None) == (len(expected["published"]) > 10)
            kinds.add("with-time" if clock else "day-only")
    assert kinds == {"commentparent", "commentchild", "with-time", "day-only"}


def test_ids_have_six_digits_and_two_legacy_posts_none(served):
    _, truth = served
    ids = [re.search(r"-(\d+)\.html$", urlsplit(r["url"]).path) for r in truth]
    assert sum(found is None for found in ids) == 2
    assert all(len(found[1]) == 6 and found[1] == r["id"] for found, r in zip(ids, truth) if found)
    assert all(len(urlsplit(r["url"]).path.rsplit("/", 1)[1].rsplit("-", 1)[0]) <= 60 for r in truth)


def listing_posts(server, first_path: str, name: str) -> tuple[list[str], list[str]]:
    """Follow a listing's pager from its first page: the posts' permalinks and each page's URL path."""
    posts, paths, url = [], [], server.base_url + first_path
    while url:
        page = get(server, url)
        number = len(paths) + 1
        assert page.css("title::text").get() == (name if number == 1 else f"{name} - Page {number}")
        paths.append(urlsplit(url).path)
        posts += [a.attrib["href"] for a in page.xpath("//a[.='Lien permanent']")]
        assert len(page.css("div.post")) == len(page.xpath("//a[starts-with(@id, 'p')]")) == len(page.css("h3 > span"))
        url = page.xpath("//div[@class='pager']/a[contains(., 'suivante')]/@href").get()
    return posts, paths


def test_categories_are_numbered_from_zero_and_list_all_their_posts(served):
    server, truth = served
    names = sorted({c["name"]: c["url"] for r in truth for c in r["categories"]}.items())
    deepest = 0
    for name, url in names:
        expected = [r["url"] for r in reversed(truth) if {"name": name, "url": url} in r["categories"]]
        posts, paths = listing_posts(server, urlsplit(url).path, name)
        assert posts == expected
        slug = urlsplit(url).path.strip("/")
        assert paths[1:] == [f"/archives/category/{slug}/index-{n}.html" for n in range(1, len(paths))]
        deepest = max(deepest, len(paths))
    assert deepest >= 4


def test_home_months_and_tags_are_numbered_from_zero(served):
    server, truth = served
    posts, paths = listing_posts(server, "/", "Cause toujours")
    assert posts == [r["url"] for r in reversed(truth)] and paths[1:3] == ["/index-1.html", "/index-2.html"]
    posts, paths = listing_posts(server, "/archives/2013/05/index.html", "mai 2013")
    assert len(paths) >= 2 and paths[1] == "/archives/2013/05/index-1.html"
    assert posts == [r["url"] for r in reversed(truth) if r["published"].startswith("2013-05")]
    tags = {t["name"]: t["url"] for r in truth for t in r["tags"]}
    assert {"salika wenger", "pauvreté", "Sarkozy"} <= set(tags) and tags["salika wenger"].endswith("/tag/salika+wenger")
    for name, url in tags.items():
        posts, paths = listing_posts(server, urlsplit(url).path, name)
        assert posts == [r["url"] for r in reversed(truth) if {"name": name, "url": url} in r["tags"]], name
        assert [unquote(p) for p in paths[1:]] == [f"/archives/tag/{name.replace(' ', '+')}/index-{n}.html"
                                                  for n in range(1, len(paths))]
    assert len(listing_posts(server, "/tag/salika+wenger", "salika wenger")[1]) >= 4


def test_listing_titles_are_rarely_links_and_long_posts_are_cut(served):
    server, _ = served
    page = get(server, "/archives/category/geneve/index-1.html")
    titles = page.css("div.post > h3 > span")
    linked = [t for t in titles if t.css("a")]
    assert 0 < len(linked) < len(titles) / 2
    assert page.xpath("//a[.='Lire la suite']") or get(server, "/").xpath("//a[.='Lire la suite']")
    assert "vous acceptez l'utilisation de cookies" in text(page.css("body"))
    assert "Alerter le modérateur | Envoyer à un ami | Créer un Blog" in text(page.css("#footer"))


def test_feeds_hold_ten_items_with_the_platform_ids(served):
    server, truth = served
    for path in ("/atom.xml", "/index.rss", "/geneve/index.rss"):
        feed = Selector(text=fetch(server, path)[1], type="xml")
        feed.remove_namespaces()
        assert len(feed.xpath("//entry | //item")) == 10, path
    ids = feed.xpath("//guid/text()").getall()
    assert all(re.fullmatch(r"tag:[^,]+,\d{4}-\d\d-\d\d:\d{6}", i) for i in ids)
    atom = Selector(text=fetch(server, "/atom.xml")[1], type="xml")
    atom.remove_namespaces()
    newest = truth[-1]
    assert newest["legacy"] and newest["url_day_differs"] and not re.search(r"\d{6}", newest["url"])
    assert atom.xpath("//entry[1]/link/@href").get() == newest["url"]
    assert atom.xpath("//entry[1]/id/text()").get().endswith(f":{newest['id']}")


def test_post_pages_link_the_previous_note(served):
    server, truth = served
    page = get(server, truth[10]["url"])
    assert page.xpath("//link[@rel='prev']/@href").get() == truth[9]["url"]


def test_the_wordpress_twin_shows_wordpress_comments_and_counts(built):
    root = built[2].root
    truth = load_ground_truth(root)
    labels, says = set(), set()
    for record in truth:
        page = Selector(text=(root / urlsplit(record["url"]).path.lstrip("/")).read_text(encoding="utf-8"))
        label = text(page.css("footer.entry-footer .comments-link"))
        labels.add(label)
        count = 0 if label in ("Laisser un commentaire", "Leave a comment") else int(label.split()[0]) if label else None
        assert count == record["comments_count"], label
        assert text(page.css("h1.entry-title")) == record["title"]
        assert page.css("time.entry-date::attr(datetime)").get() == record["published"]
        comments = page.css("li.comment > article.comment-body")
        assert len(comments) == len(record["comments"])
        for comment, expected in zip(comments, record["comments"]):
            assert text(comment.css("b.fn")) == expected["author"]
            says.add(text(comment.css("span.says")))
            assert comment.css("time::attr(datetime)").get() == expected["published"]
            said = " ".join(text(p) for p in comment.css("div.comment-content > p"))
            assert said == " ".join(expected["body_text"].split())
    assert {"Laisser un commentaire", "Leave a comment", "1 commentaire"} <= labels and says == {"dit :", "says:"}
    assert any(re.fullmatch(r"\d+ Comments?", label) for label in labels)


def test_the_drift_build_deals_decorator_post_pages_too(tmp_path):
    root = build_site(tmp_path / "drift", posts=60, drift=True).root
    decorated = [r for r in load_ground_truth(root) if r["drift"]["family"] == "decorator"]
    assert len(decorated) >= 5
    for record in decorated:
        page = Selector(text=(root / urlsplit(record["url"]).path.lstrip("/")).read_text(encoding="utf-8"))
        assert text(page.css("div.post > h3#p1 > span")) == record["title"] and not page.css("h3#p1 a")
        footer = text(page.css("div.postbottom > div.postbottom-decorator1 > div.postbottom-decorator2 > p.posted"))
        assert "Lien permanent" in footer and all(c["name"] in footer for c in record["categories"])
