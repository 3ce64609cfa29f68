"""Re-crawls: incremental by default, --revalidate, --full; what each fetches (the replica's request log) and notices."""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import BASE_TOKEN, ReplicaServer, build_site, load_faults, load_ground_truth
from archiver.replica.evolve import evolve_site
from archiver.replica.plan import plan_site
from conftest import LOCAL, crawl_site, export_records, run_archiver

pytestmark = pytest.mark.timeout(300)  # the module's fixture runs twelve crawls, charged to its first test
POST_PATH = re.compile(r"^/archive/\d{4}/\d{2}/\d{2}/")
CATEGORIES = 50  # in the default replica
FULL_CHECK_RUNS = 3  # the rolling full check of these tests: every post read in full within 3 revalidations
REVALIDATE = ("--revalidate", "-s", f"ARCHIVER_FULL_CHECK_RUNS={FULL_CHECK_RUNS}")
# The replica's faulty posts that never answer a post (500, broken markup, no title): every run that fails
# them queues them, and the next crawl asks them again (store.retries); the one that answers 404 is done.
RETRIED_FAULTS = ("server_error", "broken", "untitled")


def retried_faults(root) -> set[str]:
    return {fault["path"] for fault in load_faults(root) if fault["kind"] in RETRIED_FAULTS}


@dataclass
class Run:
    """One crawl of a served replica: what the CLI said, which paths it asked for, the archive after it, and the
    archive's posts before it (path -> last_seen: when each post's own page was last read; gone ones left out)."""

    result: subprocess.CompletedProcess
    hits: Counter
    records: dict[str, dict]
    seen_before: dict[str, str]

    def post_hits(self) -> set[str]:
        return {path for path in self.hits if POST_PATH.match(path)}

    def rolling_share(self, asked: set[str], scope: set[str] | None = None) -> set[str]:
        """The posts the rolling full check asks on this run: ceil(K / N) of the K archived posts (of the crawl's
        `scope`), those read longest ago (ties in URL order), besides those the run asks for another reason (`asked`)."""
        posts = set(self.seen_before) if scope is None else set(self.seen_before) & scope
        share = math.ceil(len(posts) / FULL_CHECK_RUNS)
        return set(sorted(posts - asked, key=lambda path: (self.seen_before[path], path))[:share])


def crawl(server: ReplicaServer, db, *extra: str, start: str = "/") -> Run:
    """Crawl the served replica with the CLI; the server keeps its port, so stored ETags stay valid."""
    before = Counter(server.hits)
    seen = {}
    if db.exists():
        with closing(sqlite3.connect(db)) as archive:
            seen = {path_of(url): last_seen for url, last_seen in archive.execute("SELECT url, last_seen FROM posts WHERE gone IS NULL")}
    result = run_archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *extra)
    return Run(result, Counter(server.hits) - before, {r["id"]: r for r in export_records(db)}, seen)


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def life(tmp_path_factory):
    """A replica crawled from its home page, re-crawled unchanged (incremental, then --revalidate); then given 5 new
    posts, 3 edited, 1 deleted and a new comment under 10 others (`evolve_site`), and revalidated three times (the
    rolling full check reads every post within 3 runs); the deleted post then returns; last, 2 more posts and an
    incremental run, then one category revalidated; last, a revalidation that cannot read one month page. Kept beside the archive: the blog before it changed (before/) and the archive after the first
    crawl (first.db)."""
    folder = tmp_path_factory.mktemp("life")
    root, db = build_site(folder / "site").root, folder / "archive.db"
    runs = {}
    with ReplicaServer(root) as server:
        runs["first"] = crawl(server, db)
        with closing(sqlite3.connect(db)) as archive, closing(sqlite3.connect(folder / "first.db")) as copy:
            archive.backup(copy)
        runs["unchanged"] = crawl(server, db)
        runs["unchanged --revalidate"] = crawl(server, db, *REVALIDATE)
        shutil.copytree(root, folder / "before")
        step = evolve_site(root, add=5, edit=3, delete=1, comment=10)
        for number in range(1, FULL_CHECK_RUNS + 1):
            runs[f"--revalidate {number}"] = crawl(server, db, *REVALIDATE)
        deleted = path_of(step.deleted[0]).lstrip("/")
        for page in (deleted, str(Path(deleted).parent.parent / "index.html")):  # the post and its month's listing
            shutil.copy2(folder / "before" / page, root / page)
        runs["back"] = crawl(server, db, *REVALIDATE)
        later = evolve_site(root, add=2)
        runs["incremental"] = crawl(server, db)
        runs["category --revalidate"] = crawl(server, db, *REVALIDATE, start="/russie/")
        (root / UNREAD_MONTH.lstrip("/")).unlink()  # a month page the blog no longer serves (404)
        runs["unread month"] = crawl(server, db, *REVALIDATE)
        changed = {"added": step.added, "edited": step.edited, "deleted": step.deleted, "commented": step.commented,
                   "hidden": [url for url in step.edited if url in CUT_ON_LISTINGS], "later": later.added}
    changed = {kind: [path_of(url) for url in urls] for kind, urls in changed.items()}
    return runs, changed | {"faults": retried_faults(root)}, db


