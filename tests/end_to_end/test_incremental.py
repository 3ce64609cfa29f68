"""Re-crawls: incremental by default, --revalidate, --full; what each fetches (the replica's request log) and notices."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import BASE_TOKEN, ReplicaServer, build_site, load_faults, load_ground_truth
from archiver.replica.evolve import evolve_site
from conftest import LOCAL, crawl_site, export_records, run_archiver

pytestmark = pytest.mark.timeout(300)  # the module's fixture runs six crawls, charged to its first test
POST_PATH = re.compile(r"^/archive/\d{4}/\d{2}/\d{2}/")
CATEGORIES = 50  # in the default replica
# The replica's faulty posts that never answer a post (500, broken markup, no title): every run that fails
# them queues them, and the next crawl asks them again (store.retries); the one that answers 404 is done.
RETRIED_FAULTS = ("server_error", "broken", "untitled")


def retried_faults(root) -> set[str]:
    return {fault["path"] for fault in load_faults(root) if fault["kind"] in RETRIED_FAULTS}


@dataclass
class Run:
    """One crawl of a served replica: what the CLI said, which paths it asked for, the archive after it."""

    result: subprocess.CompletedProcess
    hits: Counter
    records: dict[str, dict]

    def post_hits(self) -> set[str]:
        return {path for path in self.hits if POST_PATH.match(path)}


def crawl(server: ReplicaServer, db, *extra: str, start: str = "/") -> Run:
    """Crawl the served replica with the CLI; the server keeps its port, so stored ETags stay valid."""
    before = Counter(server.hits)
    result = run_archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *extra)
    return Run(result, Counter(server.hits) - before, {r["id"]: r for r in export_records(db)})


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def life(tmp_path_factory):
    """A replica crawled from its home page, re-crawled unchanged, then given 5 new posts, 3 edited and 1
    deleted (`evolve_site`) and crawled incrementally, then with --revalidate; the deleted post then returns.
    Kept beside the archive: the blog before it changed (before/) and the archive after the first crawl (first.db)."""
    folder = tmp_path_factory.mktemp("life")
    root, db = build_site(folder / "site").root, folder / "archive.db"
    runs = {}
    with ReplicaServer(root) as server:
        runs["first"] = crawl(server, db)
        with closing(sqlite3.connect(db)) as archive, closing(sqlite3.connect(folder / "first.db")) as copy:
            archive.backup(copy)
        runs["unchanged"] = crawl(server, db)
        runs["unchanged --revalidate"] = crawl(server, db, "--revalidate")
        shutil.copytree(root, folder / "before")
        step = evolve_site(root, add=5, edit=3, delete=1)
        runs["incremental"] = crawl(server, db)
        runs["--revalidate"] = crawl(server, db, "--revalidate")
        deleted = path_of(step.deleted[0]).lstrip("/")
        shutil.copy2(folder / "before" / deleted, root / deleted)
        runs["back"] = crawl(server, db, "--revalidate")
        changed = {"added": step.added, "edited": step.edited, "deleted": step.deleted, "faults": retried_faults(root)}
    return runs, {kind: [path_of(url) for url in urls] for kind, urls in changed.items()}, db


def ids_of(run: Run, paths: list[str]) -> set[str]:
    """The ids the archive keeps the posts at these paths under, after a run."""
    return {post_id for post_id, record in run.records.items() if path_of(record["url"]) in paths}


def test_the_first_crawl_of_an_empty_archive_is_a_full_one(life):
    runs, _, _ = life
    assert runs["first"].result.returncode == 0, runs["first"].result.stderr
    assert len(runs["first"].records) == 76 and runs["first"].hits["/atom.xml"] == 1


def test_an_unchanged_re_crawl_fetches_no_post_but_those_that_failed_and_at_most_categories_plus_3_pages_more(life):
    unchanged, faults = life[0]["unchanged"], life[1]["faults"]
    assert unchanged.result.returncode == 0, unchanged.result.stderr
    assert len(faults) == 3 and unchanged.post_hits() == set(faults)
    assert sum(unchanged.hits.values()) - sum(unchanged.hits[path] for path in faults) <= CATEGORIES + 3
    assert {"/robots.txt", "/atom.xml", "/", "/mali/", "/russie/"} <= set(unchanged.hits)
    assert "posts: 0 new, 0 updated, 0 unchanged" in unchanged.result.stdout
    assert unchanged.records == life[0]["first"].records


def test_an_unchanged_revalidation_asks_every_post_and_gets_304s(life):
    runs, _, db = life
    revalidated = runs["unchanged --revalidate"]
    assert revalidated.post_hits() >= {path_of(r["url"]) for r in runs["first"].records.values()}
    assert "posts: 0 new, 0 updated, 76 unchanged" in revalidated.result.stdout
    assert {r["id"]: r["content_hash"] for r in revalidated.records.values()} == {
        r["id"]: r["content_hash"] for r in runs["first"].records.values()}


def test_after_the_blog_changes_an_incremental_run_adds_exactly_the_new_posts(life):
    runs, changed, _ = life
    incremental = runs["incremental"]
    assert "posts: 5 new, 0 updated, 0 unchanged" in incremental.result.stdout
    assert incremental.post_hits() == set(changed["added"])  # the faulty posts wait: they failed 3 runs in a row
    assert set(incremental.records) - set(runs["unchanged"].records) == ids_of(incremental, changed["added"])
    assert not [r for r in incremental.records.values() if r["gone"]]


def test_then_a_revalidation_updates_exactly_the_edited_posts_and_keeps_their_earlier_text(life):
    runs, changed, db = life
    revalidated = runs["--revalidate"]
    assert "posts: 0 new, 3 updated, 77 unchanged" in revalidated.result.stdout
    edited = ids_of(revalidated, changed["edited"])
    assert {post_id for post_id, r in revalidated.records.items() if r["updated"] != r["first_seen"]} == edited
    exported = {r["id"]: r for r in json.loads(run_archiver("export", "json", "--db", str(db), "--with-revisions").stdout)}
    for post_id in edited:
        [revision] = exported[post_id]["revisions"]
        assert revision["body_text"] == runs["incremental"].records[post_id]["body_text"]
        assert "Mise à jour" in exported[post_id]["body_text"] and "Mise à jour" not in revision["body_text"]


def test_then_a_revalidation_marks_the_deleted_post_gone_and_keeps_it(life):
    runs, changed, _ = life
    revalidated = runs["--revalidate"]
    [gone] = [r for r in revalidated.records.values() if r["gone"]]
    assert path_of(gone["url"]) == changed["deleted"][0]
    assert gone["body_text"] == runs["incremental"].records[gone["id"]]["body_text"]


def test_then_every_other_post_answers_304_and_nothing_else_changes(life):
    runs, changed, db = life
    archive = sqlite_utils.Database(db)
    last_status = {path_of(row["url"]): row["last_status"] for row in archive["pages"].rows_where("kind = 'post'")}
    others = {path_of(r["url"]) for r in runs["incremental"].records.values()} - set(changed["edited"] + changed["deleted"])
    assert {path: last_status[path] for path in others} == {path: 304 for path in others}
    before, after = runs["incremental"].records, runs["--revalidate"].records
    for post_id in ids_of(runs["--revalidate"], sorted(others)):
        assert after[post_id] | {"last_seen": None} == before[post_id] | {"last_seen": None}
    assert archive["revisions"].count == 3 and archive["posts"].count == 81


def test_the_revalidation_summary_counts_the_deleted_post_gone_not_as_an_error_as_runs_does(life):
    runs, changed, db = life
    stdout = runs["--revalidate"].result.stdout
    assert "77 unchanged, 1 gone, 1 dropped; " in stdout
    assert changed["deleted"][0] not in stdout  # not listed among the failures
    [run] = [record for record in json.loads(run_archiver("runs", "--db", str(db), "--json").stdout) if record["posts_gone"]]
    assert (run["mode"], run["posts_gone"]) == ("revalidate", 1)
    assert f"; {run['errors']} error{'' if run['errors'] == 1 else 's'}. " in stdout  # runs and the summary agree


def test_a_gone_post_that_answers_again_is_no_longer_gone(life):
    runs, changed, _ = life
    back = runs["back"]
    assert not [r for r in back.records.values() if r["gone"]]
    assert back.hits[changed["deleted"][0]] == 1



def test_evolving_the_replica_rewrites_only_the_pages_that_change(tmp_path):
    root = build_site(tmp_path / "site").root
    before = {path: path.read_bytes() for path in root.glob("archive/*/*/*/*.html")}
    step = evolve_site(root, add=2, edit=1, delete=1)
    after = {path: path.read_bytes() for path in root.glob("archive/*/*/*/*.html")}
    changed = {"/" + str(path.relative_to(root)) for path in before.keys() & after.keys() if before[path] != after[path]}
    assert changed == {path_of(url) for url in step.edited}
    assert {"/" + str(path.relative_to(root)) for path in after.keys() - before.keys()} == {path_of(u) for u in step.added}
    assert {"/" + str(path.relative_to(root)) for path in before.keys() - after.keys()} == {path_of(u) for u in step.deleted}
    truth = {record["url"] for record in load_ground_truth(root)}
    assert set(step.added) <= truth and not set(step.deleted) & truth and len(truth) == 77


def test_a_post_the_feed_says_was_updated_is_fetched_again_by_an_incremental_run(life, tmp_path):
    kept = life[2].parent  # the replica as first crawled, and the archive that crawl left
    own, db = shutil.copytree(kept / "before", tmp_path / "site"), shutil.copy(kept / "first.db", tmp_path / "a.db")
    newest = load_ground_truth(own, BASE_TOKEN)[-1]
    page = own / path_of(newest["url"]).lstrip("/")
    html, body = page.read_text(encoding="utf-8"), '<section class="box-body" itemprop="articleBody">'
    assert body in html  # the newest post is in the modern theme
    page.write_text(html.replace(body, body + "<p>Précision ajoutée.</p>"), encoding="utf-8")
    feed = (own / "atom.xml").read_text(encoding="utf-8")
    entry_times = f"<published>{newest['published']}</published><updated>{newest['published']}</updated>"
    assert entry_times in feed
    (own / "atom.xml").write_text(feed.replace(entry_times, "<updated>2099-01-01T00:00:00+00:00</updated>"), encoding="utf-8")

    again = crawl_site(own, ["/"], db)

    assert "posts: 0 new, 1 updated, 0 unchanged" in again.result.stdout
    assert {path for path in again.hits if POST_PATH.match(path)} == {path_of(newest["url"])} | retried_faults(own)


def test_a_category_re_crawl_reads_its_feed_and_its_first_page_only(site, tmp_path):
    first = crawl_site(site, ["/russie/"], tmp_path / "a.db")
    assert first.hits.get("/archives/category/russie/index-4.html") == 1  # a first crawl walks it all

    again = crawl_site(site, ["/russie/"], tmp_path / "a.db")

    assert again.result.returncode == 0, again.result.stderr
    failed_before = {fault["path"] for fault in load_faults(site) if fault["kind"] in RETRIED_FAULTS
                     and any(category.endswith("/russie/") for category in fault["listed_in"])}
    assert set(again.hits) == {"/robots.txt", "/russie/index.rss", "/russie/"} | failed_before
    other = crawl_site(site, ["/russie/", "/mali/"], tmp_path / "a.db")  # /mali/ never crawled: a full walk
    assert {"/archives/category/russie/index-4.html", "/archives/category/mali/index-2.html"} <= set(other.hits)


def test_a_legacy_permalink_is_archived_under_the_id_its_feed_gives(tmp_path):
    root = build_site(tmp_path / "site", posts=60, drift=True).root
    legacy = next(t for t in load_ground_truth(root, BASE_TOKEN) if t["legacy"] and t["id"] is None)
    entry = (f'<entry><title>Ancienne note</title><link rel="alternate" type="text/html" href="{legacy["url"]}"/>'
             f"<id>tag:blog.replica.invalid,2007-04-30:1866121</id><updated>2007-04-30T10:00:00+02:00</updated></entry>")
    feed = (root / "atom.xml").read_text(encoding="utf-8")
    (root / "atom.xml").write_text(feed.replace("</feed>", entry + "\n</feed>"), encoding="utf-8")

    crawl = crawl_site(root, ["/"], tmp_path / "a.db")

    records = {path_of(r["url"]): r for r in export_records(tmp_path / "a.db")}
    assert records[path_of(legacy["url"])]["id"] == "1866121"
    assert len(records) == len(crawl.truth)
