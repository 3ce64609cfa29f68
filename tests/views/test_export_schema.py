"""The export record's JSON Schema (archiver/export_record.schema.json): real exports validate, and it follows the code."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from archiver.views.export_records import export_record
from archiver.views.export_schema import export_record_schema
from archiver.items import CHECKED_FIELDS
from archiver.replica import ReplicaServer, build_site
from archiver.replica.evolve import evolve_site
from conftest import LOCAL, run_archiver

SCHEMA = export_record_schema()
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
EXPORTS = [("jsonl",), ("json",), ("jsonl", "--with-revisions"), ("json", "--with-revisions")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The smallest replica (60 posts, 64 with the seed's) crawled from its home page, then (--revalidate) again
    after 2 posts were edited and 1 deleted."""
    folder = tmp_path_factory.mktemp("export-schema")
    root, db = build_site(folder / "site", posts=60).root, folder / "archive.db"
    with ReplicaServer(root) as server:  # one port for both crawls: the deleted post answers 404, not "refused"
        first = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL)
        evolve_site(root, edit=2, delete=1, posts=60)
        again = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL, "--revalidate")
    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    return db


@pytest.fixture(scope="module")
def printed(archive) -> dict[tuple[str, ...], str]:
    """What `archiver export FORMAT [--with-revisions]` prints, for each of EXPORTS."""
    return {args: exported(archive, *args) for args in EXPORTS}


def exported(db, *args: str) -> str:
    result = run_archiver("export", *args, "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


def parse(fmt: str, text: str) -> list[dict]:
    return json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]


def schema_errors(record: dict) -> list[str]:
    """Each way the record breaks the schema, as "path: message"."""
    return [f"{record.get('id')} /{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in VALIDATOR.iter_errors(record)]


def test_the_archive_has_what_the_schema_must_cover(printed):
    records = parse("json", printed["json", "--with-revisions"])

    assert len(records) > 60  # of its 64: as the 76-post replica's more than 70
    assert any(record["revisions"] for record in records)
    assert any(record["gone"] for record in records)
    assert any(record["print_url"] is None for record in records) and any(record["comments"] for record in records)


@pytest.mark.parametrize("args", EXPORTS, ids=" ".join)
def test_every_exported_record_validates_against_the_schema(printed, args):
    records = parse(args[0], printed[args])

    assert [error for record in records for error in schema_errors(record)] == []


@pytest.mark.parametrize("flags", [(), ("--with-revisions",)], ids=["plain", "with-revisions"])
def test_json_and_json_lines_hold_the_same_records(printed, flags):
    assert parse("json", printed["json", *flags]) == parse("jsonl", printed["jsonl", *flags])


def test_each_json_line_is_its_record_serialised_compactly(printed):
    for line in printed["jsonl", "--with-revisions"].splitlines():
        assert json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")) == line


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_to_a_file_writes_what_stdout_shows(archive, printed, tmp_path, fmt):
    out = tmp_path / f"posts.{fmt}"

    assert exported(archive, fmt, "--out", str(out)) == ""
    assert parse(fmt, out.read_text(encoding="utf-8")) == parse(fmt, printed[(fmt,)])


BREAKAGES = {
    "a missing field": (lambda record: record.pop("title"), "required"),
    "an extra field": (lambda record: record.update(keywords=[]), "unevaluatedProperties"),
    "a published date without offset": (lambda record: record.update(published="2022-02-03T10:30:00"), "oneOf"),
    "a url with a query string": (lambda record: record.update(url=record["url"] + "?page=2"), "pattern"),
    "a url with a fragment": (lambda record: record.update(url=record["url"] + "#comments"), "pattern"),
    "a comments_count that is a string": (lambda record: record.update(comments_count="3"), "type"),
    "a naive first_seen": (lambda record: record.update(first_seen="2026-11-24T10:00:00"), "pattern"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_schema_rejects(printed, breakage):
    record = parse("jsonl", printed[("jsonl",)])[0]
    assert schema_errors(record) == []
    change, rule = BREAKAGES[breakage]

    change(record)

    assert [error.validator for error in VALIDATOR.iter_errors(record)] == [rule]


def test_the_schema_lists_the_export_records_fields_in_the_codes_order():
    skeleton = export_record({"comments": [{}], "revisions": [{"categories": [{}], "comments": [{}]}],
                              "categories": [{}], "warnings": [{}]}, with_revisions=True)
    definitions = SCHEMA["$defs"]
    Draft202012Validator.check_schema(SCHEMA)

    assert definitions["record"]["required"] == [field for field in skeleton if field != "revisions"]
    assert list(definitions["record"]["properties"]) == list(skeleton)
    assert definitions["comment"]["required"] == list(skeleton["comments"][0])
    assert definitions["category"]["required"] == list(skeleton["categories"][0])
    assert definitions["revision"]["required"] == list(skeleton["revisions"][0])
    assert definitions["versionComment"]["required"] == list(skeleton["revisions"][0]["comments"][0])
    assert definitions["warning"]["required"] == list(skeleton["warnings"][0])
    assert definitions["warning"]["properties"]["field"]["enum"] == list(CHECKED_FIELDS)
