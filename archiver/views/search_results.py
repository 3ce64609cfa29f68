"""`archiver search`: ranked full-text search of the archive, for a reader (text) or a script (JSON Lines)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from archiver import store
from archiver.views.export_records import export_record
from archiver.store.connection import reading
from archiver.store.search import HIT_END, HIT_START, prepare_for_search
from archiver.terminal import printable, printable_json

BRACKETS = ("[", "]")
BOLD = ("\x1b[1;33m", "\x1b[0m")  # on a terminal: matches in bold yellow


def search_archive(
    db_path: str | Path, query: str, *, categories: Sequence[str] = (), since: str | None = None,
    until: str | None = None, limit: int = 20, tags: Sequence[str] = (),
) -> store.SearchResult:
    """Search the archive at db_path (opened read-only: it may be searched while a crawl writes)."""
    with reading(db_path) as db:
        return store.search(prepare_for_search(db), query, category=list(categories), since=since, until=until,
                            limit=limit, tag=list(tags))


def search_json_lines(result: store.SearchResult) -> str:
    """One export record a line, best first, each with its "rank" (bm25, lower is better) and its
    "snippet" (matches in [brackets])."""
    lines = [
        json.dumps(export_record(hit) | {"rank": hit["rank"], "snippet": marked_snippet(hit["snippet"], BRACKETS)},
                   ensure_ascii=False, separators=(",", ":"))
        for hit in result.hits
    ]
    return printable_json("\n".join(lines))


def search_text(result: store.SearchResult, query: str, *, terminal: bool = False, filters: str = "") -> str:
    """The hits for a reader: number, title; date, categories, id; the snippet; the permalink. Then how
    many matched in all, and under which filters (`filters`: archiver.store.filters.filters_text's words)."""
    marks = BOLD if terminal else BRACKETS
    blocks = [_hit_text(number, hit, marks) for number, hit in enumerate(result.hits, start=1)]
    if not result.hits:
        return printable(f"No post matches {query!r}{filters}.")
    shown = len(result.hits)
    total = result.total if result.total is not None else f"More than {shown}"
    among = ", ranked among those with the words in their title" if result.ranked_among == "title" else ""
    more = f" (the best {shown}{among}; --limit for more)" if result.total is None or shown < result.total else ""
    matching = "post matches" if total == 1 else "posts match"
    return "\n\n".join(blocks) + printable(f"\n\n{total} {matching} {query!r}{filters}{more}.")


def _hit_text(number: int, hit: dict, marks: tuple[str, str]) -> str:
    """One hit: four lines."""
    published = (hit["published"] or "undated")[:16].replace("T", " ")
    categories = ", ".join(category["name"] for category in hit["categories"]) or "no category"
    gone = f" | gone since {hit['gone'][:10]}" if hit.get("gone") else ""
    return "\n".join([
        printable(f"{number}. {hit['title'] or '(untitled)'}"),
        printable(f"   {published} | {categories} | id {hit['id']}{gone}"),
        f"   {' '.join(marked_snippet(hit['snippet'], marks, printable).split())}",
        printable(f"   {hit['url']}"),
    ])


def marked_snippet(snippet: str | None, marks: tuple[str, str], text: Callable[[str], str] = str) -> str:
    """A snippet with its matches between the given marks, and the rest passed through `text` (`printable`
    on a terminal, where the marks themselves are escape sequences)."""
    parts = re.split(f"({HIT_START}|{HIT_END})", snippet or "")
    return "".join(marks[0] if part == HIT_START else marks[1] if part == HIT_END else text(part) for part in parts)
