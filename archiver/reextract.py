"""`archiver reextract`: run extraction again over the raw pages kept in the archive, with no network."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path

from scrapy.exceptions import DropItem

from archiver import store, urls
from archiver.checks import Clean, Validate
from archiver.extract import extract_post, page_selector
from archiver.extract.profiles import Profile
from archiver.items import Post

BATCH_SIZE = 200


class DropCounts(Counter):
    """The part of Scrapy's stats API the Validate pipeline uses (`inc_value`), counting drop reasons."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count


def reextract(db_path: str | Path, profiles: tuple[Profile, ...]) -> Counter:
    """Re-read each post from its newest good stored page (by fetch time); save what changed (keeping
    revisions) with its current sources, warnings and notes. Its URL, `last_seen` and `gone` stay as the
    last crawl left them. Returns the outcome counts ("inserted", "updated", "unchanged"; "skipped": a
    page without a post; "older": an older page of a post already re-read) and "warnings": how many."""
    counts: Counter = Counter()
    read = PostReader(profiles)
    db = store.open_existing_archive(db_path)
    try:
        pages = store.iter_good_pages(db, kind="post")
        while batch := list(islice(pages, BATCH_SIZE)):
            with store.batch(db):
                for page in batch:
                    outcome, post = read(page)
                    if post is not None:
                        outcome = store.save_reextracted_post(db, post, fetched_at=page["fetched_at"])
                        counts["warnings"] += len(post.warnings)
                    counts[outcome] += 1
    finally:
        db.close()
    return counts


class PostReader:
    """Turns a stored page into the post the crawl would have stored from it, once per post."""

    def __init__(self, profiles: tuple[Profile, ...]):
        self.profiles = profiles
        self.validate, self.clean = Validate(DropCounts()), Clean()
        self.done: set[str] = set()

    def __call__(self, page: dict) -> tuple[str, Post | None]:
        """("read", the post) or why there is none: "skipped" (no post on the page), "older" (already read)."""
        if urls.post_id(page["url"]) in self.done:  # a permalink's id is the post's: no need to read it
            return "older", None
        selector = page_selector(page["body"], page["url"], page["content_type"])  # the crawl's own decoder
        extraction = extract_post(selector, page["url"], self.profiles)
        if extraction is None:
            return "skipped", None
        post = Post(**extraction.fields, fetched_url=page["url"])
        if post.id in self.done:
            return "older", None
        self.done.add(post.id)
        try:
            return "read", self.clean.process_item(self.validate.process_item(post))
        except DropItem:
            return "skipped", None
