"""The JSON Schemas of the export record (the README's "The export record") and of a search hit, shipped beside this module."""

from __future__ import annotations

import json
from importlib.resources import files

SCHEMA_FILE = "export_record.schema.json"


def export_record_schema() -> dict:
    """The export record's JSON Schema (draft 2020-12), parsed."""
    return json.loads(files("archiver.views").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
