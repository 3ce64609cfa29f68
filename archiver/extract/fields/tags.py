"""The post's tags (name + canonical URL of the tag page, or no URL) in page order: theme, then 'Tags :'.

Namesake of archiver.store.tags: the same concept, a post's tags, at the extraction layer (that module stores them).
"""

# Tags are never categories: only links to tag pages (/tag/name, /archives/tag/Name/index-N.html) or the names
# after a "Tags :" label count, and a tag is known by its name, case aside. A page that shows no tag at all (no
# label, no link to a tag page outside its chrome) has none, and says so ("platform: no tag shown"): a page
# that shows some and gives none is a field missing, which the drift report counts.

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

from archiver import urls
from archiver.extract.found import Found, first_found, node_href
from archiver.extract.page import PostPage, text_has
from archiver.extract.profiles import select
from archiver.extract.text import collapse, element_text
from archiver.items import ExtractionWarning, Tag

TAG_LABELS = ("Tags :", "Tags:", "Tag :", "Tag:", "Mots-clés :", "Mots-clés:", "Mots clés :", "Étiquettes :")
# A tag page's link, tested on its href before its kind is read: both URL forms hold "/tag/".
TAG_HREFS = "//a[contains(@href, '/tag/')]"
# Where a footer's list of names ends: the next "|" part, or the end of the line.
NAMES_END = re.compile(r"\s*\|")
POST_BLOCKS = "ancestor::*[self::article or self::div or self::section][1]"
NO_TAG = "platform: no tag shown"


def extract_tags(page: PostPage) -> Found | None:
    """The theme's tag links, the "Tags :" part of the footer (its links, else its names), the links to tag
    pages in the post's block; an empty list when the page shows no tag."""
    return first_found((
        lambda: profile_tags(page),
        lambda: labelled_tags(page),
        lambda: block_tags(page),
        lambda: no_tags(page),
    ))


def check_tags(page: PostPage, sources: dict) -> list[ExtractionWarning]:
    """Warning: the post's footer links to tag pages but no tag was read."""
    if "tags" in sources and sources["tags"] != NO_TAG or page.footer is None:
        return []
    shown = tag_links(page.footer.xpath(".//a"), page.url)
    if not shown:
        return []
    return [ExtractionWarning("tags-missing", "tags", f"the footer links to {len(shown)} tag pages but no tag was read")]


def tag_links(links, url: str) -> list[Tag]:
    """Links to the blog's tag pages as Tags (the link's text, the tag's first page), once each, in order."""
    seen: dict[str, Tag] = {}
    for link in links:
        href = urls.on_blog(node_href(link), url)
        if href and urls.page_kind(href) == "tag":
            name = element_text(link) if not isinstance(link.root, str) else ""
            name = name or urls.tag_name(href) or ""
            if name:
                seen.setdefault(urls.tag_name(href).casefold(), Tag(name=name, url=urls.tag_first_page(href)))
    return list(seen.values())


def tag_names(text: str) -> list[Tag]:
    """The names of a "Tags : a, b | ..." text, once each (case aside), without links."""
    seen: dict[str, Tag] = {}
    for name in NAMES_END.split(text, maxsplit=1)[0].split(","):
        name = collapse(name).strip(" .;")
        if name:
            seen.setdefault(name.casefold(), Tag(name=name))
    return list(seen.values())


def profile_tags(page: PostPage) -> Found | None:
    """The first of the theme's tag selectors that finds tag links."""
    for query in page.profile.selectors("post", "tags") if page.profile else ():
        found = tag_links(select(page.sel, query), page.url)
        if found:
            return Found(found, f"{page.profile.name}: {query}")
    return None


def labelled_tags(page: PostPage) -> Found | None:
    """After a "Tags :" label: in the footer, its links to tag pages, else the comma-separated names up to the
    next "|"; then anywhere outside the chrome, its links only (a body may say "Tags :" in prose)."""
    for in_footer in (True, False):
        scope = page.footer if in_footer else page.sel
        if scope is None:
            continue
        for label in (label for label in TAG_LABELS if page.shows((label,))):
            for holder in page.content(scope.xpath(f".//text()[{text_has((label,))}]/..")):
                links, names = _after_label(holder.root, label, page.url)
                if links:
                    where = "in the footer" if in_footer else "on the page"
                    return Found(links, f"platform: links after '{label.rstrip(' :')}' {where}")
                if names and in_footer:
                    return Found(names, f"platform: names after '{label.rstrip(' :')}' in the footer")
    return None


def _after_label(element, label: str, url: str) -> tuple[list[Tag], list[Tag]]:
    """The tag links and the names that follow `label` inside an element, up to the next "|"."""
    pieces: list[tuple[str, object]] = []  # the element's texts and links, in document order
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            pieces += [("", node)] if node.tag == "a" else []
            pieces.append((node.text or "", None))
        elif node is not element:
            pieces.append((node.tail or "", None))
    links, texts, seen = [], [], False
    for text, link in pieces:
        if link is not None:
            links += [link] if seen else []
            continue
        if not seen:
            if label not in text:
                continue
            seen, text = True, text.split(label, 1)[1]
        texts.append(text.split("|", 1)[0])
        if "|" in text:
            break
    tags = tag_links([Selector(root=link, type="html") for link in links], url)
    return tags, ([] if tags else tag_names("".join(texts)))


def block_tags(page: PostPage) -> Found | None:
    """Links to tag pages in the post's block (the element around its footer, or its <article>), outside the chrome."""
    block = _post_block(page)
    if block is None:
        return None
    found = tag_links(page.content(block.xpath(f".{TAG_HREFS}")), page.url)
    return Found(found, "platform: links to tag pages in the post") if found else None


def _post_block(page: PostPage) -> Selector | None:
    """The element holding the post: the block around its footer line, else its <article>, else None."""
    if page.footer is not None:
        around = page.footer.xpath(POST_BLOCKS)
        return around[0] if around else page.footer
    articles = page.content(page.sel.xpath("//article"))
    return articles[0] if articles else None


def no_tags(page: PostPage) -> Found | None:
    """An empty list when the page shows no tag: no "Tags :" label and no link to a tag page outside the chrome."""
    if page.shows(TAG_LABELS) and page.content(page.sel.xpath(f"//text()[{text_has(TAG_LABELS)}]/..")):
        return None
    if tag_links(page.content(page.sel.xpath(TAG_HREFS)), page.url):
        return None
    return Found([], NO_TAG)
