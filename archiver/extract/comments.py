"""Reader comments under a post: author, link, date, text and HTML, in page order."""

from __future__ import annotations

from parsel import Selector

from archiver import dates, urls
from archiver.extract import markers
from archiver.extract.fields import candidates, first_match, first_text, node_href, strip_prefixes
from archiver.extract.profiles import Profile
from archiver.extract.text import block_text, collapse, element_text, inner_html
from archiver.items import Comment


def extract_comments(page: Selector, profile: Profile, url: str) -> list[Comment]:
    """Every comment the page shows, with the fields the profile can find."""
    nodes, _ = first_match(page, profile, "comments", "item")
    return [comment for node in nodes if (comment := _comment(node, profile, url)) is not None]


def _comment(node: Selector, profile: Profile, url: str) -> Comment | None:
    """One comment block, or None when it holds no text."""
    body = next(iter(candidates(node, profile, "comments", "body")), None)
    if body is None:
        return None
    text = block_text(body[0])
    if not text:
        return None
    return Comment(
        author=_author(node, profile),
        author_url=_author_url(node, profile, url),
        published=_published(node, profile),
        body_text=text,
        body_html=inner_html(body[0]),
    )


def _author(node: Selector, profile: Profile) -> str | None:
    """The commenter's name, without 'Écrit par :' and without the date that follows it."""
    found = first_text(node, profile, "comments", "author")
    if found is None:
        return None
    name = collapse(strip_prefixes(found.value, markers.COMMENT_AUTHOR_PREFIXES).split("|")[0])
    return name or None


def _author_url(node: Selector, profile: Profile, url: str) -> str | None:
    """The commenter's link, absolute, or None."""
    for link, _ in candidates(node, profile, "comments", "author_url"):
        href = urls.absolute_or_none(node_href(link), url)
        if href:
            return href
    return None


def _published(node: Selector, profile: Profile):
    """When the comment was written (the footer's last part on classic themes)."""
    for candidate, _ in candidates(node, profile, "comments", "published"):
        text = element_text(candidate)
        parsed = dates.parse_french_date(text.split("|")[-1]) or dates.parse_french_date(text)
        if parsed is not None:
            return parsed
    return None
