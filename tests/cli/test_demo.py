"""`archiver demo` archives the bundled sample blog start to finish and says what to try next."""

import sqlite_utils

from conftest import run_archiver


def test_demo_archives_the_sample_blog_and_suggests_next_commands(tmp_path):
    result = run_archiver("demo", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert "posts: 76 new, 0 updated, 0 unchanged, 1 dropped; 4 errors." in result.stdout
    assert "Try next:" in result.stdout and "archiver export jsonl" in result.stdout
    assert sqlite_utils.Database(tmp_path / "demo.db")["posts"].count == 76
    home = tmp_path / "demo-reader" / "index.html"
    assert f"The offline reader (76 posts, " in result.stdout and f"open {home.as_uri()}" in result.stdout
    assert home.is_file() and len(list((tmp_path / "demo-reader" / "posts").glob("*.html"))) == 76


def test_the_demo_in_unknown_templates_archives_every_post_without_warnings(tmp_path):
    result = run_archiver("demo", "--drift", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert "no bundled profile knows" in result.stdout and " 0 warnings." in result.stdout
    assert sqlite_utils.Database(tmp_path / "demo.db")["posts"].count == 76
