"""`archiver reextract`: run extraction again over the raw pages kept in the archive, with no network."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from scrapy.exceptions import DropItem

from archiver import store, urls
from archiver.pipelines.clean import Clean
from archiver.pipelines.validate import Validate
from archiver.errors import ArchiveError
from archiver.extract import extract_post, page_selector
from archiver.extract.profiles import Profile
from archiver.extract.recognise import Archived, not_the_post, quoted, recognise
from archiver.extract.text import collapse
from archiver.items import Post
from archiver.store.versions import FIELD_COLUMNS
from archiver.terminal import plural

BATCH_SIZE = 200
# What a re-read post must still have when its archived version had it: else the same page "no longer reads as
# the post" (a broken theme file), and the archived version stays.
KEPT_FIELDS = ("title", "body_text", *FIELD_COLUMNS, "categories")  # categories: how many it had
FAILURE_KINDS = ("not-the-post", "unreadable", "failed")


class DropCounts(Counter):
    """The part of Scrapy's stats API the Validate pipeline uses (`inc_value`), counting drop reasons."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count


@dataclass(frozen=True)
class Failure:
    """A stored page whose post was not saved again: "not-the-post", "unreadable" or "failed", and why."""

    url: str
    kind: str
    reason: str


class Reextraction(Counter):
    """The outcome counts of a re-extraction, and its `failures` (each named, in page order)."""

    def __init__(self):
        super().__init__()
        self.failures: list[Failure] = []

    def fail(self, url: str, kind: str, reason: str) -> None:
        self[kind] += 1
        self.failures.append(Failure(url, kind, reason))


def reextract(db_path: str | Path, profiles: tuple[Profile, ...]) -> Reextraction:
    """Re-read each post from its newest good stored page (by fetch time); save what changed (keeping
    revisions) with its current sources, warnings and notes. Its URL, `last_seen` and `gone` stay as the
    last crawl left them; a permalink without an id keeps the id the archive files it under.

    A page the identity gate refuses (archiver.extract.recognise), or that no longer reads as its archived
    post (`why_misread`: a broken theme file), changes nothing: the post stays as it was, and the page is counted and
    named ("not-the-post", "unreadable"), as is a post the archive refuses ("failed"); the rest goes on.
    Returns the counts ("inserted", "updated", "unchanged"; "skipped": a page without a post; "older": an
    older page of a post already re-read; the failures' kinds) and "warnings": how many; and the failures.
    """
    counts = Reextraction()
    db = store.open_existing_archive(db_path)
    try:
        read = PostReader(db, profiles)
        pages = store.iter_good_pages(db, kind="post")
        while batch := list(islice(pages, BATCH_SIZE)):
            with store.batch(db):
                for page in batch:
                    reextract_page(db, read, page, counts)
    finally:
        db.close()
    return counts


def reextract_page(db, read: PostReader, page: dict, counts: Reextraction) -> None:
    """Re-read one stored page and save its post; count what happened. A post's newest page that is not the
    post leaves its older pages a chance; once read (or unreadable), the post's older pages are passed over."""
    reading = read(page)
    if reading.outcome != "not-the-post" and reading.post_id:
        read.done.add(reading.post_id)
    if reading.outcome in FAILURE_KINDS:
        counts.fail(page["url"], reading.outcome, reading.reason)
    elif reading.post is None:
        counts[reading.outcome] += 1
    else:
        try:
            counts[store.save_reextracted_post(db, reading.post, fetched_at=page["fetched_at"])] += 1
            counts["warnings"] += len(reading.post.warnings)
        except ArchiveError as error:
            counts.fail(page["url"], "failed", str(error))


@dataclass(frozen=True)
class Reading:
    """What re-reading one page gave: "read" and the post, "skipped" (no post on the page), "older" (a post
    already read), or a failure's kind (FAILURE_KINDS) and reason."""

    outcome: str
    post_id: str | None = None
    post: Post | None = None
    reason: str | None = None


class PostReader:
    """Turns a stored page into the post the crawl would have stored from it, once per post."""

    def __init__(self, db, profiles: tuple[Profile, ...]):
        self.db, self.profiles = db, profiles
        self.state = store.load_crawl_state(db)  # the id each archived URL (or old URL) is filed under
        self.validate, self.clean = Validate(DropCounts()), Clean()
        self.done: set[str] = set()

    def __call__(self, page: dict) -> Reading:
        """The post on a stored page, checked by the identity gate and against the archived post."""
        if urls.post_id(page["url"]) in self.done:  # a permalink's id is the post's: no need to read it
            return Reading("older")
        selector = page_selector(page["body"], page["url"], page["content_type"])  # the crawl's own decoder
        known_id = self.state.archived_id(page["url"])
        extraction = extract_post(selector, page["url"], self.profiles, known_id=known_id) if selector.type == "html" else None
        post_id = known_id or (extraction.fields["id"] if extraction else None)
        if post_id in self.done:
            return Reading("older")
        row = store.archived_post(self.db, post_id) if post_id else None
        archived = Archived(row["id"], row["url"], row["title"], row["extraction"]) if row else None
        reason = not_the_post(recognise(selector, page["url"], extraction, len(page["body"])), archived, known_id)
        if reason:
            return Reading("not-the-post", post_id, reason=reason)
        if extraction is None:
            return Reading("unreadable", post_id, reason=f"no post found (read by {row['extraction']} before)") if row else Reading("skipped")
        try:
            post = self.clean.process_item(self.validate.process_item(Post(**extraction.fields, fetched_url=page["url"])))
        except DropItem as drop:
            return Reading("unreadable", post_id, reason=str(drop)) if row else Reading("skipped", post_id)
        why = row and why_misread(row, post)
        if why:
            return Reading("unreadable", post_id, reason=f"{why} (read by {post.extraction}; by {row['extraction']} before)")
        return Reading("read", post.id, post)


def why_misread(row: dict, post: Post) -> str | None:
    """Why the same page no longer reads as the archived post (a store.archived_post row), or None: it lacks
    a field the archived post has (KEPT_FIELDS), or both its title and its text differ (a theme file that
    reads other parts of the page)."""
    def has(value) -> bool:
        return value is not None and value != "" and value != []
    lost = [name for name in KEPT_FIELDS if has(row[name]) and not has(getattr(post, name))]
    if lost:
        return f"{', '.join(lost)} no longer found"
    if collapse(row["title"]) != collapse(post.title) and collapse(row["body_text"]) != collapse(post.body_text):
        return f"title and text both differ: title {quoted(post.title)}, archived {quoted(row['title'])}"
    return None


def reextract_summary(counts: Reextraction, db_path: str | Path) -> str:
    """What `archiver reextract` prints: the counts of each outcome, the failures' included."""
    posts = sum(counts[outcome] for outcome in ("updated", "unchanged", "inserted"))
    return (
        f"Re-extracted {plural(posts, 'post')} from their newest stored pages in {db_path}: {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['inserted']} new; {plural(counts['skipped'], 'page')} without a post, "
        f"{plural(counts['older'], 'older copy', 'older copies')} passed over; {counts['not-the-post']} not the post, "
        f"{counts['unreadable']} unreadable, {counts['failed']} failed (each kept as archived); "
        f"{plural(counts['warnings'], 'warning')}."
    )


def failure_lines(counts: Reextraction) -> list[str]:
    """One line per page whose post was kept as archived: "not-the-post URL: reason"."""
    return [f"{failure.kind} {failure.url}: {failure.reason}" for failure in counts.failures]
