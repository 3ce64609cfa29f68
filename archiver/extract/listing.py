"""Links a listing page (category, month, home) leads to: its posts, its other pages, categories, months;
and the previous/next notes a post page links to. Posts are recognised by their permalink's shape."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector

from archiver import urls
from archiver.extract.found import node_href
from archiver.extract.page import PostPage, text_is
from archiver.extract.profiles import Profile, select

# What a page presents as its pagination, whatever its classes: rel links, words, arrows, page numbers.
PAGINATION_WORDS = (
    "Suivant", "Suivant »", "Suivante", "Page suivante", "Précédent", "« Précédent", "Précédente",
    "Page précédente", "Notes plus anciennes", "Notes plus récentes", "Articles plus anciens",
    "Articles plus récents", "Notes précédentes", "Notes suivantes", "»", "«", "›", "‹", ">>", "<<",
)
PAGINATION_LINKS = (
    "//link[@rel='next' or @rel='prev' or @rel='previous'] | //a[contains(concat(' ', @rel, ' '), ' next ')"
    " or contains(concat(' ', @rel, ' '), ' prev ')] | //a[{words}] | //a[translate(normalize-space(), '0123456789', '') = ''"
    " and normalize-space() != '']"
).format(words=text_is(PAGINATION_WORDS))
# A post page's links to the notes before and after it.
NEIGHBOUR_WORDS = ("Note précédente", "Note suivante", "note précédente", "note suivante", "Article précédent",
                   "Article suivant")
NEIGHBOUR_LINKS = (
    "//link[@rel='next' or @rel='prev' or @rel='previous'] | //a[@rel='next' or @rel='prev']"
    " | //a[{words}]"
).format(words=" or ".join(f"contains(normalize-space(), '{word}')" for word in NEIGHBOUR_WORDS))
# The sidebar's (or /archives') list of categories, known by its heading.
CATEGORY_BOX_HEADINGS = ("Catégories", "Catégories :", "Rubriques", "Thèmes")
CATEGORY_LABELS = ("Catégories :", "Catégorie :", "Publié dans", "Classé dans")
# A link presents a listed post (rather than mentioning one in prose) when it is a title, a list item,
# a "Lien permanent" / "Lire la suite" link, or most of the text around it.
ENTRY_CONTAINERS = frozenset({"h1", "h2", "h3", "h4", "h5", "li", "td", "dt", "dd"})
ENTRY_LABELS = ("Lien permanent", "Lire la suite", "Permalien", "Lire la note")


@dataclass
class ListingLinks:
    """Canonical, same-host URLs found on a listing page, each once, in page order."""

    posts: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)  # other permalinks: in bodies, in the sidebar
    pages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)  # the blog's /archives index (every category and month)


def _blog_links(nodes, url: str) -> list[str]:
    """The distinct links among nodes that lead to the blog itself, canonical, in page order."""
    found = (urls.on_blog(node_href(node), url) for node in nodes)
    return list(dict.fromkeys(link for link in found if link))


def extract_listing(page: Selector, url: str, profile: Profile | None) -> ListingLinks:
    """What to follow from a listing page: its posts (by permalink shape), its pagination, categories, months."""
    post_page = PostPage(page, urls.canonical_url(url), profile)
    post_links = [node for node in page.css("a[href]") if urls.page_kind(urls.canonical_url(node_href(node), url)) == "post"]
    theme_posts = [link for query in (profile.selectors("listing", "posts") if profile else ())
                   for link in _blog_links(select(page, query), url)]
    entries = _blog_links([node for node in post_page.content(post_links) if _presents_post(node)], url)
    posts = [link for link in dict.fromkeys(theme_posts + entries) if urls.page_kind(link) == "post"]
    return ListingLinks(
        posts=posts,
        mentioned=[link for link in _blog_links(post_links, url) if link not in posts],
        pages=pagination(page, url, profile),
        categories=category_pages(page, url),
        months=[link for link in _blog_links(page.css("a[href]"), url) if urls.page_kind(link) == "month"
                and urls.category_page_number(link) == 1],
        archives=[link for link in _blog_links(page.css("a[href]"), url) if urls.page_kind(link) == "archives"],
    )


def _presents_post(link: Selector) -> bool:
    """Whether a permalink link presents a listed post (title, list item, 'Lien permanent'), not prose."""
    text = " ".join(link.xpath(".//text()").getall()).strip()
    if any(label in text for label in ENTRY_LABELS):
        return True
    parent = link.root.getparent()
    for element in (parent, *parent.iterancestors()) if parent is not None else ():
        tag = str(element.tag).lower()
        if tag in ENTRY_CONTAINERS:
            return True
        if tag in ("p", "div", "section", "article", "blockquote"):
            around = " ".join(" ".join(element.itertext()).split())
            return len(text) >= 0.5 * len(around)
    return False


def pagination(page: Selector, url: str, profile: Profile | None) -> list[str]:
    """The other pages of this listing that the page presents as its pagination, classified by URL."""
    family, here = urls.listing_family(url), urls.canonical_url(url)
    if family is None:
        return []
    theme = [node for query in (profile.selectors("listing", "pagination") if profile else ())
             for node in select(page, query)]
    links = _blog_links(theme + list(page.xpath(PAGINATION_LINKS)), url)
    return [link for link in links if link != here and urls.listing_family(link) == family]


def category_pages(page: Selector, url: str) -> list[str]:
    """Category pages the page vouches for: its category list (by heading) and the links after 'Catégories :'."""
    boxes = page.xpath(f"//*[text()[{text_is(CATEGORY_BOX_HEADINGS)}]]/following-sibling::*[1]//a")
    labelled = page.xpath(" | ".join(f"//text()[contains(., '{label}')]/following-sibling::a"
                                     for label in CATEGORY_LABELS))
    footers = page.xpath("//*[a[" + text_is(("Lien permanent",)) + "]]//a")
    paged = [link for link in _blog_links(page.css("a[href]"), url) if "/archives/category/" in link]
    found = _blog_links(list(boxes) + list(labelled) + list(footers), url) + paged
    return list(dict.fromkeys(
        link if urls.category_page_number(link) == 1 else urls.canonical_url(f"/{urls.category_slug(link)}/", link)
        for link in found if urls.page_kind(link) == "category"
    ))


def extract_neighbours(page: Selector, url: str) -> list[str]:
    """The notes a post page links to as its previous and next ones (permalinks)."""
    here = urls.canonical_url(url)
    links = _blog_links(page.xpath(NEIGHBOUR_LINKS), url)
    return [link for link in links if link != here and urls.page_kind(link) == "post"]
