"""What makes a link of a page a URL at all (its length, host, port and path's text), and how a message quotes one."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a path keeps unencoded; everything else is percent-encoded, so "é" and "%C3%A9" are one spelling.
PATH_SAFE = "/-._~!$&'()*+,;=:@"
# A longer link is refused (malformed) before it reaches any cache: Scrapy's URLLENGTH_LIMIT, past which it
# never requests a URL; the platform's own links are a few hundred characters at most.
MAX_URL_LENGTH = 2083
# A host name as DNS spells it once IDNA-encoded: labels of letters, digits, "-" (and "_", which some hosts carry).
HOST_NAME = re.compile(r"(?:[a-z0-9_-]{1,63}\.)*[a-z0-9_-]{1,63}\.?")
# A link's own scheme ("mailto:", "javascript:"); one other than http(s) is not a web link, never malformed.
SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
WEB_SCHEMES = ("http", "https")


def split(url: str):
    """Split a URL, lower-casing scheme and host and dropping the default port.

    ValueError for what is no URL: unbalanced brackets, a port that is not a number from 0 to 65535, a host
    that no host can be (spaces, "%", an empty or 64-character label, a name IDNA cannot encode).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if host and not is_host(host, parts.netloc):
        raise ValueError(f"not a host name: {host!r}")
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return scheme, netloc, parts.path or "/", parts.query


def is_host(host: str, netloc: str) -> bool:
    """Whether a URL's host can be one: an address in brackets (urlsplit checked it), else a name that
    HOST_NAME spells once IDNA-encoded."""
    if "[" in netloc:
        return True
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    return HOST_NAME.fullmatch(host) is not None


def clean_path(path: str) -> str:
    """Collapse repeated slashes, drop a trailing slash after `.html`, one percent-encoding of the path
    (spaces and control characters included, as browsers send them). ValueError for a path no text can hold
    (a lone surrogate)."""
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith(".html/"):
        path = path[:-1]
    if "%" in path or not path.isascii() or not path.isprintable() or " " in path:
        path = quote(unquote(path.replace("%2F", "%252F").replace("%2f", "%252F")), safe=PATH_SAFE + "%")
    return path


def shown(href: str, limit: int = 120) -> str:
    """A link as a message names it: quoted and escaped (control characters too), cut after `limit` characters."""
    return repr(href if len(href) <= limit else href[:limit] + "…")


def malformed(href: str | None, base: str) -> bool:
    """Whether a link of the page at `base` is meant for the web (http(s), or relative) but is no URL: one
    `split` or `clean_path` cannot read, one that names no host, or one longer than MAX_URL_LENGTH.

    Empty links, "#..." and the links of other schemes (javascript:, mailto:, data:, tel:) are not web
    links: never malformed, whatever they hold. A malformed link is skipped and counted, never a crash: `urls`
    answers None for it, and only `urls.canonical_url`, for a URL a user typed, raises.
    """
    if not href:
        return False
    if len(href) > MAX_URL_LENGTH:
        return is_web_link(href)
    try:
        scheme, netloc = origin(base)
    except ValueError:
        return is_web_link(href)
    return _malformed_at(href, scheme, netloc)


def malformed_among(links, base: str) -> list[str]:
    """The malformed links (`malformed`) among links of the page at `base`, each once, in their order."""
    try:
        scheme, netloc = origin(base)
    except ValueError:
        return [link for link in dict.fromkeys(links) if link and is_web_link(link)]
    return [link for link in dict.fromkeys(links) if link and (
        is_web_link(link) if len(link) > MAX_URL_LENGTH else _malformed_at(link, scheme, netloc))]


def is_web_link(href: str) -> bool:
    """Whether a link is meant for the web: not empty, and of no scheme or http(s)."""
    scheme = SCHEME.match(href)
    return bool(href.strip()) and (scheme is None or scheme[1].lower() in WEB_SCHEMES)


# A blog's pages repeat a few hundred links, and every link of every post is checked: without this cache the
# extraction of the bench's 300 posts takes 2.3x as long (make bench, extraction: 2.8 ms a post).
@lru_cache(maxsize=8192)
def _malformed_at(href: str, scheme: str, netloc: str) -> bool:
    """`malformed` of a link on any page of this scheme and host: a relative path adds no host or port of its
    own, so only the page's scheme and host decide whether the link can be read."""
    if not is_web_link(href):
        return False
    try:
        absolute = urljoin(f"{scheme}://{netloc}/", href.strip()) if scheme and netloc else href.strip()
        parts = urlsplit(absolute)
        split(absolute)
        clean_path(parts.path)
    except ValueError:
        return True
    return parts.scheme.lower() in WEB_SCHEMES and not parts.hostname


def origin(page_url: str) -> tuple[str, str]:
    """The scheme and host (as written) a page's links are read against. ValueError for a page URL urlsplit
    cannot read."""
    parts = urlsplit(page_url)
    return parts.scheme, parts.netloc
