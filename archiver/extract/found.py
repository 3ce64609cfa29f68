"""A field's value with the rule that found it, and the helpers that run a profile's selectors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from parsel import Selector

from archiver.extract.profiles import Profile, select
from archiver.extract.text import element_text


@dataclass(frozen=True)
class Found:
    """A field's value and the selector (or rule) that produced it."""

    value: Any
    source: str


@dataclass(frozen=True)
class Refused:
    """What a page gave for a field that cannot be true (99999999999999999999 comments): the field is left
    without a value, and the post carries an "absurd-number" warning quoting `said` and saying `why`."""

    said: str
    why: str


def first_found(steps: Iterable[Callable[[], Found | None]]) -> Found | None:
    """The first step of a field's cascade that finds something (later steps are not run)."""
    for step in steps:
        found = step()
        if found is not None:
            return found
    return None


def candidates(scope: Selector, profile: Profile | None, section: str, name: str) -> Iterator[tuple[Selector, str]]:
    """Every node matched by a field's selectors, in order of preference, with its selector."""
    if profile is None:
        return
    for query in profile.selectors(section, name):
        for node in select(scope, query):
            yield node, f"{profile.name}: {query}"


def first_match(scope: Selector, profile: Profile | None, section: str, name: str) -> tuple[list[Selector], str]:
    """The nodes of the first selector of a list field that matches anything, with its source."""
    if profile is None:
        return [], ""
    for query in profile.selectors(section, name):
        nodes = list(select(scope, query))
        if nodes:
            return nodes, f"{profile.name}: {query}"
    return [], ""


def first_text(scope: Selector, profile: Profile | None, section: str, name: str) -> Found | None:
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
