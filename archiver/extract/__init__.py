"""Pure extraction: a parsel Selector and its URL -> post fields (never network, engine or database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from archiver import urls
from archiver.extract import fields as f
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
    """The post on a post page, or None when no known theme recognises the page as a post."""
    profile = detect_profile(page, profiles or bundled_profiles())
    if profile is None:
        return None
    return _with_profile(page, urls.canonical_url(url), profile)


def _with_profile(page: Selector, url: str, profile: Profile) -> Extraction:
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
    sources = {name: item.source for name, item in found.items() if item}
    body = found.pop("body")
    body_html, body_text = body.value if body else (None, None)
    values = {name: (item.value if item else None) for name, item in found.items()}
    return Extraction(
        method=profile.name,
        fields={
            "id": urls.stable_id(url),
            "url": url,
            **values,
            "categories": values["categories"] or [],
            "body_html": body_html,
            "body_text": body_text,
            "comments": extract_comments(page, profile, url),
            "extraction": profile.name,
        },
        sources=sources,
    )
