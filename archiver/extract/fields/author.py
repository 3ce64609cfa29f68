"""The post's author: theme profile, then a 'Publié par' line of the post, then page metadata."""

from __future__ import annotations

from archiver.extract.found import Found, candidates, first_found, strip_prefixes
from archiver.extract.page import PostPage, ld_text, text_has
from archiver.extract.text import collapse, element_text

AUTHOR_PREFIXES = ("Publié par", "Posté par", "Écrit par", "Rédigé par", "Par ", "par ")
# Words that start a post's author line; comment author lines ('Écrit par :') come after the footer.
AUTHOR_LINE = ("Publié par", "Posté par", "Rédigé par")
METADATA_AUTHOR = ("[itemprop=author] [itemprop=name]", "[itemprop=author]", 'meta[name="author"]::attr(content)')
# Elements with a text that starts with one of those words (each text first tested for the line's longest word).
AUTHOR_WORDS = tuple(max(line.split(), key=len) for line in AUTHOR_LINE)
AUTHOR_LINES = (f"//*[text()[{text_has(AUTHOR_WORDS)}]"
                f"[{' or '.join(f'starts-with(normalize-space(), {label!r})' for label in AUTHOR_LINE)}]]")
# A comment's own author markup (schema.org Comment, a comment block): never the post's author.
IN_A_COMMENT = ("ancestor-or-self::*[@itemprop='comment' or contains(@itemtype, 'Comment')"
                " or contains(concat(' ', normalize-space(@class), ' '), ' comment ')]")


def extract_author(page: PostPage) -> Found | None:
    """A name, without 'par' / 'Publié par' and without what follows a '|'."""
    return first_found((
        lambda: _post_author(page, candidates(page.sel, page.profile, "post", "author")),
        lambda: platform_author(page),
        lambda: generic_author(page),
    ))


def _post_author(page: PostPage, found) -> Found | None:
    """The first named author among (node, source) candidates that belongs to the post, not to a comment:
    before the post's footer or in it, and outside any comment's markup."""
    for node, source in found:
        if isinstance(node.root, str) or (not node.xpath(IN_A_COMMENT) and (page.before_footer(node) or page.in_footer(node))):
            named = _named(Found(element_text(node), source))
            if named:
                return named
    return None


def _named(found: Found | None) -> Found | None:
    """A found author line reduced to the name, or None when nothing is left."""
    if found is None:
        return None
    name = collapse(strip_prefixes(found.value, AUTHOR_PREFIXES).split("|")[0])
    return Found(name, found.source) if name else None


def platform_author(page: PostPage) -> Found | None:
    """'Publié par NAME' / 'Rédigé par NAME' before the post's footer or in it, outside the chrome."""
    for parent in page.sel.xpath(AUTHOR_LINES) if page.shows(AUTHOR_WORDS) else ():
        if page.is_chrome(parent) or not (page.before_footer(parent) or page.in_footer(parent)):
            continue
        text = element_text(parent)
        label = next(label for label in AUTHOR_LINE if label in text)
        found = _named(Found(text[text.index(label):], "platform: 'Publié par' line"))
        if found:
            return found
    return None


def generic_author(page: PostPage) -> Found | None:
    """JSON-LD author, microdata author, <meta name=author>."""
    if ld_text(page.ld.get("author")):
        return Found(ld_text(page.ld.get("author")), "json-ld: author")
    return _post_author(page, ((node, f"metadata: {query}") for query in METADATA_AUTHOR for node in page.sel.css(query)))
