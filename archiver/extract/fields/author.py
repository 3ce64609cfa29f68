"""The post's author: theme profile, then the footer's 'Écrit par NAME dans', a 'Publié par' line, then metadata."""

# A theme's <meta> selectors count as metadata, read last: a page's metadata may name the blog's owner, the
# footer names the note's writer.

from __future__ import annotations

import re

from archiver.extract.found import Found, candidates, first_found, strip_prefixes
from archiver.extract.page import PostPage, ld_text, text_has
from archiver.extract.text import collapse, element_text

AUTHOR_PREFIXES = ("Publié par", "Posté par", "Écrit par", "Rédigé par", "Par ", "par ")
# Words that start a post's author line; comment author lines ('Écrit par :') come after the footer.
AUTHOR_LINE = ("Publié par", "Posté par", "Rédigé par")
METADATA_AUTHOR = ("[itemprop=author] [itemprop=name]", "[itemprop=author]", 'meta[name="author"]::attr(content)',
                   ".byline .fn", ".byline .author", "a[rel~=author]")  # the last three: hCard bylines (WordPress)
# Elements with a text that starts with one of those words (each text first tested for the line's longest word).
AUTHOR_WORDS = tuple(max(line.split(), key=len) for line in AUTHOR_LINE)
AUTHOR_LINES = (f"//*[text()[{text_has(AUTHOR_WORDS)}]"
                f"[{' or '.join(f'starts-with(normalize-space(), {label!r})' for label in AUTHOR_LINE)}]]")
# The footer's author: "17:43 Écrit par Charly Schwarz dans Culture, Politique | Lien permanent | ...".
FOOTER_AUTHOR = re.compile(
    r"(?:^|\|)\s*(?:\d{1,2}\s*[:h]\s*\d{2}\s+)?(?:Écrit|Ecrit|Publié|Posté|Rédigé) par\s*:?\s+"
    r"(?P<name>[^|]+?)(?=\s+dans\s|\s+le\s+\d|\s*\||\s*$)"
)
FOOTER_AUTHOR_MAX = 80  # a name, not a sentence
# A comment's own author markup (schema.org Comment, a comment block): never the post's author.
IN_A_COMMENT = ("ancestor-or-self::*[@itemprop='comment' or contains(@itemtype, 'Comment')"
                " or contains(concat(' ', normalize-space(@class), ' '), ' comment ')]")


def extract_author(page: PostPage) -> Found | None:
    """A name, without 'par' / 'Publié par' and without what follows a '|'."""
    return first_found((
        lambda: _post_author(page, _profile_candidates(page, metadata=False)),
        lambda: footer_author(page),
        lambda: platform_author(page),
        lambda: _post_author(page, _profile_candidates(page, metadata=True)),
        lambda: generic_author(page),
    ))


def _profile_candidates(page: PostPage, *, metadata: bool):
    """The theme's author candidates that read the page's <meta> tags, or those that read its markup."""
    return ((node, source) for node, source in candidates(page.sel, page.profile, "post", "author")
            if source.split(": ", 1)[1].startswith("meta") == metadata)


def footer_author(page: PostPage) -> Found | None:
    """'HH:MM Écrit par NAME dans A, B | Lien permanent': the name the post's footer line gives."""
    if page.footer is None:
        return None
    text = element_text(page.footer)
    match = FOOTER_AUTHOR.search(text.split("Lien permanent")[0])
    name = collapse(match["name"]) if match else ""
    return Found(name, "platform: 'Écrit par' in the footer") if name and len(name) <= FOOTER_AUTHOR_MAX else None


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
    """JSON-LD author, microdata author, <meta name=author>, a byline's hCard name ('par <a class="fn">NAME</a>')."""
    if ld_text(page.ld.get("author")):
        return Found(ld_text(page.ld.get("author")), "json-ld: author")
    return _post_author(page, ((node, f"metadata: {query}") for query in METADATA_AUTHOR for node in page.sel.css(query)))
