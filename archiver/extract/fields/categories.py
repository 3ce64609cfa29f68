"""The post's categories (name + canonical URL) in page order: theme, then the links after 'Catégories :'.

Namesake of archiver.store.categories: the same concept, a post's categories, at the extraction layer (that module
stores them).
"""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from archiver import urls
from archiver.extract.found import Found, first_found, node_href
from archiver.extract.page import PostPage, text_has
from archiver.extract.profiles import select
from archiver.extract.text import BLOCK_TAGS, element_text
from archiver.items import Category, ExtractionWarning

CATEGORY_LABELS = ("Catégories :", "Catégorie :", "Catégories:", "Catégorie:", "Publié dans", "Classé dans",
                   "Rubriques :", "Rubrique :", "Tags :")
TAG_LINKS = "//a[@rel='tag' or contains(@rel,'category')]"


def extract_categories(page: PostPage) -> Found | None:
    """Only links to the blog's category pages count, once each, in the order the page shows them."""
    return first_found((
        lambda: profile_categories(page),
        lambda: labelled_categories(page, in_footer=True),
        lambda: footer_categories(page),
        lambda: labelled_categories(page, in_footer=False),
        lambda: generic_categories(page),
    ))


def check_categories(page: PostPage, sources: dict) -> list[ExtractionWarning]:
    """Warning: the post's footer links to category pages but no category was read."""
    if "categories" in sources or page.footer is None:
        return []
    shown = category_links(page.footer.xpath(".//a"), page.url)
    if not shown:
        return []
    return [ExtractionWarning("categories-missing", "categories",
                              f"the footer links to {len(shown)} category pages but no category was read")]


def category_links(links, url: str) -> list[Category]:
    """Links to the blog's category pages as Categories (name, canonical URL), once each, in order."""
    seen: dict[str, Category] = {}
    for link in links:
        href = urls.on_blog(node_href(link) if isinstance(link, Selector) else link.get("href"), url)
        if href and urls.page_kind(href) == "category" and urls.is_first_page(href):
            name = element_text(link) if isinstance(link, Selector) else " ".join(" ".join(link.itertext()).split())
            if name:
                seen.setdefault(href, Category(name=name, url=href))
    return list(seen.values())


def profile_categories(page: PostPage) -> Found | None:
    """The first of the theme's category selectors that finds category links."""
    for query in page.profile.selectors("post", "categories") if page.profile else ():
        found = category_links(select(page.sel, query), page.url)
        if found:
            return Found(found, f"{page.profile.name}: {query}")
    return None


def labelled_categories(page: PostPage, *, in_footer: bool) -> Found | None:
    """Category links after a 'Catégories :' / 'Publié dans' label, in the footer or anywhere outside chrome."""
    scope = page.footer if in_footer else page.sel
    if scope is None:
        return None
    for label in (label for label in CATEGORY_LABELS if page.shows((label,))):
        for holder in page.content(scope.xpath(f".//text()[{text_has((label,))}]/..")):
            block = _block(holder)
            found = category_links(_links_after(block.root, label), page.url)
            if found:
                where = "in the footer" if in_footer else "on the page"
                return Found(found, f"platform: links after '{label.rstrip(' :')}' {where}")
    return None


def footer_categories(page: PostPage) -> Found | None:
    """Category links in the post's footer line, without a label."""
    if page.footer is None:
        return None
    found = category_links(page.footer.xpath(".//a"), page.url)
    return Found(found, "platform: category links in the footer") if found else None


def generic_categories(page: PostPage) -> Found | None:
    """rel=tag / rel=category links outside the chrome."""
    found = category_links(page.content(page.sel.xpath(TAG_LINKS)), page.url)
    return Found(found, "markup: a[rel=tag]") if found else None


def _block(node: Selector) -> Selector:
    """The nearest block element holding a node (itself when it is one)."""
    if str(node.root.tag).lower() in BLOCK_TAGS:
        return node
    blocks = node.xpath("ancestor::*")
    for block in reversed(blocks):
        if str(block.root.tag).lower() in BLOCK_TAGS:
            return block
    return node


def _links_after(element, label: str) -> list:
    """The <a> elements that follow the first occurrence of `label` inside an element, in document order."""
    found, seen = [], False
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if seen and node.tag == "a":
                found.append(node)
            seen = seen or label in (node.text or "")
        elif node is not element:
            seen = seen or label in (node.tail or "")
    return found
