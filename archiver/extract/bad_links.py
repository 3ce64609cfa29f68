"""The links of a post page that are no URL ("http://host:80a/", "http://[oops/"): named in the post's notes."""

# Extraction skips each of them (the URL functions answer None for it) and reads the rest of the page; the
# notes say what was skipped, for `inspect`, `show` and the export. Links of sidebars and menus are not the
# post's and are left out (the listing pages that show them count them).

from __future__ import annotations

from archiver import urls
from archiver.extract.page import PostPage
from archiver.url_syntax import malformed_among

# Each element whose link extraction may read, and the attribute that holds it.
LINK_ATTRIBUTES = {"a": "href", "img": "src"}
# Malformed links a post's notes name; one more note counts the others.
NOTED = 5


def malformed_links(page: PostPage) -> list[str]:
    """The distinct malformed links (urls.malformed) of the post's body, footer and comments, in page order."""
    elements = list(page.sel.root.iter(*LINK_ATTRIBUTES))
    bad = set(malformed_among((element.get(LINK_ATTRIBUTES[element.tag]) for element in elements), page.url))
    if not bad:  # most pages: each distinct link tested once, no element looked at
        return []
    found: dict[str, None] = {}
    for element in elements:
        link = element.get(LINK_ATTRIBUTES[element.tag])
        if link in bad and link not in found and not page.is_chrome(element):
            found[link] = None
    return list(found)


def malformed_link_notes(page: PostPage) -> list[str]:
    """One note per malformed link of the post (NOTED at most, then one counting the rest)."""
    found = malformed_links(page)
    notes = [f"malformed link skipped: {urls.shown(link)}" for link in found[:NOTED]]
    if len(found) > NOTED:
        notes.append(f"{len(found) - NOTED} more malformed links skipped")
    return notes
