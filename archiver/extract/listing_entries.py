"""What each entry of a listing page shows of its post (title, comment count, categories, text), and whether that
differs from the archived post: the listings as change detectors of `--revalidate`."""

# An entry's block is found from the permalinks extract_listing finds, never from class names alone: the nearest
# element around a post's links that holds no other listed post (widened as far as it holds no other), or, when the
# posts of a listing are runs of siblings with no wrapper, the run of siblings that leads to the post's last link.
# The post page's own field cascades then read a copy of the block (its "Lire la suite" links taken out), so an
# entry's text normalises exactly as the archived body_text does.

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from archiver import urls
from archiver.extract.fields.body import extract_body, profile_body
from archiver.extract.fields.categories import extract_categories
from archiver.extract.fields.comments_count import extract_comments_count, is_count_link
from archiver.extract.fields.title import extract_title
from archiver.extract.found import Refused
from archiver.extract.listing import PageLinks, listed_posts, presents_post
from archiver.extract.page import PERMALINK_LABELS, PostPage
from archiver.extract.profiles import Profile
from archiver.extract.text import BLOCK_TAGS, block_text, collapse, element_text
from archiver.terminal import CONTROL

# The links that cut a post short on a listing ("Lire la suite"): by their words, their class, or a #more target.
MORE_LABELS = frozenset(("Lire la suite", "Lire la suite »", "Lire la suite...", "Lire la suite…", "(Lire la suite)",
                         "Lire la note", "Lire la note »", "Suite", "Suite »", "La suite", "Voir la suite",
                         "Continuer la lecture", "Continue reading", "Continue reading →", "Read more", "Lire plus"))
MORE_CLASSES = frozenset(("more", "more-link", "read-more", "readmore"))
# What may close a cut text besides the link (never the post's words).
CUT_MARKS = ("[…]", "[...]", "(…)", "(...)", "…", "...")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The ancestors a block never widens to (the page itself).
PAGE_TAGS = frozenset(("body", "html"))


@dataclass(frozen=True)
class ListingEntry:
    """One post as a listing page shows it."""

    url: str  # the post's canonical permalink, as extract_listing(...).posts gives it
    title: str | None  # as extract_title reads it on the post page (entities decoded, spaces collapsed)
    comments_count: int | None  # None: the entry shows no count
    categories: frozenset[str] | None  # category slugs; None: the entry shows none
    text: str | None  # the visible body text, as body_text is; None: unreadable
    truncated: bool  # the entry cuts the text ("Lire la suite", a #more link, the theme's "more")


@dataclass(frozen=True)
class ArchivedSummary:
    """What the archive holds of a post: the side an entry is compared with."""

    title: str | None
    comments_count: int | None
    categories: frozenset[str]  # slugs
    body_text: str | None


def listing_entries(page: Selector, url: str, profile: Profile | None) -> list[ListingEntry]:
    """One entry per post the listing presents (the posts of extract_listing, same order); a post whose block cannot
    be delimited still gets an entry with text=None (so the caller fetches it: unreadable is a change)."""
    links = PageLinks(page, url)
    permalinks = [link for link in links.anchors if link.kind == "post"]
    listing_page = PostPage(page, urls.canonical_or_none(url) or url, profile)
    posts = listed_posts(page, url, profile, links, permalinks, listing_page)
    chrome = sidebars(listing_page)
    shown: dict[str, list] = {post: [] for post in posts}
    for link in links.anchors:
        if link.target in shown and link.element not in chrome:
            shown[link.target].append(link.element)
    presenting = {post: [a for a in anchors if presents_post(a)] or anchors for post, anchors in shown.items()}
    blocks = delimit(presenting, chrome)
    return [read_entry(page, url, post, blocks.get(post), profile) for post in posts]


def sidebars(page: PostPage) -> frozenset:
    """Every node of the page's chrome (PostPage.chrome), but for a link that is chrome by itself: a link is no
    sidebar box (a footer's "Lien permanent" after "Catégories : ..." is taken for one)."""
    return frozenset(node for element in page.chrome if element.tag != "a" for node in element.iter())


