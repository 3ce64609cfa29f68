"""Pure extraction: a parsel Selector and its URL -> post fields (never network, engine or database)."""

# Each field has its own module in `fields/` holding its whole cascade: the matched theme profile's
# selectors first, then the platform's rules (what every Hautetfort template shows in words), then the
# generic fallback. Each page is then checked against itself: disagreements become warnings.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from archiver import urls
from archiver.extract.bad_links import malformed_link_notes
from archiver.extract.decode import page_selector, page_text
from archiver.extract.fields.author import extract_author
from archiver.extract.fields.body import check_body, extract_body
from archiver.extract.fields.categories import check_categories, extract_categories
from archiver.extract.fields.comments import check_comments, extract_comments
from archiver.extract.fields.comments_count import extract_comments_count
from archiver.extract.fields.print_link import check_print_url, extract_print_url
from archiver.extract.fields.published import check_published, extract_published
from archiver.extract.fields.tags import check_tags, extract_tags
from archiver.extract.fields.title import extract_title
from archiver.extract.feeds import FeedEntry, extract_feed
from archiver.extract.found import Refused
from archiver.extract.identity import canonical_post_url, post_identity
from archiver.extract.listing import ListingLinks, extract_listing, extract_neighbours
from archiver.extract.page import PostPage
from archiver.extract.profiles import Profile, bundled_profiles, detect_profile, load_profiles
from archiver.items import ExtractionWarning

__all__ = [
    "Extraction",
    "FeedEntry",
    "ListingLinks",
    "Profile",
    "detect_profile",
    "extract_feed",
    "extract_listing",
    "extract_neighbours",
    "extract_post",
    "load_profiles",
    "page_selector",
    "page_text",
]

# Each field and the function that runs its cascade, in the order the fields are read.
FIELD_READERS = (
    ("title", extract_title),
    ("published", extract_published),
    ("author", extract_author),
    ("body", extract_body),
    ("print_url", extract_print_url),
    ("categories", extract_categories),
    ("tags", extract_tags),
    ("comments_count", extract_comments_count),
)


@dataclass
class Extraction:
    """What a post page yields: the Post fields, the method that found them and each field's source."""

    method: str
    fields: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)


def extract_post(page: Selector, url: str, profiles: tuple[Profile, ...] | None = None,
                 known_id: str | None = None) -> Extraction | None:
    """The post on a page: each field by its cascade, then the page's self-checks.

    None when the page holds no post: neither title nor body text (or, on a page no theme matches, no body).
    A post with one of the two is returned, for the pipelines to drop with the reason. `known_id` is the
    id the crawl already knows for a permalink without one (the archive's, or the feed's): it wins over
    what the page reveals. Hostile markup never raises: a value that cannot be true is refused (a warning),
    a link that is no URL is skipped (a note).
    """
    profile = detect_profile(page, bundled_profiles() if profiles is None else profiles)
    post_page = PostPage(page, canonical_post_url(page, url), profile)
    found = {name: read(post_page) for name, read in FIELD_READERS}
    refusals = refused(found)
    count = found["comments_count"]
    found["comments"] = extract_comments(post_page, shown=count.value if count else None)
    if found["body"] is None and (found["title"] is None or profile is None):
        return None
    sources = {name: item.source for name, item in found.items() if item}
    values = {name: (item.value if item else None) for name, item in found.items()}
    body_html, body_text = values.pop("body") or (None, None)
    fields = {
        "id": urls.post_id(post_page.url) or known_id or post_identity(page, post_page.url),
        "url": post_page.url,
        **values,
        "categories": values["categories"] or [],
        "tags": values["tags"] or [],
        "comments": values["comments"] or [],
        "body_html": body_html,
        "body_text": body_text,
        "extraction": profile.name if profile else "generic",
        "sources": sources,
        "warnings": refusals + self_checks(post_page, values, body_text, sources),
        "notes": check_published(post_page, values["published"]) + malformed_link_notes(post_page),
    }
    return Extraction(method=fields["extraction"], fields=fields, sources=sources)


def refused(found: dict) -> list[ExtractionWarning]:
    """Each value a page gave that cannot be true (found.Refused) taken out of `found`, as an "absurd-number"
    warning quoting it."""
    warnings = []
    for name, item in found.items():
        if item is not None and isinstance(item.value, Refused):
            detail = f"the page says {urls.shown(item.value.said, 200)} ({item.source}): {item.value.why}"
            warnings.append(ExtractionWarning("absurd-number", name, detail))
            found[name] = None
    return warnings


def self_checks(page: PostPage, values: dict, body_text: str | None, sources: dict) -> list:
    """The page checked against itself: every disagreement between what it shows and what was read."""
    return [
        *check_comments(values["comments"] or [], values["comments_count"]),
        *check_print_url(page, sources),
        *check_categories(page, sources),
        *check_tags(page, sources),
        *check_body(page, body_text),
    ]
