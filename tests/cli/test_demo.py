"""`archiver demo` archives the bundled sample blog start to finish and says what to try next, truthfully."""

import re
import subprocess

import sqlite_utils
from click.testing import CliRunner

from archiver.cli import cli
from archiver.crawl.run import CrawlSummary
from archiver.replica.demo import faults_text
from conftest import PROJECT, run_archiver


def test_demo_archives_the_sample_blog_and_suggests_next_commands_that_work(tmp_path):
    db = tmp_path / "my archives" / "blog.db"
    db.parent.mkdir()
    result = run_archiver("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "(76 posts and 4 faulty pages) served at" in result.stdout
    assert "posts: 76 new, 0 updated, 0 unchanged, 1 dropped; 4 errors." in result.stdout
    assert "the failures above are expected" in result.stdout
    assert sorted(path.name for path in db.parent.iterdir()) == ["blog-media", "blog-reader", "blog.db"]  # no -wal, -shm
    assert sqlite_utils.Database(db)["posts"].count == 76
    home = db.parent / "blog-reader" / "index.html"
    assert "The offline reader (76 posts, " in result.stdout and f"open {home.as_uri()}" in result.stdout
    assert home.is_file() and len(list((db.parent / "blog-reader" / "posts").glob("*.html"))) == 76
    commands = re.findall(r"^  (\S.*?)\s+# ", result.stdout.split("Try next:\n", 1)[1], re.MULTILINE)
    assert len(commands) == 6 and all(f"'{db}'" in command for command in commands)
    for command in commands:  # as the user would paste them, from the folder the demo ran in
        ran = subprocess.run(command, shell=True, cwd=PROJECT, capture_output=True, text=True, timeout=60)
        assert ran.returncode == 0, (command, ran.stderr)
    assert (db.parent / "blog.jsonl").stat().st_size > 0  # the export lands beside the archive


def test_the_demo_builds_exactly_the_posts_asked_in_drifted_templates_and_says_what_profiles_read(tmp_path):
    result = run_archiver("demo", "--drift", "--posts", "64", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert "in drifted templates (some keep the layout a bundled profile detects" in result.stdout
    assert "(64 posts and 4 faulty pages)" in result.stdout and " 0 warnings." in result.stdout
    assert re.search(r"Extraction: \d+ classic, \d+ generic, \d+ modern\.", result.stdout)  # as the first line says
    assert sqlite_utils.Database(tmp_path / "demo.db")["posts"].count == 64


def test_a_demo_run_without_failures_does_not_call_them_expected():
    quiet = CrawlSummary("demo.db", 1, "finished", 1.0, {}, failures=[])
    assert faults_text(quiet, 4).endswith("this run reported none of them.")
    assert "expected" not in faults_text(quiet, 4)


def test_too_few_posts_is_a_usage_error():
    result = CliRunner().invoke(cli, ["demo", "--posts", "10", "--db", "unused.db"])
    assert result.exit_code == 2 and "the sample blog has at least 64 posts" in result.output
