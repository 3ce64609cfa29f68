"""What changed between two versions of a post: fields, text lines, categories, tags and comments, in one line.

A version is a dict as the export record and its revisions give them (or `store.get_post` rows): `title`,
`body_text`, `body_html`, `categories` and `tags` (lists of {"name", "url"}, None when not recorded), `comments`
(the comments that version showed, None when not recorded) and the FIELD_COLUMNS it recorded (a field a version
left out is not compared). A post's record lists its removed comments too: `shown_version` keeps the ones it shows.
Pure: no database, no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from archiver import urls
from archiver.store.versions import FIELD_COLUMNS
from archiver.terminal import plural

# The fields a version is compared on, in the order a summary names them, with the words it uses.
FIELD_WORDS = {
    "title": "title", "body_text": "text", "body_html": "HTML", "published": "date", "author": "author",
    "print_url": "print link", "comments_count": "comment count", "categories": "categories", "tags": "tags",
    "comments": "comments",
}
# What identifies a comment between versions when it carries no stored id (export records have none).
COMMENT_KEY = ("author", "published", "body_text")


@dataclass
class VersionChange:
    """What changed from one version of a post to the next (`seen_at`: when the archive saw the change, if known)."""

    fields: list[str] = field(default_factory=list)  # FIELD_WORDS keys, in that order
    lines_added: list[str] = field(default_factory=list)
    lines_removed: list[str] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    categories_removed: list[str] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    comments_added: list[dict] = field(default_factory=list)
    comments_removed: list[dict] = field(default_factory=list)
    values: dict[str, tuple] = field(default_factory=dict)  # title and FIELD_COLUMNS that changed: (before, after)
    seen_at: str | None = None

    def __bool__(self) -> bool:
        return bool(self.fields)

    def summary(self) -> str:
        """One line in English: "title, text (+3 -1 lines), 2 new comments"; "no change" when nothing changed."""
        parts = []
        for name in self.fields:
            if name == "body_text":
                parts.append(f"text (+{len(self.lines_added)} -{len(self.lines_removed)} lines)")
            elif name == "body_html" and "body_text" in self.fields:
                continue  # the text's change says it
            elif name == "comments_count" and "comments" in self.fields:
                continue  # the comments' change says it
            elif name in ("categories", "tags"):
                added, removed = getattr(self, f"{name}_added"), getattr(self, f"{name}_removed")
                parts.append(f"{FIELD_WORDS[name]} (+{len(added)} -{len(removed)})")
            elif name == "comments":
                parts += [plural(len(self.comments_added), "new comment")] if self.comments_added else []
                parts += [plural(len(self.comments_removed), "comment") + " removed"] if self.comments_removed else []
            else:
                parts.append(FIELD_WORDS[name])
        return ", ".join(parts) or "no change"


def compare_versions(before: dict, after: dict) -> VersionChange:
    """What changed from `before` to `after` (two versions of one post, oldest first)."""
    change = VersionChange(seen_at=before.get("seen_until"))
    for name in ("title", *FIELD_COLUMNS):
        if name in before and name in after and _squash(before[name]) != _squash(after[name]):
            change.values[name] = (before[name], after[name])
    change.lines_removed, change.lines_added = text_lines_diff(before.get("body_text"), after.get("body_text"))
    changed = set(change.values)
    if _squash(before.get("body_text")) != _squash(after.get("body_text")):
        changed.add("body_text")
    hosts = {urls.host_of(version["url"]) for version in (before, after) if version.get("url")} - {None, ""}
    if "body_html" in before and _html_key(before.get("body_html"), hosts) != _html_key(after.get("body_html"), hosts):
        changed.add("body_html")
    for name in ("categories", "tags"):
        if before.get(name) is not None and after.get(name) is not None:
            removed, added = _names_diff(before[name], after[name])
            setattr(change, f"{name}_added", added)
            setattr(change, f"{name}_removed", removed)
            if added or removed or [n["name"] for n in before[name]] != [n["name"] for n in after[name]]:
                changed.add(name)
    if before.get("comments") is not None and after.get("comments") is not None:
        change.comments_removed, change.comments_added = _comments_diff(before["comments"], after["comments"])
        if change.comments_added or change.comments_removed:
            changed.add("comments")
    change.fields = [name for name in FIELD_WORDS if name in changed]
    return change


def shown_version(record: dict) -> dict:
    """A post's record (or `get_post` row) as the version it shows now: its comments without the removed ones."""
    comments = record.get("comments")
    return record | {"comments": [c for c in comments if not c.get("removed")] if comments is not None else None}


def post_changes(record: dict) -> list[VersionChange]:
    """Each change a post went through, oldest first: from each revision (with `revisions`) to the next version."""
    versions = [*(record.get("revisions") or ()), shown_version(record)]
    return [compare_versions(before, after) for before, after in zip(versions, versions[1:])]


def text_lines_diff(before: str | None, after: str | None) -> tuple[list[str], list[str]]:
    """The text's lines (blank lines aside, whitespace collapsed) removed and added, in text order."""
    old, new = _lines(before), _lines(after)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += old[i1:i2]
        if tag in ("replace", "insert"):
            added += new[j1:j2]
    return removed, added


def _lines(text: str | None) -> list[str]:
    return [line for line in map(_squash, (text or "").splitlines()) if line]


def _names_diff(before: list[dict], after: list[dict]) -> tuple[list[str], list[str]]:
    """Names of categories (or tags) removed and added, in their version's order."""
    old, new = [item["name"] for item in before], [item["name"] for item in after]
    return [name for name in old if name not in new], [name for name in new if name not in old]


def _comments_diff(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict]]:
    """Comments removed and added, matched by stored id when both sides have one, else by author, date and text."""
    def key(comment: dict):
        if "id" in comment and all("id" in c for c in before + after):
            return ("id", comment["id"])
        return tuple(_squash(comment.get(name)) for name in COMMENT_KEY)

    return _unmatched(before, after, key), _unmatched(after, before, key)


def _unmatched(these: list[dict], others: list[dict], key) -> list[dict]:
    """The comments of `these` with no match among `others` (each of `others` matches once)."""
    free = Counter(map(key, others))
    left = []
    for comment in these:
        if free[key(comment)]:
            free[key(comment)] -= 1
        else:
            left.append(comment)
    return left


def _html_key(html: str | None, hosts: set[str]) -> str:
    """HTML as versions compare it: whitespace collapsed, links to the post's own host (`hosts`) without it."""
    for host in hosts:
        html = re.sub(r"(?:https?:)?//" + re.escape(host) + r"(?![\w.:-])", "", html or "", flags=re.IGNORECASE)
    return _squash(html or "")


def _squash(value):
    """Text with its whitespace runs collapsed (other values as they are), so layout alone is no change."""
    return " ".join(value.split()) if isinstance(value, str) else value
