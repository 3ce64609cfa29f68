"""The fallback for pages no theme profile matches: JSON-LD, microdata, meta tags, text markers, text density.

Each `generic_<field>` tries its sources in a fixed order and returns a Found (value, source) or None.
"""

from __future__ import annotations

import json
from collections import Counter

from parsel import Selector

from archiver import dates, urls
from archiver.extract import markers
from archiver.extract.fields import Found, category_links, comments_count_in, strip_prefixes
from archiver.extract.profiles import Profile
from archiver.extract.text import block_text, collapse, element_text, inner_html

ARTICLE_TYPES = {"BlogPosting", "Article", "NewsArticle", "Report", "WebPage", "SocialMediaPosting"}
# Containers around a post that are not the post: navigation, sidebars, widgets, menus, comments.
_AROUND_POST = (
    "self::nav", "self::aside", "contains(@class,'side')", "contains(@id,'side')", "contains(@class,'widget')",
    "contains(@class,'menu')", "contains(@class,'comment')", "contains(@id,'comment')",
)
SIDEBAR = f"ancestor-or-self::*[{' or '.join(_AROUND_POST)}]"
# Where body text never is: all of the above, plus forms, page headers and footers.
NOT_CONTENT = f"ancestor-or-self::*[{' or '.join(_AROUND_POST + ('self::form', 'self::header', 'self::footer'))}]"


def json_ld_article(page: Selector) -> dict:
    """The first schema.org article object of the page's JSON-LD, or {}."""
    for raw in page.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for node in _ld_nodes(data):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if ARTICLE_TYPES.intersection(k for k in kinds if isinstance(k, str)):
                return node
    return {}


def _ld_nodes(data):
    """Every object of a JSON-LD document (top level, lists and @graph)."""
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_nodes(data.get("@graph", []))


def _ld_text(value) -> str | None:
    """A JSON-LD value as text: a string, or the name of a Person/Thing."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return collapse(value) if isinstance(value, str) and value.strip() else None


def _first(page: Selector, queries: tuple[str, ...], name: str) -> Found | None:
    """The first non-empty text among CSS queries, with its source."""
    for query in queries:
        for node in page.css(query):
            text = element_text(node)
            if text:
                return Found(text, f"{name}: {query}")
    return None


def generic_title(page: Selector, ld: dict) -> Found | None:
    """JSON-LD headline, microdata headline, og:title, the heading that starts <title>, then <title>."""
    if _ld_text(ld.get("headline") or ld.get("name")):
        return Found(_ld_text(ld.get("headline") or ld.get("name")), "json-ld: headline")
    found = _first(page, ("[itemprop=headline]", 'meta[property="og:title"]::attr(content)'), "metadata")
    if found:
        return found
    document_title = collapse(page.css("title::text").get())
    for heading in page.xpath("//h1|//h2|//h3")[:40]:
        text = element_text(heading)
        if len(text) > 3 and document_title.startswith(text) and not heading.xpath(SIDEBAR):
            return Found(text, "markup: heading that starts <title>")
    return Found(document_title, "markup: <title>") if document_title else None


def generic_published(page: Selector, ld: dict, url: str) -> Found | None:
    """JSON-LD, microdata, article:published_time, <time datetime>, a French date near 'Publié', the URL's day."""
    url_day = urls.post_date(url)
    candidates = [(ld.get("datePublished"), "json-ld: datePublished")]
    for query in ("[itemprop=datePublished]::attr(datetime)", "[itemprop=datePublished]::attr(content)",
                  'meta[property="article:published_time"]::attr(content)', "time[datetime]::attr(datetime)"):
        candidates.append((page.css(query).get(), f"metadata: {query}"))
    for node in page.xpath(f"//*[self::time or self::span or self::p or self::div or self::small][not({SIDEBAR})]"
                           "[contains(., 'Publié') or contains(., 'publié') or self::time]")[:20]:
        candidates.append((" ".join(node.xpath("./text()").getall()) or element_text(node), "markup: date text"))
    for text, source in candidates:
        parsed = dates.parse_french_date(text) if isinstance(text, str) else None
        if parsed is not None:
            return Found(dates.reconcile(parsed, url_day), source)
    return Found(dates.reconcile(None, url_day), "permalink day") if url_day else None


