"""Readable text out of HTML elements: what a reader sees, paragraphs separated by blank lines.

Namesake of archiver.replica.text, which writes the replica's French text (this module reads text out of markup).
"""

# Trees are walked with a stack of our own, not by recursion: a page nested 20,000 elements deep is read too.

from __future__ import annotations

from lxml import etree
from parsel import Selector

BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
SCRIPT_TAGS = frozenset({"script", "style"})  # their text is never the text of an element
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
PARAGRAPH_BREAK = "\x00"


def collapse(text: str | None) -> str:
    """Whitespace (including non-breaking spaces) collapsed to single spaces, trimmed."""
    return " ".join((text or "").split())


def element_text(node: Selector) -> str:
    """The collapsed text of an element, or the value of a ::text / ::attr() selection (what XPath's
    `.//text()[not(ancestor::script or ancestor::style)]` finds, read from lxml directly)."""
    element = node.root
    if isinstance(element, str):
        return collapse(element)
    if not isinstance(element.tag, str):  # a comment: XPath refuses it, as before
        return collapse(" ".join(node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()))
    if any(parent.tag in SCRIPT_TAGS for parent in element.iterancestors()) or element.tag in SCRIPT_TAGS:
        return ""
    parts: list[str] = []
    _texts(element, parts)
    return collapse(" ".join(parts))


def _texts(element, parts: list[str]) -> None:
    """Append the text nodes inside an element, in document order, those in <script> and <style> left out."""
    stack = [element]  # elements still to read, and the tails that follow them
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item.text:
            parts.append(item.text)
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            if isinstance(child.tag, str) and child.tag not in SCRIPT_TAGS:
                stack.append(child)


def inner_html(node: Selector) -> str:
    """The HTML inside an element (its children, not the element itself)."""
    element = node.root
    if isinstance(element, str):
        return element
    if not isinstance(element.tag, str):  # a comment: XPath refuses it, as before
        return "".join(node.xpath("node()").getall()).strip()
    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, method="html", encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def block_text(node: Selector) -> str:
    """The text of a body element, one paragraph per block, paragraphs separated by blank lines."""
    if isinstance(node.root, str):
        return collapse(node.root)
    parts: list[str] = []
    _walk(node.root, parts)
    paragraphs = "".join(parts).split(PARAGRAPH_BREAK)
    cleaned = (_clean_paragraph(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def _walk(root, parts: list[str]) -> None:
    """Append the text of an lxml element and its children, marking block boundaries (the root's tail left out)."""
    stack: list = [(root, False)]  # (element, whether its children are read)
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if not closing and tag is not None and tag not in SKIPPED_TAGS:
            if tag in BLOCK_TAGS:
                parts.append(PARAGRAPH_BREAK)
            if tag == "br":
                parts.append("\n")
            if element.text:
                parts.append(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        if closing and tag in BLOCK_TAGS:
            parts.append(PARAGRAPH_BREAK)
        if element.tail and element is not root:
            parts.append(element.tail)


def _clean_paragraph(paragraph: str) -> str:
    """Collapse spaces inside each line of a paragraph and drop empty lines."""
    lines = (collapse(line) for line in paragraph.split("\n"))
    return "\n".join(line for line in lines if line)
