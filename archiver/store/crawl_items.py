"""A crawl's items saved in the archive, each in what the writer's batch is: a post, an old URL that led to it, a
page's answer, the blog's identity, a failure; each returns what happened to it (counted once the batch commits)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from archiver.errors import ArchiveError
from archiver.items import BlogIdentity, CrawlFailure, FetchedPage, Post, PostAlias
from archiver.store.blog import save_blog_identity
from archiver.store.media import save_media
from archiver.store.pages import save_page
from archiver.store.post_aliases import add_alias
from archiver.http_statuses import NOT_MODIFIED
from archiver.store.post_batches import save_posts
from archiver.store.posts import mark_gone, mark_seen, save_post
from archiver.store.retries import GONE_STATUSES, queue_retry, retries_answered, retry_answered
from archiver.store.runs import save_failure

# What one item may raise that the archive refuses for that item alone (a value SQLite cannot hold, a
# constraint): the item becomes an "unwritable" failure and the batch goes on. Locks and I/O errors are
# the batch's (write_batch retries it).
ITEM_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError, sqlite3.ProgrammingError,
               OverflowError, ValueError, TypeError, ArchiveError)
UNWRITABLE = "unwritable"


def save_items(db: Database, items: list, run_id: int) -> list:
    """Save a batch's items in order in one savepoint; what happened to each. When the archive refuses one, the
    savepoint is rolled back and every item is saved again in a savepoint of its own (save_or_refuse): the refused
    one becomes an "unwritable" failure and the others are written, as they would have been.

    One savepoint for the batch, not one per item, because at each savepoint FTS5 writes the terms it holds for
    the transaction to disk as a segment of its own, merged again later: with one per post, 15% more CPU time in
    the storage section of `make bench` (5,004 posts, 50 a batch: 769 against 901 posts per CPU second)."""
    try:
        with db.atomic():
            return _save_in_runs(db, items, run_id)
    except ITEM_ERRORS:
        return [save_or_refuse(db, item, run_id) for item in items]


def _save_in_runs(db: Database, items: list, run_id: int) -> list:
    """Save the items in order; each run of posts together (store.posts.save_posts), then what goes with each post."""
    outcomes, start = [], 0
    while start < len(items):
        end = start
        while end < len(items) and isinstance(items[end], Post):
            end += 1
        if end == start:
            outcomes.append(save_item(db, items[start], run_id, savepoint=False))
            start += 1
            continue
        posts = items[start:end]
        outcomes += save_posts(db, posts, run_id=run_id)
        for post in posts:
            save_media(db, post.id, post.media)
        retries_answered(db, [url for post in posts for url in _answered_urls(post)], run_id=run_id)
        start = end
    return outcomes


def save_or_refuse(db: Database, item, run_id: int):
    """Save one item in a savepoint of the batch: an item the archive refuses (a value SQLite cannot hold, a
    constraint) is recorded as a failure of kind "unwritable", and the batch goes on without it."""
    try:
        with db.atomic():
            return save_item(db, item, run_id)
    except ITEM_ERRORS as error:
        url = item.fetched_url or item.url if isinstance(item, Post) else item.url
        with db.atomic():
            save_item(db, CrawlFailure(url, UNWRITABLE, f"not archived: {type(error).__name__}: {error}"), run_id)
        return UNWRITABLE


def save_item(db: Database, item, run_id: int, *, savepoint: bool = True):
    """Save one item; return what happened to it (counted only after the commit). A page that answered, a
    post read, an old URL that led to a post leave the retry queue; a failure joins it (store.retries).
    `savepoint`: whether a post is saved in a savepoint of its own (store.posts.save_post)."""
    if isinstance(item, Post):
        outcome = save_post(db, item, run_id=run_id, savepoint=savepoint)
        _after_post(db, item, run_id)
        return outcome
    if isinstance(item, PostAlias):
        retry_answered(db, item.url, run_id=run_id)
        return add_alias(db, item.url, item.post_url)
    if isinstance(item, FetchedPage):
        return save_fetched_page(db, item, run_id)
    if isinstance(item, BlogIdentity):
        return save_blog_identity(db, item, run_id=run_id)
    save_failure(db, run_id=run_id, url=item.url, kind=item.kind, reason=item.reason, status=item.status,
                 attempts=item.attempts)
    queue_retry(db, url=item.url, kind=item.kind, reason=item.reason, run_id=run_id, status=item.status)
    return None


def _after_post(db: Database, post: Post, run_id: int) -> None:
    """What goes with a saved post: its media, and its URLs leave the retry queue."""
    save_media(db, post.id, post.media)  # the images archiver.pipelines.media fetched (None: media off)
    for url in _answered_urls(post):
        retry_answered(db, url, run_id=run_id)


def _answered_urls(post: Post) -> set[str]:
    """The URLs a saved post answered: its own, the one fetched, its aliases."""
    return {post.url, post.fetched_url, *post.aliases} - {None}


def save_fetched_page(db: Database, page: FetchedPage, run_id: int) -> str | None:
    """Save a page's answer. A post page answers once its post is read (a Post), is gone (404/410: "gone"), or
    is as archived (304: "unchanged"); a listing page that answered leaves the retry queue."""
    save_page(db, page, run_id=run_id)
    if page.kind != "post":
        if page.status in GONE_STATUSES or (not page.error and 200 <= page.status < 400):
            retry_answered(db, page.url, run_id=run_id)
        return None
    outcome = None
    if page.status in GONE_STATUSES:
        outcome = "gone" if mark_gone(db, page.url) else None
        retry_answered(db, page.url, run_id=run_id)
    elif page.status == NOT_MODIFIED and mark_seen(db, page.url, run_id=run_id, now=page.fetched_at):
        outcome = "unchanged"
        retry_answered(db, page.url, run_id=run_id)
    return outcome
