"""The blog's life in the offline reader, from real crawls of one category of the replica: a post edited twice has a
history page with both changes and their word diffs, a comment the blog removed and a post it deleted are marked,
dates read as the blog writes them; every page clean in headless Chromium from file://."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from parsel import Selector

from archiver.reader import export_html
from archiver.replica import ReplicaServer, build_site, load_ground_truth
from browser import assert_clean, broken_images, dead_links
from conftest import LOCAL, run_archiver

CATEGORY = "/soudan/"  # three posts of the replica: a crawl of it takes about a second
EDITED, DELETED = "6361679", "6361751"  # a classic post with 4 comments; a post of the category that the blog deletes
OLD_TITLE = "Burkina Faso : Le groupe Wagner a signé un partenariat énergétique"
NEW_TITLE = "Burkina Faso : Le groupe Wagner a signé un accord énergétique"
REMOVED_COMMENT = '<div class="commentparent" id="c1480334">'


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Change a page of the replica as its blogger would (each replacement must apply)."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} is not in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def without_comment(path: Path, opening: str) -> tuple[str, str]:
    """The replacement that takes one comment (its whole block) off a post page."""
    text = path.read_text(encoding="utf-8")
    start = text.index(opening)
    end = text.index("</p></div>", start) + len("</p></div>")
    return text[start:end], ""


@pytest.fixture(scope="module")
def life(tmp_path_factory) -> Path:
    """One category of the replica crawled three times: as built; after its blogger retitled a post and added a
    paragraph; after a second edit of its text that also took a comment off and deleted another post; then
    exported as a reader."""
    folder = tmp_path_factory.mktemp("reader-history")
    root, db = build_site(folder / "site", posts=60).root, folder / "archive.db"
    pages = {post["id"]: root / post["url"].split("/", 3)[3] for post in load_ground_truth(root, "http://x")}
    page = pages[EDITED]
    with ReplicaServer(root) as server:
        def crawl(*extra: str) -> None:
            result = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, *extra)
            assert result.returncode == 0, result.stderr

        crawl()
        edit(page, (OLD_TITLE, NEW_TITLE), ("</div></div></div>\n<div style", "<p>Mise à jour : les ministres ont "
                                            "confirmé la signature.</p>\n</div></div></div>\n<div style"))
        crawl("--revalidate")
        edit(page, ("les ministres ont confirmé", "les deux ministres ont démenti"), without_comment(page, REMOVED_COMMENT),
             (">4 commentaires<", ">3 commentaires<"))
        pages[DELETED].unlink()
        crawl("--revalidate")
    export_html(db, folder / "out")
    return folder / "out"


def html(path: Path) -> Selector:
    return Selector(text=path.read_text(encoding="utf-8"))


def test_a_post_edited_twice_links_to_its_history_with_both_changes_and_their_word_diffs(life):
    out = life
    post = html(out / "posts" / f"{EDITED}.html")
    assert post.css("h1.title::text").get() == NEW_TITLE
    assert post.css("a.history::text").get() == "2 modifications vues : voir l’historique"
    history = html(out / "posts" / post.css("a.history::attr(href)").get())
    changes = history.css("ol.changes li.change")
    assert [change.css(".summary::text").get() for change in changes] == [
        "titre, texte (+1 −0 ligne)", "texte (+1 −1 lignes), 1 commentaire retiré"]
    first, second = changes
    assert first.css(".title-diff del::text").getall() == ["partenariat"] and first.css(".title-diff ins::text").getall() == ["accord"]
    assert first.css(".text-diff ins::text").getall() == ["Mise à jour : les ministres ont confirmé la signature."]
    assert second.css(".text-diff del::text").getall() == ["confirmé"]
    assert second.css(".text-diff ins::text").getall() == ["deux", "démenti"]
    assert second.css(".comment-removed::text").get() == "Commentaire retiré : JPM, le samedi 23 mars 2019 à 13:19"


def test_a_comment_the_blog_removed_stays_marked_as_removed_and_the_count_says_what_the_blog_shows(life):
    out = life
    post = html(out / "posts" / f"{EDITED}.html")
    removed = post.css(".comments li.removed")
    assert len(removed) == 1 and len(post.css(".comments li")) == 4
    assert removed.css(".signature::text").get() == "Écrit par : JPM | samedi 23 mars 2019 à 13:19"
    assert removed.css(".removed-note::text").get().startswith("Commentaire retiré du blog : il y figurait encore le ")
    assert post.css(".comments h2::text").get() == "3 commentaires"


def test_a_post_the_blog_deleted_is_marked_gone_with_its_date_on_its_page_and_in_listings(life):
    out = life
    notice = html(out / "posts" / f"{DELETED}.html").css("p.gone::text").get()
    assert notice.startswith("Cette note n’est plus sur le blog : son adresse ne répond plus (404) depuis le ")
    listed = html(out / "index.html").css(f"ol.posts li:has(a[href='posts/{DELETED}.html']) .gone::text").get()
    assert listed.startswith("disparue du blog le ")


def test_dates_read_as_the_blog_writes_them_in_the_posts_own_time_zone(life):
    out = life
    post = html(out / "posts" / f"{EDITED}.html")
    assert post.css("p.meta time::text").get() == "dimanche 17 mars 2019 à 10:16"
    assert post.css("p.meta time::attr(datetime)").get() == "2019-03-17T10:16:00+01:00"
    assert html(out / "index.html").css(f"a[href='posts/{EDITED}.html'] + time::text").get() == "17 mars 2019"
    assert post.css("p.seen::text").get().startswith("Archivée le ")
    assert post.css(".postfooter button.print::text").get() == "Imprimer"


def test_the_header_shows_the_blogs_host_when_no_whole_blog_crawl_read_its_name(life):
    out = life
    for path in (out / "index.html", out / "posts" / f"{EDITED}.html", out / "history" / f"{EDITED}.html"):
        assert re.fullmatch(r"127\.0\.0\.1:\d+", html(path).css("header.site a.home::text").get())


def test_the_post_and_its_history_are_clean_in_chromium_from_file(page, page_log, life):
    out = life
    assert all("default-src 'none'" in html(path).css("meta[http-equiv=Content-Security-Policy]::attr(content)").get()
               and not html(path).css("[style], style, script:not([src])") for path in out.rglob("*.html"))
    for name in (f"posts/{EDITED}.html", f"history/{EDITED}.html", f"posts/{DELETED}.html", "index.html"):
        page.goto((out / name).as_uri())
        assert "default-src 'none'" in page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert not broken_images(page) and not dead_links(page, out), name
        assert_clean(page_log, out)
    page.goto((out / "posts" / f"{EDITED}.html").as_uri())
    with page.expect_navigation():
        page.locator("a.history").click()
    assert page.locator("ol.changes li.change").count() == 2
    assert page.locator("ol.changes del").first.is_visible() and page.locator("ol.changes ins").first.is_visible()
    assert_clean(page_log, out)
