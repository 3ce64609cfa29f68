"""Each kind of bad input gets the prefix and exit status of its outcome (archiver/crawl/outcomes.py), and the
documentation says the same: a bad theme file is a `Configuration error:` (7), a missing archive or a file that is
not one a bad argument (2), an archive of another schema or a post not in it an `Error:` (1)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.crawl.outcomes import EXIT_CONFIG, EXIT_ERROR, EXIT_USAGE, OUTCOMES

PROJECT = Path(__file__).parents[2]


def documentation() -> str:
    """The README and the reference pages beside it, whitespace collapsed (a sentence may be wrapped anywhere)."""
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("**/*.md"))]
    return " ".join(" ".join(page.read_text(encoding="utf-8").split()) for page in pages)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("error-prefixes")
    (folder / "bad.toml").write_text("[theme\nname = 'x'\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a database\n" * 100, encoding="utf-8")
    (folder / "page.html").write_text("<html><body><h1>Titre</h1></body></html>", encoding="utf-8")
    store.open_archive(folder / "archive.db").close()
    store.open_archive(folder / "old.db").close()
    with sqlite3.connect(folder / "old.db") as db:
        db.execute("PRAGMA user_version = 1")
    return {name: folder / name for name in ("bad.toml", "notes.txt", "page.html", "archive.db", "old.db")} | {"missing.db": folder / "missing.db"}


CASES = {  # what is typed -> the outcome whose prefix and status it gets
    "a bad theme file for crawl": (["crawl", "http://127.0.0.1:9/", "--db", "archive.db", "--theme-file", "bad.toml"], "config"),
    "a bad theme file for reextract": (["reextract", "--db", "archive.db", "--theme-file", "bad.toml"], "config"),
    "a bad theme file for inspect": (["inspect", "page.html", "--theme-file", "bad.toml"], "config"),
    "a missing archive": (["stats", "--db", "missing.db"], "usage"),
    "a file that is not an archive": (["search", "wagner", "--db", "notes.txt"], "usage"),
    "an archive of an older schema": (["stats", "--db", "old.db"], "error"),
    "a post that is not in the archive": (["show", "6362153", "--db", "archive.db"], "error"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_its_outcomes_prefix_and_status(files, case):
    args, outcome = CASES[case]
    result = CliRunner().invoke(cli, [str(files.get(arg, arg)) for arg in args], prog_name="archiver")
    expected = OUTCOMES[outcome]
    assert (result.exit_code, result.stderr.split(": ", 1)[0]) == (expected.exit_status, expected.prefix), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_statuses_are_those_of_the_outcome_table():
    assert (OUTCOMES["config"].exit_status, OUTCOMES["config"].prefix) == (EXIT_CONFIG, "Configuration error")
    assert OUTCOMES["usage"].exit_status == EXIT_USAGE and OUTCOMES["error"].exit_status == EXIT_ERROR


def test_the_documentation_gives_a_bad_theme_file_its_configuration_error():
    text = documentation()
    assert not re.search(r"malformed (theme )?file \([^)]*\) is refused with one `Error:` line", text)
    assert re.search(r"malformed (theme )?file \([^)]*\) is refused with one `Configuration error:` line", text)


def test_the_documentation_gives_an_archive_that_cannot_be_read_status_2_as_its_table_does():
    text = documentation()
    assert not re.search(r"1 for `Error:` an archive that cannot be read", text)
    assert "| 2 | usage |" in text and "`Error: no archive at data/archive.db`" in text