def generic_author(page: Selector, ld: dict) -> Found | None:
    """JSON-LD author, microdata author, <meta name=author>, then a 'Publié par' marker."""
    if _ld_text(ld.get("author")):
        return Found(_ld_text(ld.get("author")), "json-ld: author")
    found = _first(page, ("[itemprop=author] [itemprop=name]", "[itemprop=author]", 'meta[name="author"]::attr(content)'), "metadata")
    if found:
        return Found(collapse(strip_prefixes(found.value, markers.AUTHOR_PREFIXES)), found.source)
    for node in page.xpath(f"//*[not({SIDEBAR})]/text()[starts-with(normalize-space(), 'Publié par') or starts-with(normalize-space(), 'Posté par')]"):
        name = collapse(strip_prefixes(collapse(node.get()), markers.AUTHOR_PREFIXES).split("|")[0])
        if name:
            return Found(name, "marker: Publié par")
    return None


def generic_body(page: Selector) -> Found | None:
    """Microdata articleBody, else the element holding the most paragraph text (text density)."""
    for node in page.css("[itemprop=articleBody]"):
        text = block_text(node)
        if text:
            return Found((inner_html(node), text), "metadata: [itemprop=articleBody]")
    scores: Counter = Counter()
    parents: dict = {}
    for paragraph in page.xpath(f"//p[not({NOT_CONTENT})]"):
        parent = paragraph.xpath("..")[0]
        key = parent.root
        scores[key] += len(element_text(paragraph))
        parents[key] = parent
    if not scores:
        return None
    best = parents[scores.most_common(1)[0][0]]
    text = block_text(best)
    return Found((inner_html(best), text), "density: element with the most paragraph text") if text else None


def generic_print_url(page: Selector, url: str) -> Found | None:
    """The link labelled 'Imprimer' wherever it is (None for javascript:window.print())."""
    for label in markers.PRINT_LABELS:
        for href in page.xpath(f"//a[normalize-space()='{label}']/@href").getall():
            return Found(urls.absolute_or_none(href, url), f"marker: {label}")
    return None


def generic_categories(page: Selector, url: str) -> Found | None:
    """Category links after a 'Catégories :' marker, else rel=tag links, outside sidebars."""
    for label in markers.CATEGORIES_LABELS:
        for holder in page.xpath(f"//*[text()[contains(., '{label}')]][not({SIDEBAR})]"):
            found = category_links(holder.xpath(".//a"), url)
            if found:
                return Found(found, f"marker: {label}")
    found = category_links(page.xpath(f"//a[@rel='tag' or contains(@rel,'category')][not({SIDEBAR})]"), url)
    return Found(found, "markup: a[rel=tag]") if found else None


def generic_comments_count(page: Selector) -> Found | None:
    """The first 'N commentaires' / 'Aucun commentaire' outside sidebars."""
    for node in page.xpath(f"//*[not(self::script)][text()[contains(., 'ommentaire')]][not({SIDEBAR}) or self::a]"):
        count = comments_count_in(element_text(node))
        if count is not None:
            return Found(count, "marker: N commentaires")
    return None


def canonical_post_url(page: Selector, url: str) -> str:
    """The post's permalink: the fetched URL if it is one, else <link rel=canonical> or og:url."""
    if urls.page_kind(url) == "post":
        return urls.canonical_url(url)
    for query in ('link[rel="canonical"]::attr(href)', 'meta[property="og:url"]::attr(content)'):
        href = urls.absolute_or_none(page.css(query).get(), url)
        if href and urls.page_kind(href) == "post":
            return urls.canonical_url(href)
    return urls.canonical_url(url)


# Comments on unknown themes: schema.org microdata, else the usual blog vocabularies
# (WordPress's li.comment / .comment-content, French "réactions").
COMMENTS_PROFILE = Profile(
    name="generic",
    detect=(),
    post={},
    comments={
        "item": ("[itemprop=comment]", "li.comment", "article.comment", "li.reaction", "div.reaction", "div.comment"),
        "author": ("[itemprop=author] [itemprop=name]", "[itemprop=author]", ".comment-author", "cite", ".author"),
        "author_url": ("[itemprop=author] a::attr(href)", ".comment-author a::attr(href)", "cite a::attr(href)"),
        "published": ("[itemprop=dateCreated]::attr(datetime)", "time::attr(datetime)", "time", ".comment-date",
                      ".reaction-date", ".comment-metadata"),
        "body": ("[itemprop=text]", ".comment-content", ".comment-body", ".reaction-text", ".comment-text", "p"),
    },
)
