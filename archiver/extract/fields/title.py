"""The post's title: theme profile, then the platform's title heading, then page metadata."""

from __future__ import annotations

from archiver import urls
from archiver.extract.found import Found, first_found, first_text
from archiver.extract.page import PostPage, ld_text
from archiver.extract.text import collapse, element_text

# Single-note pages of classic templates give the title heading the id "p1".
PLATFORM_TITLE = ("h3#p1", "h2#p1", "h1#p1")
METADATA_TITLE = ("[itemprop=headline]", 'meta[property="og:title"]::attr(content)')
# Where a page names the blog itself (never a post's title).
SITE_NAME = ('meta[property="og:site_name"]::attr(content)', "xpath://a[@href='/' or @rel='home']")


def extract_title(page: PostPage) -> Found | None:
    """Entities decoded, whitespace collapsed."""
    return first_found((
        lambda: first_text(page.sel, page.profile, "post", "title"),
        lambda: platform_title(page),
        lambda: generic_title(page),
    ))


def platform_title(page: PostPage) -> Found | None:
    """The `#p1` heading, else the heading that links to the page's own permalink."""
    for query in PLATFORM_TITLE:
        for node in page.sel.css(query):
            if element_text(node):
                return Found(element_text(node), f"platform: {query}")
    for heading in page.content(page.sel.xpath("//h1[a]|//h2[a]|//h3[a]")):
        href = heading.xpath("./a/@href").get()
        if href and urls.canonical_or_none(href, page.url) == page.url and element_text(heading):
            return Found(element_text(heading), "platform: heading linking to the permalink")
    return None


def generic_title(page: PostPage) -> Found | None:
    """JSON-LD headline, microdata headline, og:title, the heading that starts <title>, then <title>."""
    headline = ld_text(page.ld.get("headline") or page.ld.get("name"))
    if headline:
        return Found(headline, "json-ld: headline")
    for query in METADATA_TITLE:
        for node in page.sel.css(query):
            if element_text(node):
                return Found(element_text(node), f"metadata: {query}")
    document_title = collapse(page.sel.css("title::text").get())
    site = site_names(page)
    for heading in page.sel.xpath("//h1|//h2|//h3")[:40]:
        text = element_text(heading)
        if len(text) > 3 and document_title.startswith(text) and text not in site and not page.is_chrome(heading):
            return Found(text, "markup: heading that starts <title>")
    return Found(document_title, "markup: <title>") if document_title and document_title not in site else None


def site_names(page: PostPage) -> set[str]:
    """The blog's own name as the page shows it (og:site_name, the link to the home page)."""
    names = {collapse(page.sel.css(SITE_NAME[0]).get())}
    names.update(element_text(link) for link in page.sel.xpath(SITE_NAME[1].removeprefix("xpath:"))
                 if (urls.canonical_or_none(link.attrib.get("href", ""), page.url) or "").rstrip("/").count("/") == 2)
    names.update(element_text(link) for link in page.sel.xpath("//a[@href]")
                 if (target := urls.canonical_or_none(link.attrib["href"], page.url))
                 and urls.page_kind(target) == "home" and urls.same_host(target, page.url))
    return names - {""}
