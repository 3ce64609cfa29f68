"""Datasette's metadata: every table and column of the schema described, settings and canned queries that fit it."""

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.store.canned_queries import CANNED_QUERIES
from archiver.views.datasette_metadata import SETTINGS, datasette_metadata
from archiver.views.schema_descriptions import TABLES


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An empty archive at this archiver's schema version (store.SCHEMA_VERSION)."""
    path = tmp_path_factory.mktemp("datasette") / "monblog.db"
    store.open_archive(path).close()
    return path


@pytest.fixture(scope="module")
def schema(archive) -> dict[str, list[str]]:
    """Each table and view of the archive a user sees (FTS5's own shadow tables aside) and its columns."""
    with sqlite3.connect(archive) as db:
        names = [name for _, name, kind, *_ in db.execute("PRAGMA table_list")
                 if kind in ("table", "view", "virtual") and not name.startswith("sqlite_")]
        return {name: [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")] for name in names}


def test_every_table_and_view_of_the_schema_is_described_and_nothing_else(schema):
    assert sorted(TABLES) == sorted(schema)
    assert {"posts", "post_facets", "posts_fts", "blog"} <= set(TABLES)  # tables, the view, the FTS index, identity


def test_every_column_is_described_and_no_description_names_a_column_that_is_gone(schema):
    described = {(table, column) for table, entry in TABLES.items() for column in entry.columns}
    assert described == {(table, column) for table, columns in schema.items() for column in columns}


def test_every_description_is_a_sentence():
    texts = [text for entry in TABLES.values() for text in (entry.title, entry.description, *entry.columns.values())]
    assert all(text.strip() == text and len(text) > 3 for text in texts)
    assert all(text.endswith(".") for entry in TABLES.values() for text in (entry.description, *entry.columns.values()))


def test_the_settings_name_only_tables_and_columns_that_exist(schema):
    for table, settings in SETTINGS.items():
        columns = set(schema[table]) | {"rowid"}
        named = [settings.get(key) for key in ("sort", "sort_desc", "label_column", "fts_pk")]
        named += [facet if isinstance(facet, str) else next(iter(facet.values())) for facet in settings.get("facets", [])]
        assert {name for name in named if name} <= columns, table
        assert settings.get("fts_table", "posts_fts") in schema


def test_the_posts_facets_are_year_categories_tags_and_gone():
    assert SETTINGS["post_facets"]["facets"] == ["year", {"array": "categories"}, {"array": "tags"}, "gone"]


@pytest.mark.parametrize("name, parameter", [("posts_of_a_category", "category"), ("posts_changed_since", "since"),
                                             ("comments_by_author", "author"), ("post_versions", "post_id")])
def test_each_canned_query_runs_on_the_archive_with_its_one_parameter(archive, name, parameter):
    sql = CANNED_QUERIES[name].sql
    assert set(re.findall(r":(\w+)", sql)) == {parameter}
    with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as db:
        assert db.execute(sql, {parameter: "x"}).fetchall() == []


def test_the_metadata_names_the_database_after_the_file_and_titles_it_with_the_blogs_name():
    identity = {"name": "Cause toujours", "description": "Le blog de Jean", "author": "Jean", "url": "http://ct.hautetfort.com/"}
    metadata = datasette_metadata("monblog", identity, {"posts": 3, "gone": 1, "comments": 1, "revisions": 2})
    database = metadata["databases"]["monblog"]
    assert metadata["title"] == database["title"] == "Cause toujours"
    assert metadata["source_url"] == "http://ct.hautetfort.com/"
    assert metadata["description"] == "Le blog de Jean. The archive of Cause toujours (ct.hautetfort.com) by Jean, kept by blog-archiver."
    assert database["description"].startswith(metadata["description"]) and "post_facets" in database["description"]
    assert database["tables"]["posts"]["columns"]["gone"] == TABLES["posts"].columns["gone"]
    assert database["tables"]["post_facets"]["fts_table"] == "posts_fts"
    assert database["queries"]["post_versions"]["sql"] == CANNED_QUERIES["post_versions"].sql


def test_before_a_crawl_read_the_blogs_name_its_host_titles_it():
    newest = {"url": "https://monblog.hautetfort.com/archive/2022/02/04/note-6362153.html"}
    metadata = datasette_metadata("archive", None, {"posts": 1, "newest_post": newest})
    assert metadata["title"] == "Archive of monblog.hautetfort.com"
    assert metadata["source_url"] == "https://monblog.hautetfort.com/"


def test_the_command_writes_the_file_and_says_how_to_browse_it(archive, tmp_path):
    out = tmp_path / "metadata.json"
    result = CliRunner().invoke(cli, ["datasette-metadata", "--db", str(archive), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"datasette {archive} -m {out}" in result.stderr
    metadata = json.loads(out.read_text(encoding="utf-8"))
    assert set(metadata["databases"]) == {"monblog"}
    assert set(metadata["databases"]["monblog"]["queries"]) == set(CANNED_QUERIES)


def test_the_command_prints_the_metadata_without_out(archive):
    result = CliRunner().invoke(cli, ["datasette-metadata", "--db", str(archive)])
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "Blog archive"


@pytest.mark.parametrize("kind", ["missing", "text", "other SQLite"])
def test_a_file_that_is_no_archive_is_one_error_line_exit_2_and_nothing_is_written(kind, tmp_path):
    path = {"missing": tmp_path / "none.db", "text": tmp_path / "notes.txt", "other SQLite": tmp_path / "other.db"}[kind]
    if kind == "text":
        path.write_text("Lien permanent | Catégories : AFRICOM\n" * 50)
    elif kind == "other SQLite":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE things (name TEXT)")
    before = path.read_bytes() if path.exists() else None
    out = tmp_path / "metadata.json"
    result = CliRunner().invoke(cli, ["datasette-metadata", "--db", str(path), "--out", str(out)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert str(path) in result.stderr and not out.exists()
    assert (path.read_bytes() if path.exists() else None) == before


def test_a_folder_that_does_not_exist_is_one_error_line_exit_2(archive, tmp_path):
    result = CliRunner().invoke(cli, ["datasette-metadata", "--db", str(archive), "--out", str(tmp_path / "no" / "m.json")])
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot write ") and len(result.stderr.splitlines()) == 1


def test_the_command_leaves_the_archive_as_it_was(archive, tmp_path):
    before = archive.read_bytes()
    assert CliRunner().invoke(cli, ["datasette-metadata", "--db", str(archive), "--out", str(tmp_path / "m.json")]).exit_code == 0
    assert archive.read_bytes() == before
