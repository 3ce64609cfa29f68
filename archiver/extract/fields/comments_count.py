"""The comment count the page prints ("3 commentaires", "Commentaires (3)", "Aucun commentaire"), or None.

A number no post has (past MAX_COMMENTS) is refused: no count, and a warning quoting what the page said.
"""

from __future__ import annotations

import re

from archiver.extract.found import Found, Refused, candidates, first_found
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
# The most comments a count may say (the platform's busiest notes have a few thousand); SQLite's integers
# stop at 19 digits, Python's int() of a text at 4,300.
MAX_COMMENTS = 1_000_000


def count_said(text: str, *, in_footer: bool = False) -> str | None:
    """The digits of the count a text gives ('Aucun commentaire' is "0"; 'Laisser un commentaire' too in a
    footer), or None."""
    for pattern in COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(1)
    if NONE_YET.search(text) or (in_footer and INVITATION.search(text)):
        return "0"
    return None


def _is_count(digits: str) -> bool:
    """Whether digits say a number of comments a post can have (MAX_COMMENTS at most)."""
    digits = digits.lstrip("0")
    return len(digits) <= len(str(MAX_COMMENTS)) and int(digits or "0") <= MAX_COMMENTS


def comments_count_in(text: str, *, in_footer: bool = False) -> int | None:
    """The number a text gives (`count_said`), or None (no count, or one past MAX_COMMENTS)."""
    digits = count_said(text, in_footer=in_footer)
    return int(digits) if digits is not None and _is_count(digits) else None


def _counted(text: str, source: str, *, in_footer: bool = False) -> Found | None:
    """A text's count as a Found: its number, Refused when it is past MAX_COMMENTS, None when it says none."""
    digits = count_said(text, in_footer=in_footer)
    if digits is None:
        return None
    if not _is_count(digits):
        return Found(Refused(" ".join(text.split()), f"more than {MAX_COMMENTS:,} comments is no count"), source)
    return Found(int(digits), source)


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
        found = _counted(element_text(node), source)
        if found is not None:
            return found
    return None


def footer_comments_count(page: PostPage) -> Found | None:
    """A count in the post's footer or meta line (the one with 'Lien permanent'), link or text."""
    if page.footer is None:
        return None
    for node in page.footer.xpath(COUNT_WORDS):
        found = _counted(element_text(node), "platform: count in the footer", in_footer=True)
        if found is not None:
            return found
    return None


def generic_comments_count(page: PostPage) -> Found | None:
    """The first count the page prints outside sidebars, before the comments themselves."""
    for node in page.sel.xpath(PAGE_COUNT_WORDS) if page.shows(("ommentaire",)) else ():  # chrome: for a count only
        found = _counted(element_text(node), "marker: N commentaires")
        if found is not None and not page.is_chrome(node):
            return found
    return None
