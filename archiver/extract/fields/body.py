"""The post's body as (inner HTML, readable text): theme profile, then the densest text before the footer.

Namesake of archiver.replica.body, which writes the replica's bodies (this module reads one).
"""

from __future__ import annotations

import re
from collections import Counter

from parsel import Selector

from archiver.extract.found import Found, candidates, first_found
from archiver.extract.page import PERMALINK_LABELS, PostPage
from archiver.extract.text import block_text, element_text, inner_html
from archiver.items import ExtractionWarning

# Containers whose paragraphs are never the body: forms, page headers and footers, comment areas.
NOT_BODY_TAGS = frozenset({"form", "header", "footer"})
NOT_BODY_NAMES = re.compile(r"comment|reaction|respond|replies", re.IGNORECASE)
# What a body without text may hold and still be a note.
MEDIA = ".//img[@src] | .//video | .//audio | .//iframe[@src] | .//embed | .//object"
# Text that belongs to a post's footer or to its comments, never to its body.
FOOTER_TEXT = re.compile(r"\bLien permanent\s*\||\|\s*Lien permanent\b|\bCatégories\s*:.*\|\s*\d+\s+commentaires?\b")
COMMENT_TEXT = re.compile(r"^(?:Écrit|Ecrit|Posté) par\s*:\s*\S.*\|.*\d{1,2}[:h]\d{2}", re.MULTILINE)


def extract_body(page: PostPage) -> Found | None:
    """The first non-empty candidate of the theme, else the element with the most paragraph text."""
    return first_found((
        lambda: profile_body(page),
        lambda: densest(page, before_footer=True, source="platform: densest text before 'Lien permanent'"),
        lambda: generic_body(page),
    ))


def check_body(page: PostPage, body_text: str | None) -> list[ExtractionWarning]:
    """Warnings: the body holds footer text ('Lien permanent | ...') or comment author lines."""
    warnings = []
    if not body_text or "|" not in body_text:  # both patterns need a '|'
        return warnings
    if FOOTER_TEXT.search(body_text):
        warnings.append(ExtractionWarning("body-has-footer", "body", "the body text holds the post's footer line"))
    if COMMENT_TEXT.search(body_text):
        warnings.append(ExtractionWarning("body-has-comments", "body", "the body text holds a comment's author line"))
    return warnings


def _read(node: Selector, source: str) -> Found | None:
    """A body element as (inner HTML, text), or None when it holds neither text nor media.

    A note can be an image, a video or an embed alone: its text is then "" and it is still a post.
    """
    text = block_text(node)
    if text or (not isinstance(node.root, str) and node.xpath(MEDIA)):
        return Found((inner_html(node), text), source)
    return None


def profile_body(page: PostPage) -> Found | None:
    """The theme's body selectors."""
    for node, source in candidates(page.sel, page.profile, "post", "body"):
        found = _read(node, source)
        if found:
            return found
    return None


def generic_body(page: PostPage) -> Found | None:
    """Microdata articleBody, else the element holding the most paragraph text (text density)."""
    for node in page.sel.css("[itemprop=articleBody]"):
        found = _read(node, "metadata: [itemprop=articleBody]")
        if found:
            return found
    return densest(page, before_footer=False, source="density: element with the most paragraph text")


def densest(page: PostPage, *, before_footer: bool, source: str) -> Found | None:
    """The parent of the most paragraph text, outside chrome and comment areas (before the footer if asked)."""
    if before_footer and page.permalink_link is None:
        return None
    scores: Counter = Counter()
    parents: dict = {}
    for paragraph in page.sel.xpath("//p"):
        if _not_body(page, paragraph) or (before_footer and not page.before_footer(paragraph)):
            continue
        parent = paragraph.xpath("..")[0]
        scores[parent.root] += len(element_text(paragraph))
        parents[parent.root] = parent
    if not scores:
        return None
    return _read(parents[scores.most_common(1)[0][0]], source)


def _not_body(page: PostPage, paragraph: Selector) -> bool:
    """Whether a paragraph sits where a body never is."""
    if page.is_chrome(paragraph):
        return True
    for element in [paragraph.root, *paragraph.root.iterancestors()]:
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if str(element.tag).lower() in NOT_BODY_TAGS or NOT_BODY_NAMES.search(names):
            return True
    return any(label in element_text(paragraph) for label in PERMALINK_LABELS) and len(element_text(paragraph)) < 300
