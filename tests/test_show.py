"""`archiver show`: one archived post with its comments, by id or by any spelling of its URL."""

import json

import pytest

from conftest import crawl_site, run_archiver


@pytest.fixture(scope="module")
def archive(site, tmp_path_factory):
    db = tmp_path_factory.mktemp("show") / "a.db"
    crawl = crawl_site(site, ["/relations-mali-russie/"], db)
    return db, crawl.truth_by_id()["6362153"]


def test_show_prints_the_post_and_its_comments_in_order(archive):
    db, truth = archive
    result = run_archiver("show", "6362153", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(truth["title"] + "\n")
    authors = [line for line in result.stdout.splitlines() if line.startswith("-- comment ")]
    assert [line.split(": ", 1)[1].split(",")[0] for line in authors] == [c["author"] for c in truth["comments"]]


def test_show_finds_a_post_by_a_tracking_url_and_prints_its_record_as_json(archive):
    db, truth = archive
    result = run_archiver("show", truth["url"] + "?utm_source=rss#comments", "--db", str(db), "--json")
    record = json.loads(result.stdout)
    assert (record["id"], record["comments_count"], len(record["comments"])) == ("6362153", truth["comments_count"], len(truth["comments"]))
    assert record["revisions"] == []


def test_show_of_an_unknown_post_is_one_error_line(archive):
    db, _ = archive
    result = run_archiver("show", "999", "--db", str(db))
    assert result.returncode == 1 and result.stderr.strip() == f"Error: no post '999' in {db}"
