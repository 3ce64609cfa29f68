"""Bad input gets one clear `Error:` line, a non-zero status, and loses nothing."""

import os
import socket
import subprocess
import sys

import sqlite_utils

from archiver.store import open_archive

from conftest import run_archiver


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_blog_exits_non_zero_with_one_line(tmp_path):
    result = run_archiver("crawl", f"http://127.0.0.1:{closed_port()}/", "--db", str(tmp_path / "a.db"), "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: nothing was fetched: ")
    assert sqlite_utils.Database(tmp_path / "a.db")["crawl_failures"].count == 1


def test_a_file_that_is_not_an_archive_is_refused_and_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(notes))
    assert result.returncode == 1 and result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert notes.read_text() == "not a database\n" * 100


def test_a_malformed_setting_is_refused(tmp_path):
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", "DOWNLOAD_DELAY")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: setting 'DOWNLOAD_DELAY' is not NAME=VALUE"


def test_exporting_a_missing_archive_is_an_error_not_an_empty_file(tmp_path):
    result = run_archiver("export", "json", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1 and result.stderr.startswith("Error: ")
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "x.json").exists()


def test_a_bad_date_filter_is_an_error(tmp_path):
    open_archive(tmp_path / "a.db").close()
    result = run_archiver("export", "jsonl", "--db", str(tmp_path / "a.db"), "--since", "hier soir")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and "hier soir" in result.stderr


def test_archiver_db_environment_variable_is_the_default_archive(tmp_path):
    env = {**os.environ, "ARCHIVER_DB": str(tmp_path / "env.db")}
    result = subprocess.run([sys.executable, "-m", "archiver", "crawl", f"http://127.0.0.1:{closed_port()}/", "-s", "RETRY_TIMES=0"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert (tmp_path / "env.db").exists()


def test_reextract_of_a_missing_archive_is_an_error_and_creates_nothing(tmp_path):
    result = run_archiver("reextract", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and result.stderr.strip() == f"Error: no archive at {tmp_path / 'none.db'}"
    assert not (tmp_path / "none.db").exists()


def test_a_bad_theme_file_stops_the_crawl_before_it_starts(tmp_path):
    theme = tmp_path / "bad.toml"
    theme.write_text('name = "x"\n[post]\ntitle = ["h2[["]\n')
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--theme-file", str(theme))
    assert result.returncode == 1 and "invalid selector 'h2[['" in result.stderr
    assert not (tmp_path / "a.db").exists()
