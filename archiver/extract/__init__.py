"""Pure extraction: a parsel Selector and its URL -> post fields (never network, engine or database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from archiver import urls
from archiver.extract import fields as f
from archiver.extract import generic as g
from archiver.extract.comments import extract_comments
from archiver.extract.listing import ListingLinks, extract_listing
from archiver.extract.profiles import Profile, bundled_profiles, detect_profile, load_profiles

__all__ = [
    "Extraction",
    "ListingLinks",
    "Profile",
    "extract_listing",
    "extract_post",
    "detect_profile",
    "load_profiles",
    "page_selector",
]


@dataclass
class Extraction:
    """What a post page yields: the Post fields, the method that found them and each field's source."""

    method: str
    fields: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)


def page_selector(html: str | bytes, url: str = "") -> Selector:
    """A parsel Selector over an HTML document (bytes are decoded as UTF-8 with replacement)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    return Selector(text=html or "<html></html>", base_url=url)


def extract_post(page: Selector, url: str, profiles: tuple[Profile, ...] | None = None) -> Extraction | None:
    """The post on a page, read by the first theme profile that matches it, else by the generic fallback.

    None when the page holds no post (no title or no body text).
    """
    profile = detect_profile(page, profiles or bundled_profiles())
    if profile is None:
        return _generic(page, g.canonical_post_url(page, url))
    return _with_profile(page, urls.canonical_url(url), profile)


def _assemble(method: str, url: str, found: dict, comments: list, *, needs: tuple[str, ...]) -> Extraction | None:
    """An Extraction from each field's Found (or None); None when none of the `needs` fields was found."""
    if not any(found[name] for name in needs):
        return None
    sources = {name: item.source for name, item in found.items() if item}
    body = found.pop("body")
    values = {name: (item.value if item else None) for name, item in found.items()}
    body_html, body_text = body.value if body else (None, None)
    fields = {
        "id": urls.stable_id(url),
        "url": url,
        **values,
        "categories": values["categories"] or [],
        "body_html": body_html,
        "body_text": body_text,
        "comments": comments,
        "extraction": method,
    }
    return Extraction(method=method, fields=fields, sources=sources)


def _generic(page: Selector, url: str) -> Extraction | None:
    """Every field read by the generic fallback (metadata, markers, text density)."""
    ld = g.json_ld_article(page)
    found = {
        "title": g.generic_title(page, ld),
        "published": g.generic_published(page, ld, url),
        "author": g.generic_author(page, ld),
        "body": g.generic_body(page),
        "print_url": g.generic_print_url(page, url),
        "categories": g.generic_categories(page, url),
        "comments_count": g.generic_comments_count(page),
    }
    if found["body"] is None:  # a page without body text is not a post, whatever its <title>
        return None
    return _assemble("generic", url, found, extract_comments(page, g.COMMENTS_PROFILE, url), needs=("title",))


def _with_profile(page: Selector, url: str, profile: Profile) -> Extraction | None:
    """Every field read through one theme profile."""
    found = {
        "title": f.extract_title(page, profile),
        "published": f.extract_published(page, profile, url),
        "author": f.extract_author(page, profile),
        "body": f.extract_body(page, profile),
        "print_url": f.extract_print_url(page, profile, url),
        "categories": f.extract_categories(page, profile, url),
        "comments_count": f.extract_comments_count(page, profile),
    }
    return _assemble(profile.name, url, found, extract_comments(page, profile, url), needs=("title", "body"))
