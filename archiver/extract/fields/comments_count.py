"""The comment count the page prints ("3 commentaires", "Commentaires (3)", "2 réponses", "Aucun commentaire"), or None."""

# An invitation to comment ("Laisser un commentaire", "Leave a reply", "Répondre") where a count would be (in the
# post's footer, or as the post's own comments link) is 0. A number no post has (past MAX_COMMENTS) is refused:
# no count, and a warning quoting what the page said.

from __future__ import annotations

import re

from archiver import urls
from archiver.extract.found import Found, Refused, candidates, first_found
from archiver.extract.page import PostPage, pretest_words, text_has
from archiver.extract.text import element_text

# The words a page says its comment count with, written once: the patterns below and the pre-test (COUNT_MARKS)
# are built from them.
COUNT_NOUNS = ("commentaire", "commentaires")  # "3 commentaires", "Commentaires (5)", "Commentaires : 5"
# What a count a short text starts with says after its number, as WordPress-style templates print it: "1 Comment",
# "2 Comments", "2 réponses à « Titre »", "Une réponse", "3 thoughts on “Titre”", "2 réflexions sur « Titre »".
LEADING_NOUNS = ("comment", "comments", "commentaire", "commentaires", "réponse", "réponses", "reponse", "reponses",
                 "reply", "replies", "response", "responses", "thought on", "thoughts on", "réflexion sur",
                 "réflexions sur", "reflexion sur", "reflexions sur")
ONE = ("un", "une", "one")
# Said instead of a number when there is no comment yet, wherever it stands.
NONE_YET_WORDS = ("aucun commentaire", "pas de commentaire", "soyez le premier", "be the first to comment", "no comments")
# An invitation to comment: 0 only where a count would be (a comment form titled "Laisser un commentaire" stands
# under posts that have comments too, and "Répondre" under each comment): in the post's footer, or as the whole
# text of a link to the post's own comments (where the last words count too).
INVITATION_WORDS = ("laisser un commentaire", "laisser une réponse", "laisser une reponse", "leave a comment",
                    "leave a reply", "ajouter un commentaire", "écrire un commentaire", "ecrire un commentaire")
LINK_INVITATION_WORDS = (*INVITATION_WORDS, "répondre", "repondre", "reply", "commenter")


