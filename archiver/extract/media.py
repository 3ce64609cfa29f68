"""The images a post's body shows: absolute URLs of its <img src> (and srcset's first candidate), in page order.

Namesake of archiver.pipelines.media and archiver.store.media: the same concept, a post's images, at three layers
(found on the page here, downloaded by the pipeline, recorded by the store).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from parsel import Selector

from archiver import urls

IMAGES = "img"
SOURCE, SOURCE_SET = "src", "srcset"  # an image's URL, then srcset's first candidate


def extract_image_urls(body_html: str | None, page_url: str) -> list[str]:
    """Each image of a body once, by its absolute http(s) URL, in body order; [] for none.

    A srcset counts by its first candidate ("a.jpg 1x, b.jpg 2x" -> a.jpg). A relative source ("/media/a.jpg",
    as the platform may write its images) is resolved against the post's address; empty, data: and
    javascript: sources are left out. Never raises on messy HTML.
    """
    if not body_html or not body_html.strip():
        return []
    found: list[str] = []
    for img in Selector(text=body_html).css(IMAGES):
        for value in (img.attrib.get(SOURCE), _first_candidate(img.attrib.get(SOURCE_SET))):
            url = _absolute(value, page_url) if value else None
            if url and url not in found:
                found.append(url)
    return found


def media_host_allowed(url: str, blog_hosts: frozenset[str], extra_hosts: frozenset[str]) -> bool:
    """Whether an image's host is one we fetch from: the blog's own names, or one listed in `extra_hosts`
    (never a URL that cannot be read)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return bool(host) and (host in blog_hosts or host in extra_hosts)


def _absolute(value: str, page_url: str) -> str | None:
    """A source as an absolute http(s) URL, or None (empty, data:, javascript:, unparseable)."""
    try:
        return urls.absolute_or_none(value, page_url)
    except ValueError:
        return None


def _first_candidate(value: str | None) -> str | None:
    """The URL of a srcset's first candidate ("a.jpg 1x, b.jpg 2x" -> "a.jpg"), or None."""
    if not value:
        return None
    first = value.strip().split(",", 1)[0].split()
    return first[0] if first else None
