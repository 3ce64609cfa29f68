"""What `archiver inspect` prints: the inspection of a page as text for a reader, or as JSON for a script."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime

from archiver.views.inspection import Inspection
from archiver.slow_imports import item_fields
from archiver.terminal import printable, printable_json

FIELD_ORDER = ("id", "url", "title", "published", "author", "print_url", "categories", "tags", "comments_count", "body_text",
               "comments", "extraction")


def json_ready(value):
    """A value made of JSON types (datetimes and days as ISO 8601, dataclasses as dicts)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if is_dataclass(value):
        return json_ready(asdict(value))
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    return value


def inspection_json(inspection: Inspection) -> str:
    """The inspection as one JSON document."""
    return printable_json(json.dumps(json_ready(asdict(inspection)), ensure_ascii=False, indent=2))


def _short(value, width: int = 70) -> str:
    """A field value on one line, shortened for the terminal."""
    if isinstance(value, list):
        names = [item.name if hasattr(item, "name") else (item.author or "?") for item in value]
        text = f"[{len(value)}] " + ", ".join(str(n) for n in names)
    else:
        text = " ".join(str(json_ready(value)).split()) if value is not None else "-"
    text = printable(text)  # escaped before it is cut, so the columns stay in line
    return text if len(text) <= width else text[: width - 1] + "…"


def inspection_text(inspection: Inspection) -> str:
    """The inspection as a table (field, value, the selector or rule that produced it), then the
    page's extraction warnings and notes."""
    links = ", ".join(f"{n} {name}" for name, n in inspection.links.items())
    if not inspection.is_post:
        method = f", {inspection.method} theme" if inspection.method else ""
        numbering = f"\n{_numbering(inspection.numbering)}" if inspection.numbering else ""
        return printable(f"{inspection.url}\nnot a post page: {inspection.kind}{method}; links found: {links}{numbering}")
    sources = {**(inspection.fields.get("sources") or {}), **inspection.sources}
    lines = [inspection.url, f"post page, read by: {inspection.method}", ""]
    for name in FIELD_ORDER:
        source = _source(name, sources)
        lines.append(f"  {name:<15} {_short(inspection.fields.get(name)):<72} {source or '(not found)'}")
    return printable("\n".join(lines + _doubts(inspection.fields)))


def _numbering(numbering: dict) -> str:
    """A listing page's numbering on two lines: which page it is and how it knows; how the blog numbers its pages."""
    index = "its bare first URL" if numbering["index"] is None else f"index-{numbering['index']}.html"
    if numbering["index"] is None:
        page = f"page 1 ({index})"
    elif numbering["page"] is None:
        page = f"{index}, page number not said"
    else:
        page = f"page {numbering['page']} ({index}; its {numbering['source']}: {numbering['said']!r})"
    evidence = numbering["from"]
    if not evidence:
        return f"listing page: {page}\nnumbered: unknown, nothing on this page says it"
    first = evidence[0]
    more = f"; {len(evidence) - 1} more on this page" if len(evidence) > 1 else ""
    return (f"listing page: {page}\nnumbered: {numbering['numbered']} ({first['url']} is page {first['page']}: "
            f"{first['source']}{more})")


def _source(name: str, sources: dict) -> str | None:
    """The rule that produced a field, as the table shows it."""
    if name in ("id", "url"):
        return "permalink"
    if name == "extraction":
        return "theme detection"
    return sources.get("body" if name == "body_text" else name)


def _doubts(fields: dict) -> list[str]:
    """The page's warnings and notes (what extraction doubted or remarked), or that there are none."""
    warnings = [item_fields(warning) for warning in fields.get("warnings") or []]
    notes = fields.get("notes") or []
    lines = ["", f"warnings: {len(warnings) or 'none'}"]
    lines += [f"  {w.get('kind')} ({w.get('field')}): {w.get('detail')}" for w in warnings]
    lines.append(f"notes: {len(notes) or 'none'}")
    return lines + [f"  {note}" for note in notes]
