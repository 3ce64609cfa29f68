"""The images a post's body shows: absolute URLs of its <img src> (and srcset's first candidate), in page order."""

from __future__ import annotations

from urllib.parse import urlsplit

from parsel import Selector

from archiver import urls

IMAGES = "img"
SOURCE, SOURCE_SET = "src", "srcset"  # an image's URL, then srcset's first candidate


def extract_image_urls(body_html: str | None, page_url: str) -> list[str]:
    """Each image of a body once, by its absolute http(s) URL, in body order; [] for none.

    A srcset counts by its first candidate ("a.jpg 1x, b.jpg 2x" -> a.jpg). Only a source written with its
    host is an image to fetch ("//host/a.jpg" takes the post's scheme): a relative one ("/media/a.jpg", "x")
    is left as written, and so are empty, data: and javascript: sources. Never raises on messy HTML.
    """
    if not body_html or not body_html.strip():
        return []
    found: list[str] = []
    for img in Selector(text=body_html).css(IMAGES):
        for value in (img.attrib.get(SOURCE), _first_candidate(img.attrib.get(SOURCE_SET))):
            url = urls.absolute_or_none(value, page_url) if value and _has_host(value) else None
            if url and url not in found:
                found.append(url)
    return found


def media_host_allowed(url: str, blog_hosts: frozenset[str], extra_hosts: frozenset[str]) -> bool:
    """Whether an image's host is one we fetch from: the blog's own names, or one listed in `extra_hosts`."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and (host in blog_hosts or host in extra_hosts)


def _has_host(value: str) -> bool:
    """Whether a source names its host ("http://h/a.jpg", "//h/a.jpg"), not only a path."""
    try:
        return bool(urlsplit(value.strip()).netloc)
    except ValueError:
        return False


def _first_candidate(value: str | None) -> str | None:
    """The URL of a srcset's first candidate ("a.jpg 1x, b.jpg 2x" -> "a.jpg"), or None."""
    if not value:
        return None
    first = value.strip().split(",", 1)[0].split()
    return first[0] if first else None
