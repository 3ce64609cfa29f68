"""Human and JSON renderings of what the CLI shows (inspections), kept out of the click verbs."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import datetime

from archiver.inspect import Inspection

FIELD_ORDER = ("id", "url", "title", "published", "author", "print_url", "categories", "comments_count", "body_text", "comments", "extraction")


def plain(value):
    """A value made of JSON types (datetimes as ISO 8601, dataclasses as dicts)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def inspection_json(inspection: Inspection) -> str:
    """The inspection as one JSON document."""
    return json.dumps(plain(asdict(inspection)), ensure_ascii=False, indent=2)


def _short(value, width: int = 70) -> str:
    """A field value on one line, shortened for the terminal."""
    if isinstance(value, list):
        names = [item.name if hasattr(item, "name") else (item.author or "?") for item in value]
        text = f"[{len(value)}] " + ", ".join(str(n) for n in names)
    else:
        text = " ".join(str(plain(value)).split()) if value is not None else "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def inspection_text(inspection: Inspection) -> str:
    """The inspection as a table: field, value, the selector or rule that produced it."""
    links = ", ".join(f"{n} {name}" for name, n in inspection.links.items())
    if not inspection.is_post:
        method = f", {inspection.method} theme" if inspection.method else ""
        return f"{inspection.url}\nnot a post page: {inspection.kind}{method}; links found: {links}"
    lines = [inspection.url, f"post page, read by: {inspection.method}", ""]
    body_source = inspection.sources.get("body", "-")
    for name in FIELD_ORDER:
        source = body_source if name == "body_text" else inspection.sources.get(name, "")
        if name in ("id", "url"):
            source = "permalink"
        elif name in ("comments", "extraction"):
            source = ""
        lines.append(f"  {name:<15} {_short(inspection.fields.get(name)):<72} {source or '(not found)'}")
    return "\n".join(lines)