def delimit(anchors: dict[str, list], chrome: frozenset) -> dict[str, list]:
    """Each post's block as the elements it spans (one element, or a run of siblings); posts left out have none."""
    holders: dict = {}  # element -> the listed posts it holds a link of
    for post, elements in anchors.items():
        for element in elements:
            for ancestor in (element, *element.iterancestors()):
                posts = holders.setdefault(ancestor, set())
                if post in posts:
                    break
                posts.add(post)
    holding_chrome = {ancestor for element in chrome for ancestor in element.iterancestors()} - chrome
    blocks = {}
    for post, elements in anchors.items():
        if not elements:
            continue
        block = _common_ancestor(elements)
        if holders[block] == {post}:
            while (parent := block.getparent()) is not None and holders.get(parent) == {post} \
                    and parent.tag not in PAGE_TAGS and parent not in holding_chrome:
                block = parent
            blocks[post] = [block]
        elif (run := _sibling_run(block, post, holders)) is not None:
            blocks[post] = run
    return blocks


def _common_ancestor(elements: list):
    """The nearest element holding every element of the list (itself when there is one)."""
    chain = [elements[0], *elements[0].iterancestors()]
    rank = {element: index for index, element in enumerate(chain)}
    deepest = 0
    for element in elements[1:]:
        while element not in rank:
            element = element.getparent()
        deepest = max(deepest, rank[element])
    return chain[deepest]


def _sibling_run(parent, post: str, holders: dict) -> list | None:
    """The children of `parent` that make a post with no wrapper: from the child after the previous post's last one
    to the child holding the post's last link; None when the post's children are mixed with another post's."""
    children = [child for child in parent if isinstance(child.tag, str)]
    mine = [index for index, child in enumerate(children) if post in holders.get(child, ())]
    first, last = mine[0], mine[-1]
    if any(holders.get(child, {post}) != {post} for child in children[first:last + 1]):
        return None
    while first > 0 and not holders.get(children[first - 1]):
        first -= 1
    return children[first:last + 1]


def read_entry(page: Selector, url: str, post: str, block: list | None, profile: Profile | None) -> ListingEntry:
    """The entry of one post on the listing at `url`: the post page's field cascades over a copy of its block, its
    "more" links taken out."""
    if block is None:
        return ListingEntry(post, None, None, None, None, False)
    root = etree.Element("div")  # the block's copy, alone in its tree
    root.extend(copy.deepcopy(element) for element in block)
    root[-1].tail = None
    more_links = [link for link in root.iter("a") if _leads_on(link, url, post, more=True)]
    cut_at = _cut_body(more_links[-1], root) if more_links else None
    _take_out(more_links)
    entry_page = PostPage(type(page)(root=root, type="html"), post, profile)
    title = extract_title(entry_page)
    count = extract_comments_count(entry_page)
    categories = extract_categories(entry_page)
    text = _text(entry_page, cut_at)
    return ListingEntry(
        url=post,
        title=_one_line(title.value) if title else _title_link(root, url, post) or _heading_title(root),
        comments_count=count.value if count and not isinstance(count.value, Refused) else None,
        categories=frozenset(filter(None, map(urls.category_slug, (c.url for c in categories.value)))) or None
        if categories else None,  # None: the entry shows no category
        text=CONTROL.sub("", text) if text is not None else None,
        truncated=bool(more_links),
    )


def _text(page: PostPage, cut_at) -> str | None:
    """The entry's body text: the theme's body, else the element its "Lire la suite" link closes, else the rest of
    the post page's body cascade (the densest text before "Lien permanent", ...)."""
    body = profile_body(page)
    if body is None and cut_at is not None:
        return block_text(type(page.sel)(root=cut_at, type="html"))
    body = body or extract_body(page)
    return body.value[1] if body else None


