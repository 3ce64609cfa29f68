"""One function per post field: a page Selector + a theme profile -> the value and its source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from parsel import Selector

from archiver import dates, urls
from archiver.extract import markers
from archiver.extract.profiles import Profile, select
from archiver.extract.text import block_text, collapse, element_text, inner_html
from archiver.items import Category


@dataclass(frozen=True)
class Found:
    """A field's value and the selector (or rule) that produced it."""

    value: Any
    source: str


def candidates(scope: Selector, profile: Profile, section: str, name: str) -> Iterator[tuple[Selector, str]]:
    """Every node matched by a field's selectors, in order of preference, with its selector."""
    for query in profile.selectors(section, name):
        for node in select(scope, query):
            yield node, f"{profile.name}: {query}"


def first_match(scope: Selector, profile: Profile, section: str, name: str) -> tuple[list[Selector], str]:
    """The nodes of the first selector of a list field that matches anything, with its source."""
    for query in profile.selectors(section, name):
        nodes = list(select(scope, query))
        if nodes:
            return nodes, f"{profile.name}: {query}"
    return [], ""


def first_text(scope: Selector, profile: Profile, section: str, name: str) -> Found | None:
    """The first non-empty text among a field's candidates."""
    for node, source in candidates(scope, profile, section, name):
        text = element_text(node)
        if text:
            return Found(text, source)
    return None


def node_href(node: Selector) -> str | None:
    """The link target of an <a>/<link> element, or the value of an ::attr() selection."""
    if isinstance(node.root, str):
        return node.root
    return node.attrib.get("href")


def strip_prefixes(text: str, prefixes: tuple[str, ...]) -> str:
    """A text without a leading marker such as 'Publié par' or 'Écrit par :'."""
    for prefix in prefixes:
        if text.lower().startswith(prefix.lower()):
            return text[len(prefix) :].lstrip(" :")
    return text


def extract_title(page: Selector, profile: Profile) -> Found | None:
    """The post's title: entities decoded, whitespace collapsed."""
    return first_text(page, profile, "post", "title")


def extract_published(page: Selector, profile: Profile, url: str) -> Found | None:
    """The publication datetime (Europe/Paris), checked against the permalink's day."""
    url_day = urls.post_date(url)
    for node, source in candidates(page, profile, "post", "published"):
        text = element_text(node)
        parsed = dates.parse_french_date(text)
        if parsed is None:
            continue
        clock = None if dates.has_clock(text) else _footer_clock(page, profile)
        return Found(dates.reconcile(parsed, url_day, clock), source)
    if url_day is not None:
        return Found(dates.reconcile(None, url_day, _footer_clock(page, profile)), "permalink day")
    return None


def _footer_clock(page: Selector, profile: Profile):
    """The time of day a classic footer starts with ('10:30 | Lien permanent')."""
    found = first_text(page, profile, "post", "time")
    return dates.parse_clock(found.value.split("|")[0]) if found else None


def extract_author(page: Selector, profile: Profile) -> Found | None:
    """The post's author, without 'par' / 'Publié par'."""
    found = first_text(page, profile, "post", "author")
    if found is None:
        return None
    name = collapse(strip_prefixes(found.value, markers.AUTHOR_PREFIXES).split("|")[0])
    return Found(name, found.source) if name else None


def extract_body(page: Selector, profile: Profile) -> Found | None:
    """The post's body as (inner HTML, readable text), from the first non-empty candidate."""
    for node, source in candidates(page, profile, "post", "body"):
        text = block_text(node)
        if text:
            return Found((inner_html(node), text), source)
    return None


def extract_print_url(page: Selector, profile: Profile, url: str) -> Found | None:
    """The absolute URL of the 'Imprimer' link (None for javascript:window.print())."""
    for node, source in candidates(page, profile, "post", "print_url"):
        href = node_href(node)
        if href is not None:
            return Found(urls.absolute_or_none(href, url), source)
    return None


def extract_categories(page: Selector, profile: Profile, url: str) -> Found | None:
    """The post's categories (name + canonical URL) in page order, without duplicates."""
    for query in profile.selectors("post", "categories"):
        found = category_links(select(page, query), url)
        if found:
            return Found(found, f"{profile.name}: {query}")
    return None


def category_links(links, url: str) -> list[Category]:
    """Links to the blog's category pages as Categories (name, canonical URL), once each, in order."""
    seen: dict[str, Category] = {}
    for link in links:
        href = urls.absolute_or_none(node_href(link), url)
        if href and urls.page_kind(href) == "category" and urls.same_host(href, url):
            name = element_text(link)
            if name:
                seen.setdefault(urls.canonical_url(href), Category(name=name, url=urls.canonical_url(href)))
    return list(seen.values())


def comments_count_in(text: str) -> int | None:
    """The number in '0 commentaire' / '3 commentaires' ('Aucun commentaire' is 0), or None."""
    match = markers.COMMENTS_COUNT.search(text)
    if match:
        return int(match.group(1))
    return 0 if markers.NO_COMMENTS.search(text) else None


def extract_comments_count(page: Selector, profile: Profile) -> Found | None:
    """The comment count the page prints, or None when it prints none."""
    for node, source in candidates(page, profile, "post", "comments_count"):
        count = comments_count_in(element_text(node))
        if count is not None:
            return Found(count, source)
    return None
