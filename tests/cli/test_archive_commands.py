"""Every command that reads the archive: `--db` first-class, read-only, one `Error:` line and status 2 for a
file that is not an archive; `categories` and `stats` on a crawled replica; reading while a crawl writes."""

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
import sqlite_utils

from archiver.replica import ReplicaServer
from conftest import LOCAL, PROJECT, run_archiver

READING_COMMANDS = {
    "export": ["export", "jsonl"], "search": ["search", "mali"], "show": ["show", "6362153"],
    "categories": ["categories"], "stats": ["stats"], "runs": ["runs"], "reextract": ["reextract"],
    "inspect": ["inspect", "http://127.0.0.1:9/archive/2022/02/04/x-6362153.html"],
}


@pytest.fixture(scope="module")
def archive(home_crawl):
    assert home_crawl.result.returncode == 0, home_crawl.result.stderr
    return home_crawl


def not_archives(tmp_path):
    (tmp_path / "notes.txt").write_text("Lien permanent | Catégories : AFRICOM\n" * 50)
    sqlite_utils.Database(tmp_path / "other.db")["things"].insert({"name": "not ours"})
    return {"missing": tmp_path / "none.db", "text": tmp_path / "notes.txt", "other SQLite": tmp_path / "other.db"}


@pytest.mark.parametrize("command", sorted(READING_COMMANDS))
def test_a_missing_or_foreign_db_is_one_error_line_exit_2_and_is_left_as_it_was(command, tmp_path):
    for kind, path in not_archives(tmp_path).items():
        before = path.read_bytes() if path.exists() else None
        result = run_archiver(*READING_COMMANDS[command], "--db", str(path))
        assert result.returncode == 2, (kind, result.stderr)
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1, (kind, result.stderr)
        assert str(path) in result.stderr and result.stdout == ""
        assert (path.read_bytes() if path.exists() else None) == before, kind


def test_reading_commands_never_change_the_archive(archive):
    sqlite_utils.Database(archive.db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(archive.db.read_bytes()).hexdigest()
    for command in ("export", "search", "show", "categories", "stats", "runs"):
        assert run_archiver(*READING_COMMANDS[command], "--db", str(archive.db)).returncode == 0, command
    assert hashlib.sha256(archive.db.read_bytes()).hexdigest() == before


def test_categories_lists_every_category_with_its_number_of_posts(archive):
    found = json.loads(run_archiver("categories", "--db", str(archive.db), "--json").stdout)
    counts = {}
    for record in archive.truth:
        for category in record["categories"]:
            counts[category["name"]] = counts.get(category["name"], 0) + 1
    assert {row["name"]: row["posts"] for row in found} == counts
    text = run_archiver("categories", "--db", str(archive.db)).stdout.splitlines()
    assert any(line.split()[0] == str(counts["Relations Mali-Russie"]) and "Relations Mali-Russie" in line for line in text)
    assert text[-1] == f"{len(counts)} categories."


def test_stats_gives_posts_categories_revisions_gone_oldest_newest_last_crawl_and_size(archive):
    stats = json.loads(run_archiver("stats", "--db", str(archive.db), "--json").stdout)
    published = sorted(record["published"] for record in archive.truth if record["published"])
    assert (stats["posts"], stats["gone"], stats["revisions"]) == (len(archive.truth), 0, 0)
    assert stats["oldest_post"]["published"] == published[0] and stats["newest_post"]["published"] == published[-1]
    assert stats["last_crawl"]["outcome"] == "ok" and stats["db_size_bytes"] > 100_000
    text = run_archiver("stats", "--db", str(archive.db)).stdout
    assert f"Posts:       {len(archive.truth)} (0 gone" in text and f"Oldest post: {published[0][:10]} | " in text


def test_search_and_export_read_the_last_commit_while_a_writer_holds_the_archive(archive):
    writer = sqlite_utils.Database(archive.db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE posts SET title = 'pas encore commis' WHERE id = '6362153'")
    try:
        exported = run_archiver("export", "jsonl", "--db", str(archive.db))
        found = run_archiver("search", "commis", "--db", str(archive.db), "--json")
        stats = run_archiver("stats", "--db", str(archive.db))
    finally:
        writer.conn.rollback()
    assert exported.returncode == found.returncode == stats.returncode == 0, exported.stderr + found.stderr
    assert len(exported.stdout.splitlines()) == len(archive.truth) and found.stdout == ""


def has_a_post(db) -> bool:
    """Whether the crawl has stored a post. (A reader that came as soon as the file exists can find the
    schema half-migrated, version 1 or 5, and refuse it as too old: reported, not covered here.)"""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            return connection.execute("SELECT count(*) FROM posts").fetchone()[0] > 0
    except sqlite3.Error:  # no file yet, no table yet, or the file being created
        return False


def test_search_and_export_run_while_a_crawl_is_writing(site, tmp_path):
    db = tmp_path / "live.db"
    # the biggest category (32 posts, a third of the blog), committed every 4 items (not 50): many commits to read between
    slow = ["-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.05", "-s", "ARCHIVE_BATCH_SIZE=4"]
    with ReplicaServer(site) as server:
        crawl = subprocess.Popen([sys.executable, "-m", "archiver", "crawl", server.base_url + "/russie/", "--db", str(db), *LOCAL, *slow],
                                 cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while crawl.poll() is None and not has_a_post(db):  # not before: see has_a_post
            time.sleep(0.05)
        during = []
        while crawl.poll() is None:
            exported = run_archiver("export", "jsonl", "--db", str(db))
            found = run_archiver("search", "mali", "--db", str(db), "--json", "--limit", "100")
            during.append((crawl.poll() is None, exported, found))
        crawl.communicate(timeout=60)
    assert crawl.returncode == 0
    assert sum(alive for alive, _, _ in during) >= 2, "the crawl ended before two rounds of reading"
    for _, exported, found in during:
        assert exported.returncode == 0 and found.returncode == 0, exported.stderr + found.stderr
        assert all(json.loads(line)["id"] for line in exported.stdout.splitlines())
    sizes = [len(exported.stdout.splitlines()) for _, exported, _ in during]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1] <= 32


def test_stats_and_runs_list_the_urls_the_last_crawl_failed_on_with_their_reasons(archive):
    faulty = {fault["url"] for fault in archive.faults}
    stats = json.loads(run_archiver("stats", "--db", str(archive.db), "--json").stdout)
    assert {failure["url"] for failure in stats["last_crawl_failures"]} == faulty
    assert {(f["kind"], f["status"], f["attempts"]) for f in stats["last_crawl_failures"] if f["status"] == 500} == {("http", 500, 2)}
    [run] = json.loads(run_archiver("runs", "--db", str(archive.db), "--json", "--failures").stdout)
    assert run["failures"] == stats["last_crawl_failures"]
    text = run_archiver("runs", "--db", str(archive.db), "--failures").stdout
    assert any(line.strip().startswith("http 500 after 2 attempts: ") and line.endswith(": HTTP 500") for line in text.splitlines())
