"""`archiver inspect`: what the archiver would extract from one page, and which selector found each field."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from http.client import HTTPException
from urllib.error import URLError

from archiver import store, urls
from archiver.errors import NotFound, UsageError
from archiver.extract import detect_profile, extract_listing, extract_post, page_selector
from archiver.extract.page_number import numbering_name, read_page_number
from archiver.extract.profiles import Profile
from archiver.settings import DOWNLOAD_MAXSIZE, USER_AGENT
from archiver.store.connection import reading

LISTING_KINDS = ("category", "home", "month", "archives", "tag")


@dataclass
class Inspection:
    """The verdict on one page: a post (with fields and sources) or another kind of page."""

    url: str
    kind: str
    method: str | None
    fields: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    numbering: dict = field(default_factory=dict)  # a listing page's: its number, from what, the blog's numbering

    @property
    def is_post(self) -> bool:
        return self.kind == "post"


@dataclass(frozen=True)
class RawPage:
    """A page's bytes as they came, its address and its Content-Type header (None for a saved file)."""

    body: bytes
    url: str
    content_type: str | None = None


def read_page(target: str, url: str | None = None, limit: int = DOWNLOAD_MAXSIZE) -> RawPage:
    """A saved file, or a URL fetched once (no crawl, no archive); at most `limit` bytes of either (the crawl's
    DOWNLOAD_MAXSIZE, 16 MB): a bigger page is refused, as the crawl refuses it, and never read whole."""
    path = Path(target)
    if path.is_file():
        if path.stat().st_size > limit:
            raise UsageError(f"{target} is over {limit // 2**20} MB (DOWNLOAD_MAXSIZE): not read")
        return RawPage(path.read_bytes(), url or path.resolve().as_uri())
    if not target.startswith(("http://", "https://")):
        raise UsageError(f"{target} is neither a file nor an http(s) URL")
    try:
        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read(limit + 1)
            page = RawPage(body, url or response.geturl(), response.headers.get("Content-Type"))
    except (URLError, OSError, ValueError, HTTPException) as error:  # ValueError, InvalidURL: a malformed URL
        raise UsageError(f"cannot fetch {target}: {getattr(error, 'reason', error)}") from error
    if len(body) > limit:
        raise UsageError(f"{target} answered more than {limit // 2**20} MB (DOWNLOAD_MAXSIZE): not read")
    return page


def read_stored_page(db_path: str | Path, target: str) -> RawPage:
    """The copy of a URL the archive stored at its last good fetch (no network)."""
    try:
        canonical = urls.canonical_url(target)
    except ValueError as error:  # urllib's: a port that is not a number, an unclosed [IPv6 host]...
        raise UsageError(f"not a valid URL: {target!r} ({error})") from error
    with reading(db_path) as db:
        stored = store.stored_page(db, canonical) or store.stored_page(db, target)
    if stored is None:
        raise NotFound(f"no stored copy of {target} in {db_path}")
    return RawPage(stored["body"], stored["url"], stored["content_type"])


def inspect_page(html: bytes | str, url: str, profiles: tuple[Profile, ...],
                 content_type: str | None = None) -> Inspection:
    """Run detection and extraction on one page (decoded as the crawl decodes it), keeping every field's source."""
    page = page_selector(html, url, content_type)
    profile = detect_profile(page, profiles)
    listing = extract_listing(page, url, profile)
    kind = urls.page_kind(url)
    links = {"posts": len(listing.posts), "pagination": len(listing.pages), "categories": len(listing.categories)}
    if kind in LISTING_KINDS or (kind != "post" and len(listing.posts) >= 2):
        return Inspection(url, kind if kind != "other" else "listing", profile.name if profile else None, links=links,
                          numbering=listing_numbering(page, url))
    extraction = extract_post(page, url, profiles)
    if extraction is None:
        return Inspection(url, kind if kind != "post" else "not a post", None, links=links)
    return Inspection(url, "post", extraction.method, extraction.fields, extraction.sources, links)


def listing_numbering(page, url: str) -> dict:
    """What a listing page says of its number and of the blog's numbering (archiver.extract.page_number)."""
    number = read_page_number(page, url)
    evidence = number.evidence()
    return {"index": number.index, "page": 1 if number.index is None else number.number, "source": number.source,
            "said": number.said, "numbered": numbering_name(offset for offset, *_ in evidence),
            "from": [{"url": link, "page": n, "source": source} for _, link, n, source in evidence]}