def _cut_body(link, root):
    """The element a "Lire la suite" link closes (the parent of the paragraph that holds the link alone), or None
    when that element holds the post's title or footer too (the link stands outside the body)."""
    holder = next((e for e in link.iterancestors() if str(e.tag).lower() in BLOCK_TAGS), None)
    if holder is not None and holder is not root and collapse(element_text(_sel(holder))) == collapse(
            element_text(_sel(link))):
        holder = holder.getparent()
    if holder is None or any(True for _ in holder.iter(*HEADINGS)) or any(
            collapse("".join(a.itertext())) in PERMALINK_LABELS for a in holder.iter("a")):
        return None
    return holder


def _sel(element) -> Selector:
    """A Selector over one lxml element."""
    return Selector(root=element, type="html")


def _take_out(found: list) -> None:
    """Remove links from their tree, their tails kept."""
    for link in found:
        parent, previous = link.getparent(), link.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (link.tail or "")
        else:
            parent.text = (parent.text or "") + (link.tail or "")
        parent.remove(link)


def _leads_on(link, url: str, post: str, *, more: bool) -> bool:
    """Whether an <a> of the listing at `url` is the post's "Lire la suite" link (`more`: it says so by its words,
    its class or its #more target), or one of its other links; either way it leads to the post."""
    href = link.get("href") or ""
    is_more = href.endswith("#more") or bool(set((link.get("class") or "").split()) & MORE_CLASSES) or collapse(
        "".join(link.itertext())) in MORE_LABELS
    return is_more is more and urls.on_blog(href, url) == post


def _heading_title(root) -> str | None:
    """The last heading with words before the block's first paragraph of text (an unlinked title that no cascade
    reads: on a listing of one post, the listing's own heading and the date heading come before it), or None."""
    title = None
    for element in root.iter(*HEADINGS, "p"):
        text = _one_line(element_text(_sel(element)))
        if element.tag != "p" and text:
            title = text
        elif element.tag == "p" and text and title is not None:
            break
    return title


def _title_link(root, url: str, post: str) -> str | None:
    """The words of the block's first link to the post that is no label ("Lien permanent", a count): a plain
    list's item."""
    for link in root.iter("a"):
        words = _one_line("".join(link.itertext()))
        if words and words not in PERMALINK_LABELS and not is_count_link(words) and _leads_on(link, url, post,
                                                                                             more=False):
            return words
    return None


def _one_line(text: str | None) -> str:
    """A title as the archive keeps it (archiver.pipelines.clean.one_line)."""
    return collapse(CONTROL.sub("", collapse(text)))


def entry_changes(entry: ListingEntry, archived: ArchivedSummary) -> list[str]:
    """What the entry shows that differs from the archive: a subset of ["title", "comments", "categories", "text",
    "unreadable"], empty when the listing shows nothing new. Truncated entries: their text must be a prefix of the
    archived text (after the same normalisation), else "text". An entry that shows no count/categories is not a
    change on that field (the rolling check covers it); an entry whose text is None is "unreadable"."""
    changes = []
    if (entry.title or None) != (_one_line(archived.title) or None):
        changes.append("title")
    if entry.comments_count is not None and entry.comments_count != archived.comments_count:
        changes.append("comments")
    if entry.categories is not None and entry.categories != archived.categories:
        changes.append("categories")
    if entry.text is None:
        changes.append("unreadable")
    elif not text_agrees(entry.text, archived.body_text, entry.truncated):
        changes.append("text")
    return changes


def text_agrees(shown: str, archived: str | None, truncated: bool) -> bool:
    """Whether an entry's text is the archived text (whitespace collapsed), or its beginning up to a word's end when
    the entry is cut (a closing "…" aside)."""
    shown, whole = collapse(shown), collapse(archived)
    if not truncated:
        return shown == whole
    for mark in CUT_MARKS:
        if shown.endswith(mark):
            shown = shown[: -len(mark)].rstrip()
            break
    return whole == shown or whole.startswith(shown + " ") or not shown
