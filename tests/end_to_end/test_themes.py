"""A theme no profile knows: the generic fallback, a user's --theme-file, reextract and inspect, end to end."""

import json

import pytest
import sqlite_utils

from archiver.replica import ReplicaServer
from conftest import FIXTURES, LOCAL, crawl_site, normalise_space, run_archiver

THEME_FILE = FIXTURES / "themes" / "chroniques.toml"
PAGES = FIXTURES / "pages"


def exact_share(crawl, theme: str) -> dict[str, float]:
    """For posts of one theme: the share extracted exactly, per field of the acceptance list."""
    records = crawl.records_by_id()
    posts = [t for t in crawl.truth if t["theme"] == theme]
    same = {
        "title": lambda t, r: t["title"] == r["title"],
        "published": lambda t, r: t["published"] == r["published"],
        "body_text": lambda t, r: normalise_space(t["body_text"]) == normalise_space(r["body_text"]),
        "categories": lambda t, r: t["categories"] == r["categories"],
    }
    return {field: sum(check(t, records[t["id"]]) for t in posts if t["id"] in records) / len(posts) for field, check in same.items()}


@pytest.fixture(scope="module")
def fallback_crawl(generic_site, tmp_path_factory):
    return crawl_site(generic_site, ["/"], tmp_path_factory.mktemp("fallback") / "a.db")


def test_the_generic_fallback_reads_at_least_95_percent_of_an_unknown_theme_exactly(fallback_crawl):
    assert fallback_crawl.result.returncode == 0, fallback_crawl.result.stderr
    shares = exact_share(fallback_crawl, "generic")
    assert min(shares.values()) >= 0.95, shares


def test_posts_read_by_the_fallback_are_marked_and_counted_in_the_summary(fallback_crawl):
    db = sqlite_utils.Database(fallback_crawl.db)
    methods = dict(db.execute("select extraction, count(*) from posts group by extraction").fetchall())
    themes = {theme: sum(t["theme"] == theme for t in fallback_crawl.truth) for theme in ("classic", "modern", "generic")}
    assert methods == themes
    assert f"Extraction: {themes['classic']} classic, {themes['generic']} generic, {themes['modern']} modern." in fallback_crawl.result.stdout


def test_a_theme_file_brings_the_unknown_theme_to_100_percent(generic_site, tmp_path):
    crawl = crawl_site(generic_site, ["/"], tmp_path / "a.db", "--theme-file", str(THEME_FILE))
    assert crawl.result.returncode == 0, crawl.result.stderr
    assert exact_share(crawl, "generic") == {"title": 1.0, "published": 1.0, "body_text": 1.0, "categories": 1.0}
    records = crawl.records_by_id()
    assert {records[t["id"]]["comments_count"] for t in crawl.truth if t["theme"] == "generic"} == {t["comments_count"] for t in crawl.truth if t["theme"] == "generic"}
    assert "chroniques" in crawl.result.stdout


def test_reextract_applies_a_fixed_profile_without_the_network_and_keeps_revisions(generic_site, tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(THEME_FILE.read_text(encoding="utf-8").replace('body = ["div.entry-content"]', 'body = ["div.entry-content p"]'))
    db = tmp_path / "a.db"
    with ReplicaServer(generic_site) as server:
        result = run_archiver("crawl", server.base_url + "/", "--db", str(db), "--theme-file", str(wrong), *LOCAL)
        assert result.returncode == 0, result.stderr
        hits_after_crawl = sum(server.hits.values())
        reextracted = run_archiver("reextract", "--db", str(db), "--theme-file", str(THEME_FILE))
        assert sum(server.hits.values()) == hits_after_crawl  # no request reached the blog
    assert reextracted.returncode == 0, reextracted.stderr
    archive = sqlite_utils.Database(db)
    multi_paragraph = archive.execute(
        "select count(*) from revisions join posts on posts.id = revisions.post_id where posts.extraction = 'chroniques'"
    ).fetchone()[0]
    assert multi_paragraph >= 15
    assert f"{multi_paragraph} updated" in reextracted.stdout
    assert archive.execute("select count(*) from revisions join posts on posts.id = revisions.post_id where posts.extraction != 'chroniques'").fetchone()[0] == 0


@pytest.mark.parametrize("case, method", [("classic-seed", "classic"), ("modern-36-categories", "modern"), ("generic-plain", "generic")])
def test_inspect_shows_every_field_with_its_source(case, method):
    folder = PAGES / case
    url = (folder / "url.txt").read_text().strip()
    result = run_archiver("inspect", str(folder / "page.html"), "--url", url, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert (report["kind"], report["method"]) == ("post", method)
    assert report["fields"]["title"] == expected["title"] and report["fields"]["published"] == expected["published"]
    assert set(report["sources"]) >= {"title", "published", "body", "categories"}


def test_inspect_fetches_a_url_and_prints_a_table(site):
    with ReplicaServer(site) as server:
        result = run_archiver("inspect", f"{server.base_url}/archive/2022/02/04/" + next(p.name for p in (site / "archive/2022/02/04").iterdir()))
    assert result.returncode == 0, result.stderr
    assert "post page, read by: classic" in result.stdout
    assert "title           Offensive diplomatique russe en Afrique" in result.stdout
    assert "classic: h3.posttitle" in result.stdout


def test_inspect_says_when_a_page_is_not_a_post(site):
    with ReplicaServer(site) as server:
        result = run_archiver("inspect", f"{server.base_url}/relations-mali-russie/")
    assert result.returncode == 0
    assert "not a post page: category, modern theme; links found: 4 posts" in result.stdout


def test_inspect_of_something_unreadable_is_one_error_line(tmp_path):
    result = run_archiver("inspect", str(tmp_path / "missing.html"))
    assert result.returncode == 2 and result.stderr.startswith("Error: ")
