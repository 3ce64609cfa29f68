"""The post's author: theme profile, then a 'Publié par' line of the post, then page metadata."""

from __future__ import annotations

from archiver.extract.found import Found, first_found, first_text, strip_prefixes
from archiver.extract.page import PostPage, ld_text
from archiver.extract.text import collapse, element_text

AUTHOR_PREFIXES = ("Publié par", "Posté par", "Écrit par", "Rédigé par", "Par ", "par ")
# Words that start a post's author line; comment author lines ('Écrit par :') come after the footer.
AUTHOR_LINE = ("Publié par", "Posté par", "Rédigé par")
METADATA_AUTHOR = ("[itemprop=author] [itemprop=name]", "[itemprop=author]", 'meta[name="author"]::attr(content)')


def extract_author(page: PostPage) -> Found | None:
    """A name, without 'par' / 'Publié par' and without what follows a '|'."""
    return first_found((
        lambda: _named(first_text(page.sel, page.profile, "post", "author")),
        lambda: platform_author(page),
        lambda: generic_author(page),
    ))


def _named(found: Found | None) -> Found | None:
    """A found author line reduced to the name, or None when nothing is left."""
    if found is None:
        return None
    name = collapse(strip_prefixes(found.value, AUTHOR_PREFIXES).split("|")[0])
    return Found(name, found.source) if name else None


def platform_author(page: PostPage) -> Found | None:
    """'Publié par NAME' / 'Rédigé par NAME' before the post's footer or in it, outside the chrome."""
    starts = " or ".join(f"starts-with(normalize-space(), '{label}')" for label in AUTHOR_LINE)
    for parent in page.sel.xpath(f"//*[text()[{starts}]]"):
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
    for query in METADATA_AUTHOR:
        for node in page.sel.css(query):
            found = _named(Found(element_text(node), f"metadata: {query}"))
            if found:
                return found
    return None
