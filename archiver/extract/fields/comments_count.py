"""The comment count the page prints ("3 commentaires", "Commentaires (3)", "Aucun commentaire"), or None."""

from __future__ import annotations

import re

from archiver.extract.found import Found, candidates, first_found
from archiver.extract.page import PostPage
from archiver.extract.text import element_text

COUNT_PATTERNS = (
    re.compile(r"(\d+)\s*commentaires?\b", re.IGNORECASE),            # "3 commentaires", "0 commentaire"
    re.compile(r"\bcommentaires?\s*\(\s*(\d+)\s*\)", re.IGNORECASE),  # "Commentaires (5)"
    re.compile(r"\bcommentaires?\s*:\s*(\d+)\b", re.IGNORECASE),      # "Commentaires : 5"
)
# Said instead of a number when there is no comment yet; an invitation counts only in the post's footer
# (a comment form titled "Laisser un commentaire" stands under posts that have comments too).
NONE_YET = re.compile(r"\b(?:aucun|pas de)\s+commentaire\b", re.IGNORECASE)
INVITATION = re.compile(r"\blaisser un commentaire\b|\bsoyez le premier\b", re.IGNORECASE)
COUNT_WORDS = "descendant-or-self::*[not(self::script)][text()[contains(., 'ommentaire')]]"
# The same elements over the whole page, found from their texts (`//descendant-or-self::*` would visit
# each element once per ancestor).
PAGE_COUNT_WORDS = "//text()[contains(., 'ommentaire')]/parent::*[not(self::script)]"


def comments_count_in(text: str, *, in_footer: bool = False) -> int | None:
    """The number a text gives ('Aucun commentaire' is 0; 'Laisser un commentaire' too in a footer), or None."""
    for pattern in COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    if NONE_YET.search(text) or (in_footer and INVITATION.search(text)):
        return 0
    return None


def extract_comments_count(page: PostPage) -> Found | None:
    """The theme's count, else a count in the post's footer line, else the first count outside the chrome."""
    return first_found((
        lambda: profile_comments_count(page),
        lambda: footer_comments_count(page),
        lambda: generic_comments_count(page),
    ))


def profile_comments_count(page: PostPage) -> Found | None:
    """The theme's comment-count selectors."""
    for node, source in candidates(page.sel, page.profile, "post", "comments_count"):
        count = comments_count_in(element_text(node))
        if count is not None:
            return Found(count, source)
    return None


def footer_comments_count(page: PostPage) -> Found | None:
    """A count in the post's footer or meta line (the one with 'Lien permanent'), link or text."""
    if page.footer is None:
        return None
    for node in page.footer.xpath(COUNT_WORDS):
        count = comments_count_in(element_text(node), in_footer=True)
        if count is not None:
            return Found(count, "platform: count in the footer")
    return None


def generic_comments_count(page: PostPage) -> Found | None:
    """The first count the page prints outside sidebars, before the comments themselves."""
    for node in page.sel.xpath(PAGE_COUNT_WORDS) if page.shows(("ommentaire",)) else ():  # chrome: for a count only
        count = comments_count_in(element_text(node))
        if count is not None and not page.is_chrome(node):
            return Found(count, "marker: N commentaires")
    return None
