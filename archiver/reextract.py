"""`archiver reextract`: run extraction again over the raw pages kept in the archive, with no network."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path

from archiver import store
from archiver.extract import extract_post, page_selector
from archiver.extract.profiles import Profile
from archiver.items import Post
from archiver.pipelines import Clean

BATCH_SIZE = 200


def reextract(db_path: str | Path, profiles: tuple[Profile, ...]) -> Counter:
    """Re-read every stored post page; save what changed (keeping revisions) with each post's current
    sources, warnings and notes. Returns the outcome counts, and "warnings": how many were found."""
    counts: Counter = Counter()
    clean = Clean()
    db = store.open_existing_archive(db_path)
    try:
        pages = (page for page in store.iter_pages(db, kind="post") if page["status"] == 200)
        while batch := list(islice(pages, BATCH_SIZE)):
            with store.batch(db):
                for page in batch:
                    outcome, warnings = _reextract_page(db, page, profiles, clean)
                    counts.update({outcome: 1, "warnings": warnings})
    finally:
        db.close()
    return counts


def _reextract_page(db, page: dict, profiles: tuple[Profile, ...], clean: Clean) -> tuple[str, int]:
    """Extract one stored page and save the post; the outcome name for the counts, and its warnings."""
    extraction = extract_post(page_selector(page["html"], page["url"]), page["url"], profiles)
    if extraction is None or not extraction.fields.get("title") or not extraction.fields.get("body_text"):
        return "skipped", 0
    post = clean.process_item(Post(**extraction.fields, fetched_url=page["url"]))
    return store.save_post(db, post, run_id=None), len(post.warnings)
