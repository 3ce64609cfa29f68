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
    """Save the items; the posts of each stretch of posts and good pages together (store.post_batches), after the
    stretch's pages, when no post there has a page of its own URLs after it (the pages of a crawl's batch come each
    just before its post: a post page, then the post read from it). Anything else in the order given."""
    outcomes: list = [None] * len(items)
    start = 0
    while start < len(items):
        end = start
        while end < len(items) and _in_stretch(items[end]):
            end += 1
        if end == start:
            outcomes[start] = save_item(db, items[start], run_id, savepoint=False)
            start += 1
            continue
        for group in _groups(items, start, end):  # each group: its pages in order, then its posts together
            pages = [index for index in group if not isinstance(items[index], Post)]
            posts = [index for index in group if isinstance(items[index], Post)]
            for index in pages:
                outcomes[index] = save_item(db, items[index], run_id, savepoint=False)
            for index, outcome in zip(posts, _save_posts(db, [items[index] for index in posts], run_id)):
                outcomes[index] = outcome
        start = end
    return outcomes


def _in_stretch(item) -> bool:
    """A post, or a good page (2xx, no error): a page that leaves the posts' rows as they are."""
    return isinstance(item, Post) or (isinstance(item, FetchedPage) and 200 <= item.status < 300 and not item.error)


def _pages_first(stretch: list) -> bool:
    """Whether the stretch's pages may be saved before its posts: no URL twice among the pages, and no post with
    a page of one of its URLs (the page copy it may drop, the retries it answers) after it."""
    later: set[str] = set()
    for item in reversed(stretch):
        if isinstance(item, Post):
            if later & (_answered_urls(item) | {item.fetched_url or item.url}):
                return False
        elif item.url in later:
            return False
        else:
            later.add(item.url)
    return True


def _groups(items: list, start: int, end: int) -> list[list[int]]:
    """The stretch items[start:end] as one group (its pages first: _pages_first), else in groups in order: each
    page alone, each run of posts between pages together."""
    if _pages_first(items[start:end]):
        return [list(range(start, end))]
    groups: list[list[int]] = []
    for index in range(start, end):
        if groups and isinstance(items[index], Post) and isinstance(items[groups[-1][-1]], Post):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _save_posts(db: Database, posts: list, run_id: int) -> list:
    """A run of posts saved together, then their media, then the URLs they answered leave the retry queue."""
    if not posts:
        return []
    outcomes = save_posts(db, posts, run_id=run_id)
    for post in posts:
        save_media(db, post.id, post.media)
    retries_answered(db, [url for post in posts for url in _answered_urls(post)], run_id=run_id)
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