UNREAD_MONTH = "/archive/2022/02/index.html"
# The posts the replica's listings cut at "Lire la suite": an edit (a paragraph added at the end) hides there.
CUT_ON_LISTINGS = {post.url for post in plan_site().posts if post.more_at is not None}


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


def test_an_unchanged_revalidation_reads_the_months_not_the_categories_and_asks_only_its_rolling_share(life):
    runs, changed, _ = life
    revalidated = runs["unchanged --revalidate"]
    assert revalidated.result.returncode == 0, revalidated.result.stderr
    share = revalidated.rolling_share(asked=set())
    assert len(share) == 26  # ceil(76 / 3)
    assert revalidated.post_hits() - changed["faults"] == share  # and the failed posts whose retry is due
    assert "/archive/2022/02/index.html" in revalidated.hits and "/archives" in revalidated.hits
    assert not [path for path in revalidated.hits if path.startswith("/archives/category/") or path == "/mali/"]
    assert "posts: 0 new, 0 updated, 26 unchanged" in revalidated.result.stdout
    assert ("Revalidation: 76 posts listed, 0 changed on their listings, 0 left their listings, 26 checked in full "
            "(every post within 3 runs).") in revalidated.result.stdout
    assert {r["id"]: r["content_hash"] for r in revalidated.records.values()} == {
        r["id"]: r["content_hash"] for r in runs["first"].records.values()}


def test_the_first_revalidation_after_the_blog_changes_asks_exactly_the_posts_its_listings_show_changed(life):
    runs, changed, _ = life
    revalidated = runs["--revalidate 1"]
    assert revalidated.result.returncode == 0, revalidated.result.stderr
    visible = set(changed["edited"]) - set(changed["hidden"])
    assert changed["hidden"] and visible  # the scenario has both kinds of edits
    shown = set(changed["commented"]) | visible | set(changed["deleted"])  # the deleted post left its listing
    share = revalidated.rolling_share(asked=shown)
    assert revalidated.post_hits() - changed["faults"] == set(changed["added"]) | shown | share
    assert not set(changed["hidden"]) - share & revalidated.post_hits()  # a hidden edit waits for its turn
    updated = len(set(changed["commented"]) | visible | (share & set(changed["hidden"])))
    assert f"posts: 5 new, {updated} updated, {len(share - set(changed['hidden']))} unchanged, 1 gone, " in revalidated.result.stdout
    assert (f"Revalidation: 80 posts listed, {len(shown) - 1} changed on their listings (10 comments, {len(visible)} text), "
            f"1 left its listings, {len(share)} checked in full (every post within 3 runs).") in revalidated.result.stdout


def test_after_it_every_new_post_new_comment_visible_edit_and_the_deletion_are_archived(life):
    runs, changed, db = life
    records = {path_of(r["url"]): r for r in runs["--revalidate 1"].records.values()}
    assert set(changed["added"]) <= set(records)
    before = {path_of(r["url"]): r for r in runs["first"].records.values()}
    for path in changed["commented"]:
        assert records[path]["comments_count"] == before[path]["comments_count"] + 1
    for path in set(changed["edited"]) - set(changed["hidden"]):
        assert "Mise à jour" in records[path]["body_text"]
    [gone] = [r for r in records.values() if r["gone"]]
    assert path_of(gone["url"]) == changed["deleted"][0]
    assert gone["body_text"] == before[changed["deleted"][0]]["body_text"]  # kept


def test_the_rolling_check_finds_each_edit_hidden_past_lire_la_suite_on_its_turn_within_3_runs(life):
    runs, changed, _ = life
    found = set()
    for number in range(1, FULL_CHECK_RUNS + 1):
        run = runs[f"--revalidate {number}"]
        asked = set(changed["commented"]) | set(changed["edited"]) - set(changed["hidden"]) | set(changed["deleted"]) if number == 1 else set()
        share = run.rolling_share(asked)
        assert run.post_hits() - changed["faults"] - (set(changed["added"]) if number == 1 else set()) == asked | share
        found |= share & set(changed["hidden"])
        records = {path_of(r["url"]): r for r in run.records.values()}
        assert {path for path in changed["hidden"] if "Mise à jour" in records[path]["body_text"]} == found
    assert found == set(changed["hidden"])


def test_then_a_revalidation_keeps_the_earlier_text_of_the_edited_posts(life):
    runs, changed, db = life
    edited = ids_of(runs["back"], changed["edited"])
    exported = {r["id"]: r for r in json.loads(run_archiver("export", "json", "--db", str(db), "--with-revisions").stdout)}
    for post_id in edited:
        [revision] = exported[post_id]["revisions"]
        assert revision["body_text"] == runs["first"].records[post_id]["body_text"]
        assert "Mise à jour" in exported[post_id]["body_text"] and "Mise à jour" not in revision["body_text"]


