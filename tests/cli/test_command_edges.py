"""The commands' edges: a malformed URL, a closed pipe, an archive a crawl holds, an archive of an older schema,
pages too big to read. Each is one line on stderr (or, for a closed pipe, none) and its documented status,
never a traceback, and the reading commands never change the file."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zlib

import pytest
import sqlite_utils
from click.testing import CliRunner

from archiver import store
from archiver.cli import EXIT_CLOSED_PIPE, cli
from archiver.items import Category, Comment, FetchedPage, Post
from archiver.crawl.archive_lock import ArchiveLock
from archiver.crawl.outcomes import EXIT_LOCKED, EXIT_USAGE
from archiver.replica import ReplicaServer
from archiver.store.schema import MIGRATIONS
from conftest import PROJECT, run_archiver

BLOG = "http://127.0.0.1:8000"
URL = f"{BLOG}/archive/2022/02/04/mali-6362153.html"
BIG = 16 * 2**20 + 1  # one byte over the crawl's DOWNLOAD_MAXSIZE


def save_posts(db, count: int = 30) -> None:
    """`count` posts about Mali, each with a comment, and the stored page of the first."""
    for number in range(count):
        post_id = str(6362153 + number)
        store.save_post(db, Post(post_id, URL.replace("6362153", post_id), title=f"Le Mali {number}", body_text="Bamako et Moscou. " * 40,
                                 categories=[Category("Mali", f"{BLOG}/mali/")], comments=[Comment(author="Anne", body_text="Merci.")]),
                        run_id=None)
    store.save_page(db, FetchedPage(URL, 200, "post", b"<html><body><h1>Le Mali</h1></body></html>"), run_id=None)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("edges") / "a.db"
    db = store.open_archive(path)
    save_posts(db)
    db.close()
    return path


def one_error_line(result, status: int, start: str) -> None:
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith(start) and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, start", [
    (["crawl", "http://example.com:abc/"], "Error: not a valid URL: 'http://example.com:abc/' (Port could not be cast"),
    (["crawl", "http://[::1/"], "Error: not a valid URL: 'http://[::1/' (Invalid IPv6 URL)"),
    (["show", "http://[::1/"], "Error: not a post id or a valid URL: 'http://[::1/' (Invalid IPv6 URL)"),
    (["inspect", "http://[::1/"], "Error: cannot fetch http://[::1/: Invalid IPv6 URL"),
    (["inspect", "http://example.com:abc/"], "Error: cannot fetch http://example.com:abc/: nonnumeric port: 'abc'"),
])
def test_a_malformed_url_is_one_error_line_and_status_2(archive, tmp_path, args, start):
    db = archive if args[0] == "show" else tmp_path / "a.db"
    result = run_archiver(*args, *(["--db", str(db)] if args[0] != "inspect" else []))
    one_error_line(result, EXIT_USAGE, start)
    assert list(tmp_path.iterdir()) == []


def closed_pipe_run(*args: str) -> subprocess.CompletedProcess:
    """Run `archiver ARGS` with its standard output a pipe whose reader has gone (as `| head` leaves it)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([sys.executable, "-m", "archiver", *args], cwd=PROJECT, stdout=writer, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(writer)


@pytest.mark.parametrize("command", [["export", "jsonl"], ["export", "json"], ["search", "bamako"], ["show", "6362153"], ["runs"]])
def test_a_closed_pipe_ends_the_command_quietly_with_status_141(archive, command):
    result = closed_pipe_run(*command, "--db", str(archive))
    assert (result.returncode, result.stderr) == (EXIT_CLOSED_PIPE, "")


def test_reextract_and_check_during_a_crawl_exit_75_at_once_and_check_reports_no_problem(archive):
    with ArchiveLock(archive):  # what a crawl holds for its whole life; and a batch being written
        writer = sqlite3.connect(archive, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        reextracted = run_archiver("reextract", "--db", str(archive))
        middle = time.monotonic()
        checked = run_archiver("check", "--db", str(archive))
        seconds = (middle - started, time.monotonic() - middle)
        writer.execute("ROLLBACK")
        writer.close()
    one_error_line(reextracted, EXIT_LOCKED, f"Locked: another crawl holds the archive {archive} (pid {os.getpid()} on ")
    assert reextracted.stderr.strip().endswith(": this reextract did nothing") and reextracted.stdout == ""
    one_error_line(checked, EXIT_LOCKED, f"Locked: could not check the archive {archive}: a crawl or a reextract is writing it (pid ")
    assert "PROBLEM" not in checked.stdout and checked.stdout == ""
    assert max(seconds) < 10  # neither waits for SQLite's busy timeout (10 s)


def older_archive(path, version: int = 5):
    """An archive of schema `version` as an older archiver left it (WAL, one post, one stored page)."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    for number, migration in enumerate(MIGRATIONS[:version], start=1):
        with db.atomic():  # as archiver.store.schema.ensure_schema runs each
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    db["posts"].insert({"id": "6362153", "url": URL, "title": "Le Mali", "body_text": "Bamako."})
    db["pages"].insert({"url": URL, "status": 200, "kind": "post", "html": zlib.compress(b"<h1>Le Mali</h1>")})
    db.close()  # the last connection folds the WAL into the file
    return path


READERS = {
    "export jsonl": ["export", "jsonl"], "export json": ["export", "json"], "export html": ["export", "html", "{tmp}/reader"],
    "search": ["search", "mali"], "show": ["show", "6362153"], "categories": ["categories"], "stats": ["stats"],
    "runs": ["runs"], "inspect --db": ["inspect", URL], "check": ["check"],
}


def test_no_reading_command_changes_an_archive_of_an_older_schema_and_check_repair_brings_it_up_to_date(tmp_path):
    path = older_archive(tmp_path / "old.db")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for name, args in READERS.items():
        result = CliRunner().invoke(cli, [*[arg.format(tmp=tmp_path) for arg in args], "--db", str(path)])  # in-process: cheaper
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before, name
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (name, result.stderr)
        assert not [file.name for file in tmp_path.glob("old.db-wal") if file.stat().st_size], name  # nothing written beside it either
        if name != "check":
            assert result.stderr.strip() == (f"Error: the archive {path} has schema version 5, older than this archiver's "
                                              f"{store.SCHEMA_VERSION}: reading commands never change it; bring it up to date with "
                                              f"`archiver check --repair --db {path}` (or a crawl), then try again"), name
    assert "PROBLEM schema: version 5, older than this archiver's" in result.stdout and "[--repair mends it]" in result.stdout
    repaired = run_archiver("check", "--repair", "--db", str(path))
    assert repaired.returncode == 0 and f"REPAIRED brought the schema up to date (version {store.SCHEMA_VERSION})" in repaired.stdout
    assert store.schema_version(sqlite_utils.Database(path)) == store.SCHEMA_VERSION
    assert run_archiver("show", "6362153", "--db", str(path)).stdout.startswith("Le Mali\n")


def test_check_without_repair_leaves_a_killed_crawls_last_writes_in_the_wal_and_the_file_unchanged(archive, tmp_path):
    path = tmp_path / "killed.db"
    shutil.copy(archive, path)
    killed = ("import os, sqlite3, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None); db.execute('PRAGMA wal_autocheckpoint = 0');"
              "db.execute(\"UPDATE posts SET title = 'Le Mali, écrit' WHERE id = '6362153'\"); os._exit(0)")  # no checkpoint: killed
    subprocess.run([sys.executable, "-c", killed, str(path)], check=True)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = run_archiver("check", "--db", str(path))
    assert result.returncode == 0 and result.stdout.splitlines()[-1].startswith("OK: "), result.stdout + result.stderr
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # a writer closing last would have folded the WAL in
    assert sqlite_utils.Database(path)["posts"].get("6362153")["title"] == "Le Mali, écrit"


def test_inspect_refuses_a_page_over_16_mb_without_reading_it_whole(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "big.html").write_bytes(b"<html><body>" + b"x" * BIG + b"</body></html>")
    with ReplicaServer(tmp_path / "site") as server:
        result = run_archiver("inspect", f"{server.base_url}/big.html")
    one_error_line(result, EXIT_USAGE, f"Error: {server.base_url}/big.html answered more than 16 MB (DOWNLOAD_MAXSIZE): not read")


def test_a_stored_page_that_inflates_past_16_mb_is_an_error_naming_its_url_and_the_other_pages_are_read(tmp_path):
    db = store.open_archive(tmp_path / "bomb.db")
    bomb = f"{BLOG}/archive/2022/02/05/bombe-6362154.html"
    store.save_page(db, FetchedPage(bomb, 200, "post", b"\0" * BIG), run_id=None)  # ~16 kB stored
    store.save_page(db, FetchedPage(URL, 200, "post", b"<h1>Le Mali</h1>"), run_id=None)
    pages = {page["url"]: page for page in store.iter_good_pages(db)}
    db.close()
    assert pages[URL]["body"] == b"<h1>Le Mali</h1>" and "error" not in pages[URL]
    assert (pages[bomb]["body"], pages[bomb]["error"]) == (b"", f"the stored copy of {bomb} is over 16 MB once decompressed: not read")
    result = run_archiver("inspect", bomb, "--db", str(tmp_path / "bomb.db"))
    one_error_line(result, 1, f"Error: the stored copy of {bomb} is over 16 MB once decompressed: not read")


@pytest.mark.parametrize("args", [["stats"], ["search", "Mali"], ["export", "jsonl"], ["categories"]])
def test_an_archive_damaged_past_its_schema_is_one_error_line_not_a_traceback(archive, tmp_path, args):
    damaged = tmp_path / "damaged.db"
    data = bytearray(archive.read_bytes())
    with sqlite3.connect(archive) as conn:  # the schema's pages stay whole, the root pages of the tables read do not
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name IN"
                             " ('posts', 'posts_fts', 'categories', 'post_categories') AND rootpage > 1").fetchall()
    for (page,) in roots:
        data[(page - 1) * size:page * size] = b"Z" * size
    damaged.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, [*args, "--db", str(damaged)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("Error: the archive could not be read: ")  # SQLite's words: malformed, vtable...
    assert result.output.rstrip().endswith("(a damaged file? `archiver check` says what is wrong; a backup restores it)")
    assert len(result.output.splitlines()) == 1
