"""`archiver show`: one archived post, as a reader would see it, or as its export record."""

from __future__ import annotations

from pathlib import Path

from archiver import store, urls
from archiver.errors import UsageError
from archiver.export import export_record


def find_post(db_path: str | Path, id_or_url: str) -> dict:
    """The export record (revisions included) of a post given by id, by any spelling of its URL,
    or by an alias (an old URL that redirected to it)."""
    url = urls.canonical_url(id_or_url) if "://" in id_or_url else None
    keys = dict.fromkeys(key for key in (urls.post_id(id_or_url), url, id_or_url) if key)
    db = store.open_existing_archive(db_path)
    try:
        row = next(filter(None, (store.get_post(db, key) for key in keys)), None)
    finally:
        db.close()
    if row is None:
        raise UsageError(f"no post {id_or_url!r} in {db_path}")
    return export_record(row, with_revisions=True)


def post_text(record: dict) -> str:
    """A post for the terminal: heading lines, its extraction warnings and notes, the text, its comments
    (those no longer on the page too, marked removed)."""
    categories = ", ".join(category["name"] for category in record["categories"]) or "-"
    lines = [
        record["title"] or "(untitled)",
        f"{record['published'] or 'undated'} | {record['author'] or 'unknown author'} | {record['url']}",
        f"Catégories : {categories}",
        f"Imprimer : {record['print_url'] or '-'} | {_count(record['comments_count'])}"
        + (f" | gone since {record['gone']}" if record["gone"] else "")
        + (f" | {len(record['revisions'])} earlier versions" if record.get("revisions") else ""),
        *(f"Warning ({w['field']}, {w['kind']}): {w['detail']}" for w in record.get("warnings") or []),
        *(f"Note: {note}" for note in record.get("notes") or []),
        "",
        record["body_text"] or "",
    ]
    for number, comment in enumerate(record.get("comments") or [], start=1):
        lines += ["", f"-- comment {number}: {_signature(comment)}", comment["body_text"] or ""]
    return "\n".join(lines)


def _signature(comment: dict) -> str:
    """'Anne, 2022-02-05T10:00:00+01:00', and once the page no longer shows it, when it was last seen."""
    removed = f" (removed from the page; last seen {comment['removed']})" if comment.get("removed") else ""
    return f"{comment['author'] or 'anonymous'}, {comment['published'] or 'undated'}{removed}"


def _count(comments_count: int | None) -> str:
    """'3 commentaires' as the blog prints it, or 'comments not shown'."""
    if comments_count is None:
        return "comments not shown"
    return f"{comments_count} commentaire{'s' if comments_count > 1 else ''}"