def any_of(phrases: tuple[str, ...]) -> str:
    """A regex group matching one of the phrases (longest first), any whitespace between their words."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered) + ")"


COUNT_PATTERNS = tuple(re.compile(pattern.format(noun=any_of(COUNT_NOUNS)), re.IGNORECASE) for pattern in (
    r"(\d+)\s*{noun}\b", r"\b{noun}\s*\(\s*(\d+)\s*\)", r"\b{noun}\s*:\s*(\d+)\b"))
LEADING_COUNT = re.compile(rf"^\s*(?P<count>\d+|{any_of(ONE)})\s+{any_of(LEADING_NOUNS)}\b", re.IGNORECASE)
LEADING_COUNT_MAX = 160  # a heading or a link, not a paragraph of the body
# Where a page's leading count may stand (a paragraph of the body may start "Une réponse s'impose").
LEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "small"})
NONE_YET = re.compile(rf"\b{any_of(NONE_YET_WORDS)}\b", re.IGNORECASE)
INVITATION = re.compile(rf"\b{any_of(INVITATION_WORDS)}\b", re.IGNORECASE)
INVITATION_LINK = re.compile(rf"\s*{any_of(LINK_INVITATION_WORDS)}\s*[»›→]?\s*", re.IGNORECASE)
# Every text that may say a count or an invitation holds one of these (cheap, tested first): each phrase's
# pre-test word without its first letter, in lower and in upper case ("Commentaires", "COMMENTAIRES").
_TAILS = tuple(word[1:] for word in pretest_words(
    COUNT_NOUNS + LEADING_NOUNS + NONE_YET_WORDS + INVITATION_WORDS + LINK_INVITATION_WORDS))
COUNT_MARKS = _TAILS + tuple(tail.upper() for tail in _TAILS)
# The elements of the footer, and of the whole page, with a text that holds one of them. (`//descendant-or-self::*`
# would visit each element once per ancestor.)
FOOTER_COUNT_WORDS = f"descendant-or-self::*[not(self::script)][text()[{text_has(COUNT_MARKS)}]]"
PAGE_COUNT_WORDS = f"//text()[{text_has(COUNT_MARKS)}]/parent::*[not(self::script)]"
# A comment block around a link: its "Répondre" is the comment's, never the post's count.
COMMENT_BLOCK_NAMES = re.compile(r"^(?:comment|commentparent|commentchild|comment-body|reaction|depth-\d+)$|^(?:div-)?comment-\d+$|^c\d+$")
# The most comments a count may say (the platform's busiest notes have a few thousand); SQLite's integers
# stop at 19 digits, Python's int() of a text at 4,300.
MAX_COMMENTS = 1_000_000


def count_said(text: str, *, in_footer: bool = False, comments_link: bool = False, leading: bool = True) -> str | None:
    """The digits of the count a text gives ('Aucun commentaire' is "0"; an invitation too, in a footer or as
    the whole text of the post's comments link; "2 Comments" when `leading` counts are read), or None."""
    for pattern in COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(1)
    match = LEADING_COUNT.match(text) if leading and len(text) <= LEADING_COUNT_MAX else None
    if match:
        return "1" if match["count"].lower() in ONE else match["count"]
    if NONE_YET.search(text) or (in_footer and INVITATION.search(text)) or (comments_link and INVITATION_LINK.fullmatch(text)):
        return "0"
    return None


def may_say_count(text: str) -> bool:
    """Whether a text may say a count, that none is there yet, or invite to comment (it holds a COUNT_MARKS word)."""
    return any(mark in text for mark in COUNT_MARKS)


def is_count_link(text: str) -> bool:
    """Whether a link's whole text is a post's comments link: a count ("Commentaires (3)", "2 Comments") or an
    invitation ("Laisser un commentaire")."""
    return len(text) <= LEADING_COUNT_MAX and count_said(text, comments_link=True) is not None


def _is_count(digits: str) -> bool:
    """Whether digits say a number of comments a post can have (MAX_COMMENTS at most)."""
    digits = digits.lstrip("0")
    return len(digits) <= len(str(MAX_COMMENTS)) and int(digits or "0") <= MAX_COMMENTS


def comments_count_in(text: str, *, in_footer: bool = False) -> int | None:
    """The number a text gives (`count_said`), or None (no count, or one past MAX_COMMENTS)."""
    digits = count_said(text, in_footer=in_footer)
    return int(digits) if digits is not None and _is_count(digits) else None


def _counted(text: str, source: str, *, in_footer: bool = False, comments_link: bool = False,
             leading: bool = True) -> Found | None:
    """A text's count as a Found: its number, Refused when it is past MAX_COMMENTS, None when it says none."""
    digits = count_said(text, in_footer=in_footer, comments_link=comments_link, leading=leading)
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
    for node in page.footer.xpath(FOOTER_COUNT_WORDS):
        found = _counted(element_text(node), "platform: count in the footer", in_footer=True)
        if found is not None:
            return found
    return None


def generic_comments_count(page: PostPage) -> Found | None:
    """The first count the page prints outside sidebars, before the comments themselves (an invitation counts
    as the post's own comments link only)."""
    if not may_say_count(page.text):
        return None
    for node in page.sel.xpath(PAGE_COUNT_WORDS):  # chrome: for a count only
        text = element_text(node)
        found = _counted(text, "marker: N commentaires", leading=str(node.root.tag).lower() in LEADING_TAGS,
                         comments_link=INVITATION_LINK.fullmatch(text) is not None and _comments_link(page, node))
        if found is not None and not page.is_chrome(node):
            return found
    return None


def _comments_link(page: PostPage, node) -> bool:
    """Whether a node is (or is inside) a link to the post's own comments, outside any comment and form."""
    element = node.root
    link = next((e for e in (element, *element.iterancestors()) if e.tag == "a"), None)
    href = link.get("href") if link is not None else None
    target = urls.absolute_or_none(href, page.url) if href else None
    if target is None or "?" in target.split("#")[0] or urls.canonical_or_none(target) != page.url:
        return False
    for ancestor in element.iterancestors():
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".split()
        if ancestor.tag == "form" or ancestor.get("itemprop") == "comment" or any(map(COMMENT_BLOCK_NAMES.match, names)):
            return False
    return True
