"""A blog's hosts: a URL's host and port as one spelling, and the www. twin that is the same blog."""

from __future__ import annotations

from urllib.parse import urlsplit

from archiver.url_syntax import split


def host_of(url: str) -> str:
    """The host (and non-default port) of a URL, lower-cased: 'blog.example:8080'; "" for a URL that cannot be read."""
    try:
        return split(url)[1]
    except ValueError:
        return ""


def same_host(url: str, other: str) -> bool:
    """Whether two URLs are on the same host (and port)."""
    return host_of(url) == host_of(other)


def same_blog_host(host: str, other: str) -> bool:
    """Whether two hosts ('blog.example:8080') are one blog's: equal, or equal but for a leading "www."."""
    return host.removeprefix("www.") == other.removeprefix("www.")


def blog_hostnames(url: str) -> list[str]:
    """The host names a blog answers on, from one of its URLs: its own, and its www. twin (added or removed)."""
    try:
        name = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return []
    bare = name.removeprefix("www.")
    return sorted({bare, f"www.{bare}"}) if bare and not _is_address(bare) else [name]


def _is_address(host: str) -> bool:
    """Whether a host name is an IP address (no www. twin for those)."""
    return host.replace(".", "").isdigit() or ":" in host
