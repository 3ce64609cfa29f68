"""Bad input gets one clear line on stderr, its own non-zero status, and loses nothing."""

import os
import socket
import subprocess
import sys

import pytest
import sqlite_utils

from archiver.crawl.outcomes import EXIT_CONFIG, EXIT_UNREACHABLE
from archiver.store import open_archive

from conftest import LOCAL, run_archiver


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_blog_exits_5_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    result = run_archiver("crawl", url, "--db", str(tmp_path / "a.db"), *LOCAL, "-s", "RETRY_TIMES=0")
    assert result.returncode == EXIT_UNREACHABLE
    assert result.stderr.strip().splitlines()[-1].startswith(f"Unreachable: nothing answered: {url}: ")
    assert sqlite_utils.Database(tmp_path / "a.db")["crawl_failures"].count >= 1


def test_a_file_that_is_not_an_archive_is_refused_and_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(notes))
    assert result.returncode == 2 and result.stderr.strip() == f"Error: {notes} is not an archive: file is not a database"
    assert len(result.stderr.strip().splitlines()) == 1
    assert notes.read_text() == "not a database\n" * 100


def test_a_sqlite_file_of_something_else_is_refused_and_gets_none_of_our_tables(tmp_path):
    sqlite_utils.Database(tmp_path / "other.db")["things"].insert({"name": "not ours"})
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "other.db"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'other.db'} is not an archive: a SQLite database of something else (tables: things)"
    assert sqlite_utils.Database(tmp_path / "other.db").table_names() == ["things"]


def test_a_malformed_setting_is_a_configuration_error_and_touches_nothing(tmp_path):
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", "DOWNLOAD_DELAY")
    assert result.returncode == EXIT_CONFIG
    assert result.stderr.strip() == "Configuration error: setting 'DOWNLOAD_DELAY' is not NAME=VALUE"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("setting, reason", [
    ("CONCURRENT_REQUESTS_PER_DOMAIN=2.5", "setting CONCURRENT_REQUESTS_PER_DOMAIN='2.5' is not a whole number (default: 2)"),
    ("ROBOTSTXT_OBEY=maybe", "setting ROBOTSTXT_OBEY='maybe' is not true or false (default: True)"),
    ("ARCHIVER_CRAWL_MODE=everything", "setting ARCHIVER_CRAWL_MODE='everything' is not one of incremental, revalidate, full"),
    ("ARCHIVER_FULL_CHECK_RUNS=0", "setting ARCHIVER_FULL_CHECK_RUNS='0' is not between 1 and 1000 (the runs within which "
                                   "--revalidate reads every post in full)"),
    ("ARCHIVER_FULL_CHECK_RUNS=weekly", "setting ARCHIVER_FULL_CHECK_RUNS='weekly' is not a whole number (default: 8)"),
])
def test_a_setting_value_the_crawl_cannot_read_is_a_configuration_error(tmp_path, setting, reason):
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", setting)
    assert (result.returncode, result.stderr.strip()) == (EXIT_CONFIG, f"Configuration error: {reason}")
    assert list(tmp_path.iterdir()) == []


def test_exporting_a_missing_archive_is_an_error_not_an_empty_file(tmp_path):
    result = run_archiver("export", "json", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.json"))
    assert result.returncode == 2 and result.stderr.startswith("Error: ")
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "x.json").exists()


def test_a_bad_date_filter_is_an_error(tmp_path):
    open_archive(tmp_path / "a.db").close()
    result = run_archiver("export", "jsonl", "--db", str(tmp_path / "a.db"), "--since", "hier soir")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and "hier soir" in result.stderr


def test_archiver_db_environment_variable_is_the_default_archive(tmp_path):
    env = {**os.environ, "ARCHIVER_DB": str(tmp_path / "env.db")}
    result = subprocess.run([sys.executable, "-m", "archiver", "crawl", f"http://127.0.0.1:{closed_port()}/", *LOCAL],
                            env=env, capture_output=True, text=True)
    assert result.returncode == EXIT_UNREACHABLE
    assert (tmp_path / "env.db").exists()


def test_reextract_of_a_missing_archive_is_an_error_and_creates_nothing(tmp_path):
    result = run_archiver("reextract", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and result.stderr.strip() == f"Error: no archive at {tmp_path / 'none.db'}"
    assert not (tmp_path / "none.db").exists()


def test_a_bad_theme_file_stops_the_crawl_before_it_starts(tmp_path):
    theme = tmp_path / "bad.toml"
    theme.write_text('name = "x"\n[post]\ntitle = ["h2[["]\n')
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--theme-file", str(theme))
    assert result.returncode == EXIT_CONFIG and "invalid selector 'h2[['" in result.stderr
    assert result.stderr.startswith("Configuration error: ")
    assert list(tmp_path.iterdir()) == [theme]


def test_a_log_file_that_cannot_be_written_is_a_configuration_error(tmp_path):
    (tmp_path / "logs").write_text("a file, not a folder\n")
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--log-file", str(tmp_path / "logs" / "crawl.log"))
    assert result.returncode == EXIT_CONFIG
    assert result.stderr.startswith(f"Configuration error: cannot append to the log file {tmp_path / 'logs' / 'crawl.log'}: ")
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("start, status, line", [
    ("ftp://blog.example/", 2, "Error: not an http(s) URL: 'ftp://blog.example/'"),
    ("monblog.hautetfort.com", 2, "Error: not an http(s) URL: 'monblog.hautetfort.com' (did you mean https://monblog.hautetfort.com/ ?)"),
    ("http://blog.invalid/", EXIT_UNREACHABLE, "Error: host blog.invalid does not resolve ("),
])
def test_a_start_url_that_cannot_be_crawled_is_one_error_line_before_anything_is_written(tmp_path, start, status, line):
    result = run_archiver("crawl", start, "--db", str(tmp_path / "a.db"), *LOCAL)
    assert result.returncode == status and result.stdout == ""
    assert result.stderr.startswith(line) and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("db, reason", [
    ("missing/a.db", "the folder {tmp}/missing of the archive {tmp}/missing/a.db does not exist (create it first: mkdir -p {tmp}/missing)"),
    ("/sys/a.db", "cannot write in the folder /sys of the archive /sys/a.db: "),
])
def test_an_archive_in_a_missing_or_read_only_folder_is_refused_before_anything_is_written(tmp_path, db, reason):
    path = db if db.startswith("/") else str(tmp_path / db)
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", path, *LOCAL)
    assert result.returncode == 2 and result.stderr.startswith("Error: " + reason.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_setting_name_is_a_configuration_error_that_names_the_close_one(tmp_path):
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", "DOWNLAOD_DELAY=0")
    assert result.returncode == EXIT_CONFIG
    assert result.stderr.strip() == ("Configuration error: unknown setting 'DOWNLAOD_DELAY' (neither Scrapy nor the "
                                     "archiver has it); did you mean DOWNLOAD_DELAY?")
    assert list(tmp_path.iterdir()) == []
