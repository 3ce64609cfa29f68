"""Comments recognised by their structure, whatever their classes: a repeated block with an author line."""

# The author line is 'Écrit par : NAME | DATE', or a name beside a <time>; the text beside it is the comment.

from __future__ import annotations

import re

from lxml import html as lxml_html
from parsel import Selector

from archiver import dates, urls
from archiver.extract.found import Found
from archiver.extract.page import PostPage, text_has
from archiver.extract.text import BLOCK_TAGS, block_text, collapse
from archiver.items import Comment

AUTHOR_LINE_WORDS = ("Écrit par", "Ecrit par", "Posté par", "Rédigé par", "Envoyé par", "Commentaire de")
AUTHOR_LINE = re.compile(r"^\s*(?:" + "|".join(AUTHOR_LINE_WORDS) + r")\s*:?\s*", re.IGNORECASE)
# Words after a commenter's name on a line that also holds a <time>: "NAME a écrit le 4 février".
NAME_TAIL = re.compile(r"(?:\s*(?:\||—|–|,|:|\ble\b|\bà\b|\ba écrit\b|\bdit\b|\bsays\b|\bwrote\b))+\s*$", re.IGNORECASE)
# What a template writes after a commenter's name: "Ibrahim dit :", "Ibrahim says:", "Ibrahim a écrit :".
SAYS = re.compile(r"\s+(?:dit|a écrit|a ecrit|écrit|says|said|wrote)\s*:?\s*$", re.IGNORECASE)
NAME_HEAD = re.compile(r"^\s*par\b\s*:?", re.IGNORECASE)
MAX_CLIMB = 4
# Elements with a text that starts with an author line's words (each text first tested for their longest word).
SIGNATURE_WORDS = tuple(max(words.split(), key=len) for words in AUTHOR_LINE_WORDS)
SIGNATURES = (f"//*[text()[{text_has(SIGNATURE_WORDS)}]"
              f"[{' or '.join(f'starts-with(normalize-space(), {words!r})' for words in AUTHOR_LINE_WORDS)}]]")


def structural_comments(page: PostPage) -> Found | None:
    """Every comment block found from its author line, in page order."""
    lines = _author_lines(page)
    comments = []
    for marker, line in lines:
        body = _body(line, marker, [other for _, other in lines])
        comment = _comment(line, body, page.url)
        if comment is not None:
            comments.append(comment)
    return Found(comments, "platform: comment blocks by their author lines") if comments else None


def _author_lines(page: PostPage) -> list[tuple]:
    """(marker, line) of each comment signature after the post's footer, outside the chrome (lxml elements)."""
    markers = list(page.sel.xpath(SIGNATURES)) if page.shows(SIGNATURE_WORDS) else []
    if page.permalink_link is not None:
        markers += page.sel.xpath("//time")
    lines: dict = {}
    for marker in markers:
        if page.is_chrome(marker) or page.in_footer(marker):
            continue
        if page.permalink_link is not None and page.before_footer(marker):
            continue
        lines.setdefault(_nearest_block(marker.root), marker.root)
    ordered = sorted(lines.items(), key=lambda item: page.order.get(item[0], 0))
    return [(marker, line) for line, marker in ordered]


def _nearest_block(element):
    """The element itself when it is a block, else its nearest block ancestor."""
    while element is not None and str(element.tag).lower() not in BLOCK_TAGS:
        element = element.getparent()
    return element


def _body(line, marker, lines: list) -> list:
    """The elements holding a comment's text: blocks inside its signature line beside the marker, else
    beside the line in the smallest block that has text, else (a flat list) the siblings before it."""
    inside = [child for child in line if _is_block(child) and not _contains(child, marker)]
    if any(_text(child) for child in inside):
        return inside
    block = line
    for _ in range(MAX_CLIMB):
        parent = block.getparent()
        if parent is None:
            break
        if any(other is not line and _contains(parent, other) for other in lines):
            return _flat_body(parent, block, lines)
        block = parent
        body = [child for child in block if not _contains(child, line)]
        if any(_text(child) for child in body):
            return body
    return []


def _is_block(element) -> bool:
    """Whether an lxml element is a block element."""
    return isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS


def _text(element) -> str:
    """An element's text, collapsed."""
    return collapse(" ".join(element.itertext())) if isinstance(element.tag, str) else ""


def _flat_body(container, line_child, lines: list) -> list:
    """In a flat list of comments, the siblings between the previous author line and this one."""
    children = list(container)
    index = children.index(line_child)
    body = []
    for child in reversed(children[:index]):
        if any(_contains(child, other) for other in lines):
            break
        body.insert(0, child)
    return body


def _contains(element, other) -> bool:
    """Whether `other` is `element` or inside it."""
    return other is element or any(parent is element for parent in other.iterancestors())


def _comment(line, body: list, url: str) -> Comment | None:
    """A Comment from its author line and body elements, or None when it has no text."""
    texts = [block_text(Selector(root=child)) for child in body if isinstance(child.tag, str)]
    text = "\n\n".join(t for t in texts if t)
    if not text:
        return None
    return Comment(
        author=_author(line, body),
        author_url=_author_url(line, body, url),
        published=_published(line, body),
        body_text=text,
        body_html="".join(lxml_html.tostring(child, encoding="unicode", with_tail=False) for child in body).strip(),
    )


def _line_text(line, body: list) -> str:
    """The author line's text, <time> contents and the comment's own text left out."""
    parts = [line.text or ""]
    for child in line:
        if str(child.tag).lower() != "time" and child not in body:
            parts.append(" ".join(child.itertext()))
        parts.append(child.tail or "")
    return collapse(" ".join(parts))


def without_says(name: str | None) -> str | None:
    """A commenter's name without the template's "dit :" / "says:" / "a écrit :" after it (None when nothing is left)."""
    return collapse(SAYS.sub("", collapse(name))) or None


def _author(line, body: list) -> str | None:
    """The commenter's name: after 'Écrit par :', before the '|' and the date."""
    text = AUTHOR_LINE.sub("", _line_text(line, body), count=1).split("|")[0]
    date_at = re.search(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}\s+[a-zéû]+\.?\s+\d{4}", text)
    name = NAME_HEAD.sub("", NAME_TAIL.sub("", text[: date_at.start()] if date_at else text))
    return collapse(name) or None


def _author_url(line, body: list, url: str) -> str | None:
    """The commenter's link: the first link of the line that leads off this page."""
    for link in line.iter("a"):
        if any(_contains(part, link) for part in body):
            continue
        href = urls.absolute_or_none(link.get("href"), url)
        if href and href.split("#")[0] != url.split("#")[0]:
            return href
    return None


def _published(line, body: list):
    """When the comment was written: a <time datetime>, else the date on the line (after the '|'); a day (a date)
    when the page gives no time of day."""
    for moment in line.iter("time"):
        parsed = dates.parse_shown_moment(moment.get("datetime") or " ".join(moment.itertext()))
        if parsed is not None:
            return parsed
    text = _line_text(line, body)
    return dates.parse_shown_moment(text.split("|")[-1]) or dates.parse_shown_moment(text)
