"""Options documented as alternatives are refused together, with a usage error (status 2) that names both and says
why, before anything is read or written; options of the JSON export are refused by `export html`, saying why."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.crawl.outcomes import EXIT_USAGE
from archiver.items import Post

BLOG = "http://127.0.0.1:8000"

REFUSED = {
    "crawl --revalidate --full": (
        ["crawl", "http://blog.invalid/", "--revalidate", "--full"],
        "--revalidate and --full exclude each other: a crawl runs in one mode (incremental by default, --revalidate or --full)"),
    "crawl --full --revalidate": (
        ["crawl", "http://blog.invalid/", "--full", "--revalidate"],
        "--full and --revalidate exclude each other: a crawl runs in one mode (incremental by default, --revalidate or --full)"),
    "show --json --html": (
        ["show", "101", "--json", "--html"],
        "--json and --html exclude each other: show prints one view of the post (text by default, --json, --html or --revisions)"),
    "show --revisions --json": (
        ["show", "101", "--revisions", "--json"],
        "--revisions and --json exclude each other: show prints one view of the post (text by default, --json, --html or --revisions)"),
    "inspect --db --url": (
        ["inspect", f"{BLOG}/archive/2022/02/04/bamako-101.html", "--url", f"{BLOG}/other.html", "--db", "{db}"],
        "--url and --db exclude each other: --url gives a saved file's address; with --db, TARGET is the URL of a page stored in the archive"),
    "export html --out": (
        ["export", "html", "{tmp}/reader", "--out", "{tmp}/posts.json"],
        "--out is for json and jsonl: export html writes its pages into DIR"),
    "export html --with-revisions": (
        ["export", "html", "{tmp}/reader", "--with-revisions"],
        "--with-revisions is for json and jsonl: the reader shows each post as last archived"),
    "export json --force": (
        ["export", "json", "--out", "{tmp}/posts.json", "--force"],
        "--force is for export html (files in DIR it did not write); --out FILE is replaced anyway"),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of one post."""
    path = tmp_path_factory.mktemp("exclusive") / "archive.db"
    db = store.open_archive(path)
    store.save_post(db, Post(id="101", url=f"{BLOG}/archive/2022/02/04/bamako-101.html", title="Bamako", body_text="Bamako."), run_id=None)
    db.close()
    return path


@pytest.mark.parametrize("case", REFUSED)
def test_options_that_exclude_each_other_are_a_usage_error_that_says_why_and_nothing_is_done(archive, tmp_path, case):
    args, line = REFUSED[case]
    args = [arg.format(db=archive, tmp=tmp_path) for arg in args]
    if "--db" not in args:
        args += ["--db", str(archive) if args[0] != "crawl" else str(tmp_path / "a.db")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_USAGE and result.stdout == "", result.output
    assert result.stderr.strip().splitlines()[-1] == f"Error: {line}"
    assert list(tmp_path.iterdir()) == []  # no archive made, no reader written


@pytest.mark.parametrize("args, shown", [
    (["show", "101", "--json"], '"title": "Bamako"'), (["show", "101", "--revisions"], "1 version of "),
    (["show", "101"], "Bamako\n"), (["export", "jsonl", "--with-revisions"], '"revisions":'),
])
def test_each_alternative_alone_still_works(archive, args, shown):
    result = CliRunner().invoke(cli, [*args, "--db", str(archive)])
    assert result.exit_code == 0 and shown in result.stdout, result.output
