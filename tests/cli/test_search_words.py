"""What search and export say about their filters: hits that keep to their schema, a "no match" that names the
filters, and suggestions for a category or tag typed in another language or case."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from archiver import store
from archiver.cli import cli
from archiver.items import Category, Comment, Post, Tag
from archiver.views.export_schema import export_record_schema, schema_registry, search_hit_schema

BLOG = "http://127.0.0.1:8000"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CATEGORIES = {"libye": Category("LIBYE", f"{BLOG}/libye/"), "defense": Category("Défense", f"{BLOG}/defense/"),
              "economie": Category("Économie", f"{BLOG}/economie/"), "diplomatie": Category("Diplomatie", f"{BLOG}/diplomatie/")}


def post(number: int, title: str, published: str, categories: list[str], tags: list[str], comments: int = 0) -> Post:
    return Post(
        id=str(6362000 + number), url=f"{BLOG}/archive/{published[:10].replace('-', '/')}/note-{6362000 + number}.html",
        title=title, published=datetime.fromisoformat(published), author="Jean", print_url=f"{BLOG}/apps/print/{number}",
        body_html=f"<p>{title}. Le groupe Wagner à Syrte.</p>", body_text=f"{title}. Le groupe Wagner à Syrte.",
        categories=[CATEGORIES[slug] for slug in categories], tags=[Tag(name, f"{BLOG}/tag/{name}") for name in tags],
        comments_count=comments,
        comments=[Comment("Paul", None, datetime.fromisoformat(published), "D'accord.", "<p>D'accord.</p>")] * comments,
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Four posts in four categories (one with an accent, one in capitals), two tagged Wagner, one gone."""
    path = tmp_path_factory.mktemp("search-words") / "archive.db"
    db = store.open_archive(path)
    run_id = store.start_run(db, [f"{BLOG}/"], now=NOW)
    for item in (post(1, "Wagner en Libye", "2019-03-02T10:00:00+01:00", ["libye", "defense"], ["Wagner"], comments=1),
                 post(2, "Syrte reprise", "2021-06-10T09:30:00+02:00", ["libye"], ["Wagner", "Haftar"]),
                 post(3, "Budget de la défense", "2022-02-04T18:00:00+01:00", ["economie", "defense"], []),
                 post(4, "Wagner et Moscou", "2023-01-15T08:00:00+01:00", ["diplomatie"], [])):
        store.save_post(db, item, run_id=run_id, now=NOW)
    store.mark_gone(db, "6362004", now=NOW)
    store.finish_run(db, run_id, status="finished", counts={}, stats={}, now=NOW)
    db.close()
    return path


def archiver(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="archiver")


# -- search --json: each line is a search hit, by the schema shipped beside the export record's ------------------


def test_each_line_of_search_json_is_a_search_hit_by_its_schema(archive):
    result = archiver("search", "wagner", "--json", "--db", str(archive))
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    validator = Draft202012Validator(search_hit_schema(), registry=schema_registry(), format_checker=FormatChecker())

    assert result.exit_code == 0 and len(hits) == 4
    assert [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}" for hit in hits for error in validator.iter_errors(hit)] == []


def test_a_search_hit_is_the_export_record_plus_rank_and_snippet_and_nothing_else(archive):
    hit = json.loads(archiver("search", "syrte", "--json", "--db", str(archive)).stdout.splitlines()[0])
    validator = Draft202012Validator(search_hit_schema(), registry=schema_registry())
    record = Draft202012Validator(export_record_schema())

    assert list(record.iter_errors({key: value for key, value in hit.items() if key not in ("rank", "snippet")})) == []
    assert [error.validator for error in validator.iter_errors(hit | {"keywords": []})] == ["unevaluatedProperties"]
    assert [error.validator for error in validator.iter_errors({k: v for k, v in hit.items() if k != "snippet"})] == ["required"]
    assert [error.validator for error in validator.iter_errors(hit | {"title": 3})] == ["type"]  # the record's rules hold


# -- the filters in words ----------------------------------------------------------------------------------------


def test_no_match_names_the_filters_it_was_searched_under(archive):
    result = archiver("search", "wagner", "--category", "LIBYE", "--since", "2020-01-01", "--until", "2020-12-31", "--db", str(archive))
    assert result.exit_code == 0
    assert result.stdout == "No post matches 'wagner' in category LIBYE since 2020-01-01 until 2020-12-31.\n"


def test_no_match_without_filters_says_only_the_query(archive):
    assert archiver("search", "tombouctou", "--db", str(archive)).stdout == "No post matches 'tombouctou'.\n"


def test_the_count_of_matches_names_the_filters_too(archive):
    result = archiver("search", "wagner", "--category", "libye", "--tag", "Haftar", "--db", str(archive))
    assert result.stdout.splitlines()[-1] == "1 post matches 'wagner' in category libye with tag Haftar."


def test_an_export_that_finds_nothing_says_under_which_filters(archive, tmp_path):
    empty = archiver("export", "jsonl", "--category", "Diplomatie", "--until", "2020", "--db", str(archive))
    written = archiver("export", "jsonl", "--tag", "wagner", "--out", str(tmp_path / "w.jsonl"), "--db", str(archive))

    assert (empty.exit_code, empty.stdout, empty.stderr) == (0, "", "No post in category Diplomatie until 2020.\n")
    assert written.stderr == f"Exported 2 posts with tag wagner to {tmp_path / 'w.jsonl'}\n"


# -- suggestions: accents and case aside, as the filters match ---------------------------------------------------


@pytest.mark.parametrize(("verb", "option", "typed", "suggested"), [
    ("search", "--category", "libya", "'LIBYE'"),
    ("search", "--category", "economy", "'Économie'"),
    ("search", "--category", "DEFENCE", "'Défense'"),
    ("export", "--category", "Lybie", "'LIBYE'"),
    ("search", "--tag", "wagnr", "'Wagner'"),
    ("export", "--tag", "HAFTER", "'Haftar'"),
])
def test_a_misspelt_category_or_tag_gets_a_suggestion_whatever_its_accents_and_case(archive, verb, option, typed, suggested):
    args = [verb, "wagner"] if verb == "search" else [verb, "jsonl"]
    result = archiver(*args, option, typed, "--db", str(archive))
    kind = option.strip("-")
    assert result.exit_code == 2
    assert result.stderr == f"Error: no {kind} {typed!r} in the archive; did you mean {suggested}?\n"


def test_categories_and_tags_are_listed_the_french_way_by_every_verb(archive, tmp_path):
    listed = [row["name"] for row in json.loads(archiver("categories", "--json", "--db", str(archive)).stdout)]
    names = [row["name"] for row in json.loads(archiver("tags", "--json", "--db", str(archive)).stdout)]
    archiver("export", "html", str(tmp_path / "reader"), "--db", str(archive))
    index = (tmp_path / "reader" / "categories.html").read_text(encoding="utf-8")

    assert listed == ["Défense", "Diplomatie", "Économie", "LIBYE"] and names == ["Haftar", "Wagner"]
    assert re.findall(r'<a href="categories/[^"]*">([^<]*)</a>', index) == ["Défense", "Diplomatie", "Économie", "LIBYE"]
