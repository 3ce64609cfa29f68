"""What a --revalidate run learns from the listings it reads, and which archived posts it asks for again.

The listings are the change detector: every entry of a home, month, category or tag page shows its post's
title, comment count, categories and text (whole, or its opening lines up to "Lire la suite"), compared with
the archive (archiver.extract.listing_entries.entry_changes). A post is asked again (conditionally: an
unchanged page costs a bodiless 304) when

- its entry shows a change, or cannot be read ("unreadable"), or it was gone and is listed again;
- no listing read this run shows it: it left its listings (deleted: 404, gone; moved); when a listing page
  could not be read, the posts it may have shown are asked too, and counted apart, never as "left";
- its turn comes in the rolling full check: each run asks the ceil(K / N) posts of its scope (K of them) whose
  own page was read longest ago (`posts.last_seen`), besides those asked already, so that every post, the
  part a listing hides included, is read in full at least once every N runs (ARCHIVER_FULL_CHECK_RUNS).

A listing match leaves `last_seen` alone: only the post's own page moves a post to the back of the rolling order.

What it costs: on the 5,004-post replica after 5 new posts, 3 edits, 1 deletion and 10 new comments, 736 requests:
647 post pages (5 new, 11 whose entry showed a change, the deleted one, 626 rolling checks, the replica's faulty
pages asked again) and 89 others (robots.txt, the feed, the home page, /archives, the 84 month pages), where asking
every post again made 7,165 (one server, the same archive copied for each run).
"""

from __future__ import annotations

import math
from collections import Counter

from archiver.extract.listing_entries import ArchivedSummary, ListingEntry, entry_changes
from archiver.store import CrawlState, KnownPage, path_key

FULL_CHECK_RANGE = (1, 1000)  # ARCHIVER_FULL_CHECK_RUNS: 1, every post every run; 1000 weekly runs, 19 years
CHANGE_ORDER = ("comments", "text", "title", "categories", "unreadable")  # how the summary names them


class Revalidation:
    """The listings' view of the archive during one --revalidate run, and the posts it decides to ask again."""

    def __init__(self, state: CrawlState, in_scope, full_check_runs: int):
        self.state, self.in_scope, self.runs = state, in_scope, full_check_runs
        self.listed: set[str] = set()  # path keys of the posts the listings read this run show (and of their archived URLs)
        self.shown = 0  # distinct posts the listings showed
        self.changed: dict[str, list[str]] = {}  # path key of an archived post -> what its entry showed changed
        self.unread_listings: list[str] = []  # listing pages that could not be read
        self.left = self.unlisted = self.full_checks = 0
        self.finished = False

    def read_listing(self, entries: list[ListingEntry], listed: list[str]) -> list[str]:
        """The posts to ask again among those a listing page shows (each post once a run): its archived posts whose
        entry differs from the archive (fetched conditionally), and gone ones it lists again."""
        by_url = {path_key(entry.url): entry for entry in entries}
        shown = [(url, self.state.archived_post(url)) for url in listed]
        archived = [known for _, known in shown if known is not None and not known.gone]
        summaries = self.state.summaries([known.post_id for known in archived if path_key(known.url) not in self.changed])
        asked = []
        for url, known in shown:
            self.shown += path_key(url) not in self.listed
            self.listed.add(path_key(url))
            if known is None:
                continue  # new (the walk follows it), or tried before and failed (its retry asks it)
            key = path_key(known.url)
            self.listed.add(key)
            if key in self.changed:
                continue
            if known.gone:
                self.changed[key] = ["returned"]  # a gone post listed again
                asked.append(known.url)
                continue
            entry, summary = by_url.get(path_key(url)), summaries.get(known.post_id)
            changes = ["unreadable"] if entry is None or summary is None else entry_changes(entry, archived_summary(known, summary))
            if changes:
                self.changed[key] = changes
                asked.append(known.url)
        return asked

    def listing_unread(self, url: str) -> None:
        """A listing page this run could not read: the posts it would have shown are not known to have left."""
        self.unread_listings.append(url)

    def remaining(self, asked: set[str]) -> list[str]:
        """Once the walk is over, the archived posts of the scope to ask besides those asked already (`asked`:
        path keys): the ones no listing showed, then the rolling full check's share, oldest `last_seen` first."""
        self.finished = True
        posts = [page for page in self.state.revalidation() if page.post_id is not None and not page.gone and self.in_scope(page)]
        unlisted = [page for page in posts if path_key(page.url) not in self.listed and path_key(page.url) not in asked]
        if self.unread_listings:
            self.unlisted = len(unlisted)
        else:
            self.left = len(unlisted)
        taken = asked | {path_key(page.url) for page in unlisted}
        share = math.ceil(len(posts) / self.runs)
        rolling = sorted((page for page in posts if path_key(page.url) not in taken), key=rolling_order)[:share]
        self.full_checks = len(rolling)
        return [page.url for page in unlisted + rolling]

    def figures(self) -> dict:
        """What the run saw, for its stats (archiver/revalidation) and its summary line."""
        kinds = Counter(change for changes in self.changed.values() for change in changes)
        return {"listed": self.shown, "changed": len(self.changed), "changes": dict(kinds), "left": self.left,
                "unlisted": self.unlisted, "unread_listings": self.unread_listings[:3],
                "unread_count": len(self.unread_listings), "full_checks": self.full_checks, "runs": self.runs}


def rolling_order(page: KnownPage) -> tuple[str, str]:
    """Never read first, then the longest ago; ties by URL."""
    return (page.last_seen or "", page.url)


def archived_summary(known: KnownPage, summary: dict) -> ArchivedSummary:
    """The archive's side of the comparison with a listing entry."""
    return ArchivedSummary(title=summary["title"], comments_count=summary["comments_count"],
                           categories=known.categories, body_text=summary["body_text"])
