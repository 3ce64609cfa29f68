"""The Atom 1.0 feed of the archive's changes: `changes.xml` beside the offline reader, `archiver export atom FILE`.

One entry per change record (archiver.views.changes) that the crawls after the first one saw (the first crawl
is where the archive starts, not a change of the blog), newest first. In `changes.xml` an entry links to the
reader's page of its post (relative, so the folder reads from file:// or anywhere it is copied) and to the
original; alone, to the original. Feed readers keep the entries they have seen: the blog's changes can be
followed even after the blog is gone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from sqlite_utils import Database

from archiver import urls
from archiver.store import blog_identity
from archiver.store import changes as stored
from archiver.store.connection import reading
from archiver.views.changes import archive_changes
from archiver.whole_files import write_text_whole

ATOM = "http://www.w3.org/2005/Atom"
GENERATOR = "blog-archiver"
# What an entry's title says before the post's title.
KIND_TITLES = {"new": "New post", "edited": "Edited", "categories": "Categories changed", "comments-added": "New comments",
               "comments-removed": "Comments removed", "gone": "Gone", "returned": "Back"}
# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_changes(db: Database) -> list[dict]:
    """The change records the feed holds: those seen since the second run started, newest first."""
    start = stored.feed_start(db)
    return archive_changes(db, start) if start else []


def changes_feed(db: Database, *, pages: dict[str, str] | None = None, title: str | None = None) -> str:
    """The feed as XML text. `pages`: post id -> the reader's page of that post, relative to the feed (given
    for `changes.xml`; then the feed also links to the reader's home); `title`: the blog's name if known."""
    return _feed(db, feed_changes(db), pages, title)


def _feed(db: Database, changes: list[dict], pages: dict[str, str] | None, title: str | None) -> str:
    """The feed of these changes as XML text (see changes_feed)."""
    blog = blog_identity(db) or {}
    home = blog.get("url") or _origin(stored.first_post_url(db))
    name = blog.get("name") or title or urls.host_of(home or "") or "The blog"
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"{home}#archived-changes" if home else "urn:blog-archiver:changes")
    _add(feed, "title", f"{name}: changes seen by the archive")
    _add(feed, "updated", changes[0]["at"] if changes else _quiet_since(db))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", blog.get("author") or name)
    if pages is not None:
        _link(feed, "index.html", "alternate", "text/html")
        _link(feed, "changes.xml", "self", "application/atom+xml")
    elif home:
        _link(feed, home, "alternate", "text/html")
    _add(feed, "generator", GENERATOR)
    for change in changes:
        feed.append(_entry(change, (pages or {}).get(change["post_id"])))
    ET.register_namespace("", ATOM)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def export_atom(db_path: str | Path, path: str | Path) -> int:
    """`archiver export atom FILE`: the feed alone, written through a temporary file renamed into place; how
    many entries. The archive is opened read-only."""
    with reading(db_path) as db:
        changes = feed_changes(db)
        text = _feed(db, changes, None, None)
    write_text_whole(path, text)
    return len(changes)


def _entry(change: dict, page: str | None) -> ET.Element:
    """One change as an Atom entry: id, title, updated, links, its kind as a category, summary and details."""
    entry = ET.Element(f"{{{ATOM}}}entry")
    _add(entry, "id", f"{change['url']}#{change['kind']}-{change['at']}")
    _add(entry, "title", f"{KIND_TITLES[change['kind']]}: {change['title'] or change['url']}")
    _add(entry, "updated", change["at"])
    _link(entry, page or change["url"], "alternate", "text/html")
    if page:
        _link(entry, change["url"], "related", "text/html")
    ET.SubElement(entry, f"{{{ATOM}}}category", term=change["kind"], label=KIND_TITLES[change["kind"]])
    _add(entry, "summary", change["summary"])
    details = _details(change)
    if details:
        _add(entry, "content", details).set("type", "text")
    return entry


def _details(change: dict) -> str:
    """What changed, as plain text: lines removed and added, categories, tags, comments."""
    lines = [f"- {line}" for line in change["lines_removed"]] + [f"+ {line}" for line in change["lines_added"]]
    for kind in ("categories", "tags"):
        lines += [f"{kind} + {name}" for name in change[f"{kind}_added"]]
        lines += [f"{kind} - {name}" for name in change[f"{kind}_removed"]]
    for comment in change["comments"]:
        lines.append(f"{comment['author'] or 'Anonymous'} ({comment['published'] or 'undated'}): {comment['body_text'] or ''}")
    return "\n".join(lines)


def _add(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = NOT_XML.sub("\ufffd", text)
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", href=NOT_XML.sub("\ufffd", href), rel=rel, type=kind)


def _origin(url: str | None) -> str | None:
    """The blog's address as a post's URL gives it ("http://host/"), when no crawl kept the blog's identity."""
    host = urls.host_of(url) if url else ""
    return f"{url.split('://')[0]}://{host}/" if host else None


def _quiet_since(db: Database) -> str:
    """The feed's date when it holds no change: the last run's start, else now."""
    return stored.last_run_started(db) or datetime.now(UTC).isoformat(timespec="seconds")
