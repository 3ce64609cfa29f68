"""The JSON Schemas of the export record (the README's "The export record") and of a search hit, shipped beside this module."""

from __future__ import annotations

import json
from importlib.resources import files

SCHEMA_FILE = "export_record.schema.json"
SEARCH_HIT_FILE = "search_hit.schema.json"  # the export record (by $ref), plus rank and snippet


def _schema(name: str) -> dict:
    return json.loads(files("archiver.views").joinpath(name).read_text(encoding="utf-8"))


def export_record_schema() -> dict:
    """The export record's JSON Schema (draft 2020-12), parsed."""
    return _schema(SCHEMA_FILE)


def search_hit_schema() -> dict:
    """The JSON Schema of a line of `archiver search --json` (draft 2020-12), parsed; it refers to the export
    record's: validate with `schema_registry()` (jsonschema's `registry=`)."""
    return _schema(SEARCH_HIT_FILE)


def schema_registry():
    """Both schemas by their $id, for a validator to follow the search hit's reference to the export record
    (a `referencing.Registry`: that package comes with jsonschema, which only the tests need)."""
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in (export_record_schema(), search_hit_schema())
    )