def test_the_posts_asked_that_had_not_changed_answer_304_and_nothing_else_changes(life):
    runs, changed, db = life
    revalidated = runs["--revalidate 1"]
    archive = sqlite_utils.Database(db)
    share = revalidated.rolling_share(set(changed["commented"]) | set(changed["edited"]) | set(changed["deleted"]))
    with closing(sqlite3.connect(db)) as connection:  # the runs after it asked some again: their last status is 304 too
        last_status = {path_of(url): status for url, status in connection.execute(
            "SELECT url, last_status FROM pages WHERE kind = 'post'")}
    assert {path: last_status[path] for path in share - set(changed["hidden"])} == {path: 304 for path in share - set(changed["hidden"])}
    before, after = runs["unchanged --revalidate"].records, revalidated.records
    untouched = set(before) - ids_of(revalidated, changed["commented"] + changed["edited"] + changed["deleted"])
    for post_id in untouched:
        assert after[post_id] | {"last_seen": None} == before[post_id] | {"last_seen": None}
    assert archive["posts"].count == 83


def test_the_revalidation_summary_counts_the_deleted_post_gone_not_as_an_error_as_runs_does(life):
    runs, changed, db = life
    stdout = runs["--revalidate 1"].result.stdout
    assert " 1 gone, " in stdout
    assert changed["deleted"][0] not in stdout  # not listed among the failures
    records = json.loads(run_archiver("runs", "--db", str(db), "--json").stdout)
    [run] = [record for record in records if record["posts_gone"]]
    assert (run["mode"], run["posts_gone"]) == ("revalidate", 1)
    assert f"; {run['errors']} error{'' if run['errors'] == 1 else 's'}. " in stdout  # runs and the summary agree
    assert run["revalidation"]["left"] == 1 and run["revalidation"]["changes"]["comments"] == 10  # what it saw


def test_a_gone_post_listed_again_is_asked_and_no_longer_gone(life):
    runs, changed, _ = life
    back = runs["back"]
    assert not [r for r in back.records.values() if r["gone"]]
    assert back.hits[changed["deleted"][0]] == 1
    assert "1 returned" in back.result.stdout


def test_after_the_blog_changes_again_an_incremental_run_adds_exactly_the_new_posts(life):
    runs, changed, _ = life
    incremental = runs["incremental"]
    assert "posts: 2 new, 0 updated, 0 unchanged" in incremental.result.stdout
    assert incremental.post_hits() - changed["faults"] == set(changed["later"])
    assert set(incremental.records) - set(runs["back"].records) == ids_of(incremental, changed["later"])
    assert not [r for r in incremental.records.values() if r["gone"]]


def test_a_category_revalidation_walks_every_page_of_it_and_asks_only_the_rolling_share_of_its_posts(life):
    runs, changed, _ = life
    revalidated = runs["category --revalidate"]
    assert revalidated.result.returncode == 0, revalidated.result.stderr
    russie = {path_of(r["url"]) for r in revalidated.records.values()
              if any(path_of(category["url"]) == "/russie/" for category in r["categories"])}
    assert {"/russie/", "/archives/category/russie/index-4.html"} <= set(revalidated.hits)  # every page: counted
    assert not [path for path in revalidated.hits if path.startswith("/archive/20") and path.endswith("/index.html")]
    left = russie & set(changed["deleted"])  # its page is back, but no listing of the category shows it again
    share = revalidated.rolling_share(asked=left, scope=russie)
    assert revalidated.post_hits() - changed["faults"] == left | share
    assert len(share) == math.ceil(len(russie) / FULL_CHECK_RUNS)
    assert f"0 changed on their listings, {len(left)} left" in revalidated.result.stdout
    assert "archiver/census/short" not in revalidated.result.stdout and "INCOMPLETE" not in revalidated.result.stdout


def test_when_a_month_page_cannot_be_read_its_posts_are_asked_not_taken_for_gone(life):
    runs, changed, db = life
    unread = runs["unread month"]
    assert unread.hits[UNREAD_MONTH] == 1  # a listing gone (404) is no loss once the posts it showed are asked
    month = {path for path in unread.seen_before if path.startswith(UNREAD_MONTH.removesuffix("index.html"))}
    assert len(month) >= 2 and month <= unread.post_hits()
    assert not [r for r in unread.records.values() if r["gone"]]
    [line] = [line for line in unread.result.stdout.splitlines() if line.startswith("Revalidation: ")]
    assert "0 left their listings, 1 listing page NOT READ (first: http://127.0.0.1:" in line
    unlisted = month | set(changed["deleted"])  # the post back from gone: its page is, no listing shows it again
    assert f"{UNREAD_MONTH}): {len(unlisted)} posts no listing showed asked again" in line
    [run] = json.loads(run_archiver("runs", "--db", str(db), "--json", "--limit", "1").stdout)
    assert (run["revalidation"]["left"], run["revalidation"]["unread_count"]) == (0, 1)
    assert run["revalidation"]["unlisted"] == len(unlisted)


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
