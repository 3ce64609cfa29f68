"""`archiver show`: one archived post, as a reader would see it, as a web page, or as its export record."""

from __future__ import annotations

import difflib
import html
from pathlib import Path

from archiver import store, urls
from archiver.errors import MalformedURL, NotFound, UsageError
from archiver.views.export_records import export_record
from archiver.reader.images import offline_body
from archiver.store.connection import reading
from archiver.store.media import media_store
from archiver.terminal import printable

# The page `show --html` writes runs nothing and loads nothing from the network: images come from the archive's
# media folder (file:), the others are links to their original address.
HTML_POLICY = "default-src 'none'; img-src file: data:; style-src 'unsafe-inline'"


def find_post_record(db_path: str | Path, id_or_url: str) -> dict:
    """The export record (revisions included) of a post given by id, by any spelling of its URL,
    or by an alias (an old URL that redirected to it)."""
    return export_record(find_post_row(db_path, id_or_url), with_revisions=True)


def find_post_row(db_path: str | Path, id_or_url: str) -> dict:
    """The archive's row of a post (as `store.get_post` gives it) given by id, URL or alias; UsageError for
    text that is no id or URL at all (not UTF-8, a malformed URL), NotFound for a post not in the archive."""
    try:
        id_or_url.encode("utf-8")
        url = urls.canonical_url(id_or_url) if "://" in id_or_url else None
        keys = dict.fromkeys(key for key in (urls.post_id(id_or_url), url, id_or_url) if key)
    except UnicodeEncodeError as error:  # bytes from the command line that are not UTF-8
        raise UsageError(f"{id_or_url.encode('utf-8', 'backslashreplace').decode()!r} is not UTF-8 text: no post id or URL") from error
    except MalformedURL as error:  # a port that is not a number, an unclosed [IPv6 host]...: says "not a URL: ..."
        raise UsageError(f"not a post id or a valid URL: {str(error).removeprefix('not a URL: ')}") from error
    with reading(db_path) as db:
        row = next(filter(None, (store.get_post(db, key) for key in keys)), None)
    if row is None:
        raise NotFound(f"no post {id_or_url!r} in {db_path}")
    return row


def local_images(row: dict, db_path: str | Path) -> dict[str, str]:
    """The post's images the crawl downloaded into the archive's media folder: original URL -> file: URI."""
    folder = media_store(db_path).resolve()
    found = {}
    for item in row.get("media") or []:
        path = (folder / item["path"]).resolve() if item.get("path") else None
        if path is not None and path.is_relative_to(folder) and path.is_file():
            found[item["url"]] = path.as_uri()
    return found


