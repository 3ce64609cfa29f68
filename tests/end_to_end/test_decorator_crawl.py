"""Whole-blog crawls of the decorator replica with the bundled profiles on and off, and of its WordPress-style twin:
every post archived, every field as its ground truth says (comments dated by the day included), exit 0."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from archiver import store, urls
from archiver.cli import cli
from archiver.views.export_records import iter_export_records
from archiver.views.export_schema import export_record_schema
from archiver.replica.decorator import build_decorator_site
from conftest import crawl_site, normalise_space

CRAWLS = {  # name -> (blog, bundled profiles, the extraction every post is read by)
    "decorator, bundled profiles on": ("decorator", "true", "classic"),
    "decorator, bundled profiles off": ("decorator", "false", "generic"),
    "wordpress, bundled profiles on": ("wordpress", "true", "generic"),
}
SCALARS = ("title", "published", "author", "print_url", "comments_count")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Each crawl of CRAWLS from the home page, with its export: name -> (Crawl, records by URL)."""
    folder = tmp_path_factory.mktemp("decorator-crawl")
    sites = {"decorator": build_decorator_site(folder / "decorator", posts=60).root,
             "wordpress": build_decorator_site(folder / "wordpress", posts=60, wordpress=True).root}
    done = {}
    for name, (blog, bundled, _) in CRAWLS.items():
        db = folder / name.replace(",", "").replace(" ", "-") / "archive.db"
        db.parent.mkdir()
        crawl = crawl_site(sites[blog], ["/"], db, "-s", f"ARCHIVER_BUNDLED_PROFILES={bundled}", "-s", "ARCHIVER_MEDIA=false")
        archive = store.open_readonly_archive(db)
        done[name] = crawl, {record["url"]: record for record in iter_export_records(archive)}
        archive.close()
    return done


def wrong_fields(truth: dict, record: dict) -> list[str]:
    """The fields of an archived post that are not its ground truth."""
    def comments(post):
        return [(c["author"], c["author_url"], c["published"], normalise_space(c["body_text"])) for c in post["comments"]]
    wrong = [name for name in SCALARS if truth[name] != record[name]]
    wrong += [] if normalise_space(truth["body_text"]) == normalise_space(record["body_text"]) else ["body_text"]
    for field in ("categories", "tags"):  # links as the archive spells them (canonical: %27 is ')
        said = [{"name": link["name"], "url": urls.canonical_or_none(link["url"])} for link in truth[field]]
        wrong += [] if said == [{"name": c["name"], "url": c["url"]} for c in record[field]] else [field]
    return wrong + ([] if comments(truth) == comments(record) else ["comments"])


@pytest.mark.parametrize("name", CRAWLS)
def test_every_post_is_archived_with_every_field_right(crawls, name):
    crawl, records = crawls[name]
    assert crawl.result.returncode == 0, crawl.result.stdout + crawl.result.stderr[-2000:]
    assert "DRIFT" not in crawl.result.stdout and "INCOMPLETE" not in crawl.result.stdout
    assert f"Extraction: 60 {CRAWLS[name][2]}." in crawl.result.stdout
    assert sorted(records) == sorted(truth["url"] for truth in crawl.truth)
    wrong = {truth["url"]: fields for truth in crawl.truth if (fields := wrong_fields(truth, records[truth["url"]]))}
    assert wrong == {}


@pytest.mark.parametrize("name", [name for name in CRAWLS if name.startswith("decorator")])
def test_tags_are_read_for_every_tagged_post_and_never_as_categories(crawls, name):
    crawl, records = crawls[name]
    tagged = [truth for truth in crawl.truth if truth["tags"]]
    assert len(tagged) >= 20
    tag_urls = {tag["url"] for record in records.values() for tag in record["tags"]}
    assert not tag_urls & {category["url"] for record in records.values() for category in record["categories"]}


@pytest.mark.parametrize("name", [name for name in CRAWLS if name.startswith("decorator")])
def test_comments_dated_by_the_day_are_exported_as_that_day_and_valid(crawls, name):
    _, records = crawls[name]
    days = [c["published"] for record in records.values() for c in record["comments"] if DAY.match(c["published"])]
    assert len(days) >= 10  # the replica dates some posts' comments by the day alone
    validator = Draft202012Validator(export_record_schema(), format_checker=FormatChecker())
    assert [error.message for record in records.values() for error in validator.iter_errors(record)] == []


def test_the_wordpress_style_counts_and_commenters(crawls):
    crawl, records = crawls["wordpress, bundled profiles on"]
    counts = [(truth["comments_count"], records[truth["url"]]["comments_count"]) for truth in crawl.truth]
    assert sum(1 for said, _ in counts if said == 0) >= 10  # "Laisser un commentaire" / "Leave a comment": 0
    assert all(said == read for said, read in counts)
    names = [c["author"] for record in records.values() for c in record["comments"]]
    assert names and not [name for name in names if re.search(r"\b(?:dit|says|écrit)\b|:$", name)]


def test_reextract_and_inspect_honour_the_setting(crawls, tmp_path):
    crawl, records = crawls["decorator, bundled profiles off"]
    db = shutil.copytree(crawl.db.parent, tmp_path / "copy") / "archive.db"
    url = crawl.truth[-1]["url"]
    read_by = {bundled: json.loads(CliRunner().invoke(cli, ["inspect", url, "--db", str(db), "--json", "-s",
                                                            f"ARCHIVER_BUNDLED_PROFILES={bundled}"]).output)["method"]
               for bundled in ("true", "false")}
    assert read_by == {"true": "classic", "false": "generic"}
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "-s", "ARCHIVER_BUNDLED_PROFILES=true"])
    assert result.exit_code == 0, result.output
    archive = store.open_readonly_archive(db)
    again = {record["url"]: record for record in iter_export_records(archive)}
    assert {row["extraction"] for row in archive.query("SELECT extraction FROM posts")} == {"classic"}
    archive.close()
    assert again == records  # the profile reads every field as the platform's rules did
    refused = CliRunner().invoke(cli, ["reextract", "--db", str(db), "-s", "ARCHIVER_BUNDLED_PROFILES=maybe"])
    assert refused.exit_code == 7 and "ARCHIVER_BUNDLED_PROFILES='maybe' is not true or false" in refused.output
