"""Items of the archive: plain dataclasses read through ItemAdapter, no responses inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Category:
    """A category a post is filed under, as its footer links it."""

    name: str
    url: str


@dataclass
class Tag:
    """A tag a post carries ("salika wenger"), as its footer shows it: the link to its tag page, or None
    when the page names it without one. Never a category."""

    name: str
    url: str | None = None


@dataclass
class Comment:
    """One reader comment under a post, in page order."""

    author: str | None = None
    author_url: str | None = None
    published: datetime | date | None = None  # a day (date) when the page gives no time of day
    body_text: str | None = None
    body_html: str | None = None


# The fields a post page is checked for, in the order reports list them (drift, inspect, show).
CHECKED_FIELDS = ("title", "published", "author", "body", "print_url", "categories", "tags", "comments_count",
                  "comments")


@dataclass
class ExtractionWarning:
    """A disagreement found by checking a post page against itself (e.g. "3 commentaires" but no comment).

    `kind` names the check ("comments-missing"), `field` one of CHECKED_FIELDS, `detail` says what was seen.
    """

    kind: str
    field: str
    detail: str


@dataclass
class Post:
    """One blog post as extracted from its own page (the authority for every field)."""

    id: str
    url: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    body_html: str | None = None
    body_text: str | None = None
    print_url: str | None = None
    categories: list[Category] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)  # in page order
    comments_count: int | None = None
    comments: list[Comment] = field(default_factory=list)
    extraction: str | None = None
    fetched_url: str | None = None
    # field -> the rule that found it ("classic: h3.posttitle", "platform: Imprimer link"); a field of
    # CHECKED_FIELDS is "found" on this page exactly when it has a source (a javascript: print link
    # has a source and a None value).
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    # Facts worth keeping that are not errors ("page date 2025-11-30 differs from permalink day 2008-10-27").
    notes: list[str] = field(default_factory=list)
    # Other URLs that led to this post (an old URL redirected to it), canonical.
    aliases: list[str] = field(default_factory=list)
    # The images of its body the media pipeline (archiver.pipelines.media) tried, in body order: {"url", "path" (under
    # the media folder, None if it failed), "checksum" (MD5, as Scrapy's FilesPipeline gives it), "status"
    # ("downloaded", "uptodate" or "failed: REASON")}. None: not looked at (media off, or a re-extraction).
    media: list[dict] | None = None
    # When the page was fetched (aware, UTC): the post's `last_seen`. None: when it is stored.
    fetched_at: datetime | None = None


@dataclass
class PostAlias:
    """An old URL of a post that redirects to its permalink, met after the post itself was archived."""

    url: str
    post_url: str


@dataclass
class FetchedPage:
    """One HTTP exchange of the crawl (any page, any status), kept for offline re-extraction."""

    url: str
    status: int
    kind: str
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    error: str | None = None  # set: not a good copy (an HTTP error, "not the post"), never replaces one
    fetched_at: datetime | None = None  # aware, UTC; None: when it is stored
    # The HTTP exchange as received (archiver.middlewares.http_exchanges): {"protocol", "headers", "headers_cut",
    # "request_headers", "received_at"}; None when the crawl did not record it (the archive's columns stay null).
    exchange: dict | None = None


@dataclass
class BlogIdentity:
    """The blog as its home page (and its feed) present it, read at each whole-blog crawl: its name, description
    and author, each None when neither page shows it (archiver.extract.identity_of_blog)."""

    url: str  # the blog's home page: what names the blog in the archive
    name: str | None = None
    description: str | None = None
    author: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> the rule that found it ("classic: #banner h2")
    fetched_at: datetime | None = None  # when the home page was fetched (aware, UTC); None: when it is stored


@dataclass
class CrawlFailure:
    """A page the crawl could not turn into what it expected: HTTP error, download error, no post."""

    url: str
    kind: str
    reason: str
    status: int | None = None
    attempts: int = 1  # requests made for it: 1 + the retries Scrapy made