def post_text(record: dict) -> str:
    """A post for the terminal: heading lines, its extraction warnings and notes, the text, its comments
    (those no longer on the page too, marked removed)."""
    categories = ", ".join(category["name"] for category in record["categories"]) or "-"
    tags = ", ".join(tag["name"] for tag in record.get("tags") or []) or "-"
    lines = [
        record["title"] or "(untitled)",
        f"{record['published'] or 'undated'} | {record['author'] or 'unknown author'} | {record['url']}",
        f"Catégories : {categories}",
        f"Tags : {tags}",
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
    return printable("\n".join(lines))


def _signature(comment: dict) -> str:
    """'Anne, 2022-02-05T10:00:00+01:00', and once the page no longer shows it, when it was last seen."""
    removed = f" (removed from the page; last seen {comment['removed']})" if comment.get("removed") else ""
    return f"{comment['author'] or 'anonymous'}, {comment['published'] or 'undated'}{removed}"


def _count(comments_count: int | None) -> str:
    """'3 commentaires' as the blog prints it, or 'comments not shown'."""
    if comments_count is None:
        return "comments not shown"
    return f"{comments_count} commentaire{'s' if comments_count > 1 else ''}"


def revisions_text(record: dict) -> str:
    """The post's versions, oldest first, each with when it was seen and what the next one changed."""
    versions = [*record["revisions"], {**record, "seen_from": record["updated"], "seen_until": None}]
    lines = [f"{len(versions)} version{'s' if len(versions) > 1 else ''} of {record['url']}, oldest first:"]
    for number, (version, following) in enumerate(zip(versions, [*versions[1:], None]), start=1):
        until = version["seen_until"] or "now (the archived version)"
        lines.append(f"{number}. {version['title'] or '(untitled)'}")
        lines.append(f"   seen from {version['seen_from']} until {until}; content hash {version['content_hash'][:12]}")
        if following is not None:
            lines.append(f"   then changed: {', '.join(_changes(version, following)) or 'nothing a reader sees'}")
    return printable("\n".join(lines))


FIELD_LABELS = {"published": "date", "author": "author", "print_url": "print link", "comments_count": "comment count"}


def _changes(old: dict, new: dict) -> list[str]:
    """What differs between two versions: title, text (lines added / removed), HTML, categories, tags, comments,
    date, author, print link, comment count."""
    changes = []
    if old["title"] != new["title"]:
        changes.append(f"title (was {old['title']!r})")
    if old["body_text"] != new["body_text"]:
        diff = list(difflib.ndiff((old["body_text"] or "").splitlines(), (new["body_text"] or "").splitlines()))
        added, removed = sum(line.startswith("+ ") for line in diff), sum(line.startswith("- ") for line in diff)
        changes.append(f"text (+{added} / -{removed} lines)")
    elif old["body_html"] != new["body_html"]:
        changes.append("markup only")
    for key in ("categories", "tags", "comments"):
        if old.get(key) is not None and _names(old[key], key) != _names(new.get(key) or [], key):
            changes.append(key)
    for key, label in FIELD_LABELS.items():  # recorded in revisions since schema 8 (absent: not recorded)
        if key in old and old[key] != new.get(key):
            changes.append(f"{label} (was {old[key]!r})")
    return changes


def _names(rows: list[dict], key: str) -> list:
    """What identifies categories or tags (names) or live comments (author, date, text) when comparing versions."""
    if key in ("categories", "tags"):
        return [row["name"] for row in rows]
    return [(row["author"], row["published"], row["body_text"]) for row in rows if not row.get("removed")]


def post_html(record: dict, images: dict[str, str] | None = None) -> str:
    """The post as a standalone web page: title, date, categories, body, comments (sanitised HTML as archived,
    each image from its copy in `images`, original URL -> file: URI, or else a link to its address; a content
    policy that lets no script run and nothing load from the network)."""
    e = html.escape
    categories = ", ".join(f'<a href="{e(c["url"] or "")}">{e(c["name"] or "")}</a>' for c in record["categories"])
    tags = ", ".join(f'<a href="{e(t["url"])}">{e(t["name"] or "")}</a>' if t["url"] else e(t["name"] or "")
                     for t in record.get("tags") or [])
    comments = "".join(
        f'<li><p class="signature">{e(_signature(comment))}</p>'
        f'{offline_body(comment["body_html"], record["url"], images or {}) or e(comment["body_text"] or "")}</li>'
        for comment in record["comments"]
    )
    print_link = f' | <a href="{e(record["print_url"])}">Imprimer</a>' if record["print_url"] else ""
    return printable(f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{HTML_POLICY}">
<title>{e(record["title"] or "(untitled)")}</title>
</head>
<body>
<article>
<h1>{e(record["title"] or "(untitled)")}</h1>
<p class="meta">{e(record["published"] or "undated")} | {e(record["author"] or "unknown author")} | <a href="{e(record["url"])}">Lien permanent</a>{print_link}</p>
<p class="categories">Catégories : {categories or "-"}</p>
<p class="tags">Tags : {tags or "-"}</p>
{offline_body(record["body_html"], record["url"], images or {})}
</article>
<section class="comments">
<h2>{e(_count(record["comments_count"]))}</h2>
<ol>{comments}</ol>
</section>
</body>
</html>
""")
