"""`archiver export html DIR`: every post, category and page of the archive as a static site that runs nothing of
the blog's, with safe file names, and that a second export updates in place."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from parsel import Selector

from archiver.cli import cli
from archiver.reader import export_html
from archiver.reader.images import offline_body
from archiver.reader.names import Names, safe_stem
from archiver.replica import build_site, model
from conftest import crawl_site, run_archiver


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """The hostile replica crawled, then exported as a reader."""
    folder = tmp_path_factory.mktemp("reader")
    site = build_site(folder / "site", hostile=True).root
    crawl = crawl_site(site, ["/"], folder / "a.db")
    assert crawl.result.returncode == 0, crawl.result.stderr
    result = run_archiver("export", "html", str(folder / "out"), "--db", str(folder / "a.db"))
    assert result.returncode == 0, result.stderr
    return crawl, folder / "out", result


def page(path: Path) -> Selector:
    return Selector(text=path.read_text(encoding="utf-8"))


def test_every_post_has_its_page_and_the_home_pages_list_them_all_newest_first(reader):
    crawl, out, result = reader
    ids = {post["id"] for post in crawl.truth}
    assert {path.stem for path in (out / "posts").glob("*.html")} == ids
    homes = sorted(out.glob("index*.html"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 1))
    listed = [href for home in homes for href in page(home).css("ol.posts a::attr(href)").getall()]
    assert sorted(listed) == sorted(f"posts/{post_id}.html" for post_id in ids)
    dates = [date for home in homes for date in page(home).css("ol.posts time.date::attr(datetime)").getall() if date]
    assert dates == sorted(dates, reverse=True)
    assert result.stdout.startswith(f"Reader: {len(ids)} posts, ") and f"Open {(out / 'index.html').as_uri()}" in result.stdout


def test_the_header_of_every_page_shows_the_blogs_name_as_the_crawl_read_it(reader):
    _, out, _ = reader
    headers = {page(path).css("header.site a.home::text").get() for path in out.rglob("*.html")}
    assert headers == {model.BLOG_NAME}
    assert page(out / "index.html").css("p.tagline::text").get() == model.BLOG_TAGLINE


def test_every_category_has_a_page_with_its_posts_and_the_index_gives_their_number(reader):
    crawl, out, _ = reader
    counts: dict[str, int] = {}
    for post in crawl.truth:
        for category in post["categories"]:
            counts[category["name"]] = counts.get(category["name"], 0) + 1
    index = page(out / "categories.html")
    shown = {a.css("::text").get(): int(li.css(".count::text").get().strip("()")) for li in index.css("ul.categories li") for a in li.css("a")}
    assert shown == counts
    for li in index.css("ul.categories li"):
        stem = (out / li.css("a::attr(href)").get()).with_suffix("")
        pages = [path for path in stem.parent.glob(f"{stem.name}*.html") if re.fullmatch(rf"{re.escape(stem.name)}(-\d+)?\.html", path.name)]
        listed = [href for path in pages for href in page(path).css("ol.posts a::attr(href)").getall()]
        assert len(listed) == int(li.css(".count::text").get().strip("()"))


def test_a_post_page_gives_title_date_categories_as_links_body_original_url_print_link_and_neighbours(reader):
    crawl, out, _ = reader
    post = next(p for p in crawl.truth if p["id"] == "6362153")
    html = page(out / "posts" / "6362153.html")
    assert html.css("h1.title::text").get() == post["title"]
    assert html.css("time::attr(datetime)").get() == post["published"]
    assert html.css("p.categories a::text").getall() == [c["name"] for c in post["categories"]]
    assert all((out / "posts" / href).resolve().is_file() for href in html.css("p.categories a::attr(href)").getall())
    assert html.css("a.original::attr(href)").get() == post["url"] and html.css("a.print-original::attr(href)").get() == post["print_url"]
    assert all((out / "posts" / href).is_file() for href in html.css("nav.neighbours a::attr(href)").getall())
    assert len(html.css("nav.neighbours a")) == 2


def test_nothing_of_the_blog_runs_the_only_scripts_are_ours_and_every_page_forbids_the_rest(reader):
    _, out, _ = reader
    for path in out.rglob("*.html"):
        html = page(path)
        assert "default-src 'none'" in html.css('meta[http-equiv="Content-Security-Policy"]::attr(content)').get(), path
        sources = html.css("script::attr(src)").getall()
        assert len(sources) == len(html.css("script")) and all(src.endswith(("assets/reader.js", "assets/search-index.js")) for src in sources)
        assert not html.xpath("//@*[starts-with(name(), 'on')]"), path
        assert not [href for href in html.css("[href]::attr(href), [src]::attr(src)").getall() if href.strip().lower().startswith(("javascript:", "data:text"))]


def test_the_search_index_has_every_post_with_folded_words(reader):
    crawl, out, _ = reader
    script = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(script.removeprefix("window.ARCHIVE_INDEX = ").rstrip().rstrip(";"))
    assert {entry[0] for entry in entries} == {f"posts/{post['id']}.html" for post in crawl.truth}
    seed = next(entry for entry in entries if entry[0] == "posts/6362153.html")
    assert "lavrov" in seed[4].split() and "mentalite" in seed[4].split()
    assert seed[2] == "2022-02-04" and seed[5] == "4 février 2022"  # sorted by the first, the results show the second


def test_a_second_export_updates_in_place_and_removes_what_is_no_longer_exported(reader, tmp_path):
    crawl, _, _ = reader
    db, out = crawl.db, tmp_path / "again"
    everything = export_html(db, out)
    again = export_html(db, out)
    assert (again.written, again.unchanged, again.removed) == (0, everything.written, 0)
    fewer = export_html(db, out, category="Relations Mali-Russie")
    assert fewer.removed > 0 and len(list((out / "posts").glob("*.html"))) == fewer.posts < everything.posts


def test_an_image_without_a_local_copy_becomes_a_link_to_its_original_and_one_with_a_copy_points_to_it():
    body = ('<p>Voir <img src="/images/a.png" alt="carte"> et <img src="https://blog.example/b.png">, '
            '<a href="/archive/2022/02/04/x-6362153.html">une note</a> et <a href="/mali/">le Mali</a></p>')
    local_pages = {"blog.example/archive/2022/02/04/x-6362153.html": "6362153.html"}
    offline = Selector(text=offline_body(body, "https://blog.example/archive/2022/02/05/y-1.html",
                                         {"https://blog.example/b.png": "../media/b.png"}, local_pages))
    assert offline.css("a.missing-image::attr(href)").get() == "https://blog.example/images/a.png"
    assert offline.css("a:not(.missing-image)::attr(href)").getall() == ["6362153.html", "https://blog.example/mali/"]
    assert offline.css("a.missing-image::text").get() == "[image : carte]"
    assert offline.css("img::attr(src)").getall() == ["../media/b.png"]


@pytest.mark.parametrize("key", ["../../etc/passwd", "a/b", "Géopolitique", "", "con", "x" * 300, "\x00", "a b"])
def test_file_names_stay_inside_the_export_and_never_collide(key, tmp_path):
    names = Names()
    stems = {names(other) for other in ["a-b", "geopolitique", key]}
    assert len(stems) == 3 and all(re.fullmatch(r"[a-z0-9-]{1,90}", stem) for stem in stems)
    assert names(key) == names(key) and safe_stem(key) == safe_stem(key)


def test_export_html_needs_a_folder_and_json_refuses_one(reader, tmp_path):
    crawl, _, _ = reader
    assert run_archiver("export", "html", "--db", str(crawl.db)).returncode == 2
    assert run_archiver("export", "json", str(tmp_path / "x"), "--db", str(crawl.db)).returncode == 2


def test_export_html_never_overwrites_a_file_it_did_not_write(reader, tmp_path):
    crawl, _, _ = reader
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>my own home page</p>", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "html", str(out), "--db", str(crawl.db)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Error: {out / 'index.html'} was not written by an export of this archiver: "
                                          "not overwritten (export into an empty folder, or add --force to replace it)"]
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>my own home page</p>"
    assert sorted(path.name for path in out.rglob("*") if path.is_file()) == ["index.html", "notes.txt"]  # taken back
    forced = CliRunner().invoke(cli, ["export", "html", str(out), "--db", str(crawl.db), "--force"])
    assert forced.exit_code == 0 and "my own home page" not in (out / "index.html").read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, ["export", "html", str(out), "--db", str(crawl.db)])  # now its own files
    assert again.exit_code == 0 and (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_second_export_into_its_own_folder_replaces_only_its_files(reader, tmp_path):
    crawl, _, _ = reader
    out = tmp_path / "site"
    export_html(crawl.db, out)
    (out / "index.html").write_text("stale", encoding="utf-8")  # one of its own files, changed since
    (out / "mine.html").write_text("mine", encoding="utf-8")
    again = export_html(crawl.db, out)
    assert again.written == 1 and "stale" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "mine.html").read_text(encoding="utf-8") == "mine"
