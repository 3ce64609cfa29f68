"""When the blog changes between crawls: an edited post keeps its earlier version, a vanished post is marked gone;
`archiver changes` and the Atom feed of changes (changes.xml, export atom) say what changed."""

import json
import shutil
import time
from importlib.resources import files
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
import sqlite_utils
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from archiver import store, urls
from archiver.cli import cli
from archiver.replica import BASE_TOKEN, ReplicaServer, load_ground_truth
from archiver.replica.evolve import evolve_site
from conftest import LOCAL, copy_archive, crawl_site, run_archiver

ATOM = "{http://www.w3.org/2005/Atom}"
CHANGE_SCHEMA = json.loads(files("archiver.views").joinpath("change.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def own_site(site, tmp_path):
    """A private copy of the replica that a test may edit."""
    return shutil.copytree(site, tmp_path / "site")


def post_file(site, record):
    return site / urlsplit(record["url"]).path.lstrip("/")


def test_an_edited_post_is_updated_and_its_earlier_version_kept(own_site, one_page_crawl, tmp_path):
    db = copy_archive(one_page_crawl.db, tmp_path / "a.db")  # the first crawl: the session's, of the same category
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    page = post_file(own_site, record)
    page.write_text(page.read_text(encoding="utf-8").replace("Sergueï Lavrov a lancé", "Sergueï Lavrov a ensuite lancé"), encoding="utf-8")

    again = crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")  # asks every post
    assert "posts: 0 new, 1 updated, 3 unchanged" in again.result.stdout
    exported = json.loads(run_archiver("export", "json", "--db", str(db), "--with-revisions").stdout)
    post = next(p for p in exported if p["id"] == "6362153")
    assert "a ensuite lancé" in post["body_text"]
    assert len(post["revisions"]) == 1 and "Sergueï Lavrov a lancé" in post["revisions"][0]["body_text"]
    assert post["revisions"][0]["content_hash"] != post["content_hash"]


def test_a_post_that_answers_404_stays_in_the_archive_marked_gone(own_site, one_page_crawl, tmp_path):
    db = copy_archive(one_page_crawl.db, tmp_path / "a.db")  # the first crawl: the session's, of the same category
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    post_file(own_site, record).unlink()

    again = crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")  # the listing still shows it
    assert again.result.returncode == 0
    assert "3 unchanged, 1 gone, 0 dropped; 0 errors." in again.result.stdout and "HTTP 404" not in again.result.stdout
    posts = {row["id"]: row for row in sqlite_utils.Database(db)["posts"].rows}
    assert len(posts) == 4 and posts["6362153"]["gone"] is not None
    assert [row["id"] for row in posts.values() if row["gone"]] == ["6362153"]


def test_reextract_leaves_a_gone_post_gone(own_site, one_page_crawl, tmp_path):
    db = copy_archive(one_page_crawl.db, tmp_path / "a.db")  # the first crawl: the session's, of the same category
    record = next(r for r in load_ground_truth(own_site, BASE_TOKEN) if r["id"] == "6362153")
    post_file(own_site, record).unlink()
    crawl_site(own_site, ["/relations-mali-russie/"], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    gone = sqlite_utils.Database(db)["posts"].get("6362153")

    assert run_archiver("reextract", "--db", str(db)).returncode == 0  # its good page from the first crawl is re-read

    again = sqlite_utils.Database(db)["posts"].get("6362153")
    assert (again["gone"], again["last_seen"], again["url"]) == (gone["gone"], gone["last_seen"], gone["url"])


def next_second() -> None:
    """Wait for the next second: the archive's timestamps are to the second, and `changes` starts at the last
    run's start, so a post the first crawl stored in the second the next run starts would count as new (a crawl
    run seconds after the last, as runs are, never meets this)."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)


@pytest.fixture(scope="module")
def evolved(site, tmp_path_factory):
    """The replica crawled from its home page, given 5 new posts, 3 edited, 1 deleted and a new comment under 4
    others (evolve_site), then crawled again with --revalidate (one port for both: the deleted post answers 404).
    The archive, and the changes the step made: kind -> post ids, and the new comments by post id."""
    folder = tmp_path_factory.mktemp("changes")
    root, db = shutil.copytree(site, folder / "site"), folder / "archive.db"
    with ReplicaServer(root) as server:
        first = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL)
        step = evolve_site(root, add=5, edit=3, delete=1, comment=4)
        next_second()
        again = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")  # edits past "Lire la suite" too
    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    ids = lambda found: {urls.post_id(url) for url in found}  # noqa: E731
    truth = {record["id"]: record for record in load_ground_truth(root)}
    made = {"new": ids(step.added), "edited": ids(step.edited), "gone": ids(step.deleted), "comments-added": ids(step.commented)}
    return db, made, {post_id: truth[post_id]["comments"][-1] for post_id in made["comments-added"]}


def changes(*args: str) -> str:
    result = CliRunner().invoke(cli, ["changes", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_changes_json_lists_exactly_the_new_edited_gone_and_commented_posts_newest_first(evolved):
    db, made, _ = evolved
    found = [json.loads(line) for line in changes("--db", str(db), "--json").splitlines()]
    assert {(change["kind"], change["post_id"]) for change in found} == {(kind, i) for kind, ids in made.items() for i in ids}
    assert len(found) == 5 + 3 + 1 + 4
    assert [change["at"] for change in found] == sorted((change["at"] for change in found), reverse=True)
    validator = Draft202012Validator(CHANGE_SCHEMA, format_checker=FormatChecker())
    assert [error.message for change in found for error in validator.iter_errors(change)] == []


def test_an_edit_says_what_changed_in_one_line_and_a_new_comment_gives_the_comment(evolved):
    db, _, comments = evolved
    found = [json.loads(line) for line in changes("--db", str(db), "--json").splitlines()]
    for edit in (change for change in found if change["kind"] == "edited"):  # evolve adds a paragraph to each
        assert edit["summary"] == "text (+1 -0 lines)" and edit["lines_removed"] == []
        assert len(edit["lines_added"]) == 1 and edit["lines_added"][0].startswith("Mise à jour : ")
    for added in (change for change in found if change["kind"] == "comments-added"):
        truth = comments[added["post_id"]]
        assert added["summary"] == "1 new comment"
        assert added["comments"] == [{key: truth[key] for key in ("author", "published", "body_text")}]


def test_changes_reads_as_text_from_the_last_runs_start_or_from_any_date(evolved):
    db, made, _ = evolved
    text = changes("--db", str(db)).splitlines()
    assert text[0].startswith("13 changes since ") and text[0].endswith("(the last run's start), newest first:")
    assert len(text) == 14 and any(f"  edited          {post_id}  " in line for line in text for post_id in made["edited"])
    everything = changes("--db", str(db), "--since", "2000-01-01").splitlines()
    assert everything[0].startswith("89 changes since 1999-12-31 23:00:00 UTC, newest first")  # 72 + 4 seed + 13
    assert changes("--db", str(db), "--since", "2099").startswith("No change since 2098-12-31 23:00:00 UTC.")


def test_an_archive_with_no_crawl_says_so_and_prints_no_json(tmp_path):
    store.open_archive(tmp_path / "a.db").close()
    assert changes("--db", str(tmp_path / "a.db")) == "No crawl yet.\n"
    assert changes("--db", str(tmp_path / "a.db"), "--json") == ""


def feed_entries(path) -> tuple[ET.Element, list[ET.Element]]:
    """The feed's root and entries, with the elements Atom 1.0 requires checked on each."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    assert all(root.find(f"{ATOM}{name}") is not None for name in ("id", "title", "updated", "author/" + ATOM + "name"))
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        assert all((entry.findtext(f"{ATOM}{name}") or "").strip() for name in ("id", "title", "updated", "summary"))
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    return root, entries


def test_export_html_writes_changes_xml_one_entry_per_change_linking_to_the_readers_page_and_the_original(evolved, tmp_path):
    db, made, _ = evolved
    result = CliRunner().invoke(cli, ["export", "html", str(tmp_path / "reader"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    _, entries = feed_entries(tmp_path / "reader" / "changes.xml")
    assert len(entries) == 13
    for entry in entries:
        page = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert page.startswith("posts/") and (tmp_path / "reader" / page).is_file()
        assert urls.post_id(entry.find(f"{ATOM}link[@rel='related']").get("href")) == page.removeprefix("posts/").removesuffix(".html")
    kinds = sorted(entry.find(f"{ATOM}category").get("term") for entry in entries)
    assert kinds == sorted(kind for kind, ids in made.items() for _ in ids)


def test_export_atom_writes_the_feed_alone_linking_to_the_originals(evolved, tmp_path):
    db, made, _ = evolved
    result = CliRunner().invoke(cli, ["export", "atom", str(tmp_path / "changes.xml"), "--db", str(db)])
    assert result.exit_code == 0 and "Exported 13 changes" in result.stderr
    root, entries = feed_entries(tmp_path / "changes.xml")
    assert {urls.post_id(entry.find(f"{ATOM}link[@rel='alternate']").get("href")) for entry in entries} == set().union(*made.values())
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://127.0.0.1:")
    refused = CliRunner().invoke(cli, ["export", "atom", str(tmp_path / "x.xml"), "--db", str(db), "--category", "Mali"])
    assert refused.exit_code == 2 and "export atom takes no filter" in refused.output and not (tmp_path / "x.xml").exists()
