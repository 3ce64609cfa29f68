"""Reader comments in page order: theme profile, then comment blocks, then the usual blog vocabularies.

Namesake of archiver.store.comments: the same concept, a post's comments, at the extraction layer (that module
stores them).
"""

# The usual blog vocabularies: schema.org, WordPress, "réactions".

from __future__ import annotations

from copy import deepcopy

from parsel import Selector

from archiver import dates, urls
from archiver.extract.fields.comment_blocks import structural_comments, without_says
from archiver.extract.found import Found, candidates, first_found, first_match, first_text, node_href, strip_prefixes
from archiver.extract.page import PostPage
from archiver.extract.profiles import Profile, select
from archiver.extract.text import block_text, collapse, element_text, inner_html
from archiver.items import Comment, ExtractionWarning

COMMENT_AUTHOR_PREFIXES = ("Écrit par :", "Ecrit par :", "Écrit par", "Posté par :", "Posté par", "Publié par :", "par ")
# Comments on unknown themes: schema.org microdata, else the usual blog vocabularies.
GENERIC_COMMENTS = Profile(
    name="generic",
    detect=(),
    post={},
    comments={
        "item": ("[itemprop=comment]", "li.comment", "article.comment", "li.reaction", "div.reaction", "div.comment"),
        "author": ("[itemprop=author] [itemprop=name]", "[itemprop=author]", ".comment-author .fn", ".comment-author",
                   "cite", ".author"),
        "author_url": ("[itemprop=author] a::attr(href)", ".comment-author a::attr(href)", "cite a::attr(href)"),
        "published": ("[itemprop=dateCreated]::attr(datetime)", "time::attr(datetime)", "time", ".comment-date",
                      ".reaction-date", ".comment-metadata"),
        "body": ("[itemprop=text]", ".comment-content", ".comment-body", ".reaction-text", ".comment-text", "p"),
    },
)


def extract_comments(page: PostPage, shown: int | None = None) -> Found | None:
    """The comments as a Found list (None when the page shows none that can be read).

    When the page says it has no comment ("0 commentaire"), only the theme's selectors are tried.
    """
    if shown == 0:
        return profile_comments(page, page.profile)
    return first_found((
        lambda: profile_comments(page, page.profile),
        lambda: structural_comments(page),
        lambda: profile_comments(page, GENERIC_COMMENTS, outside_chrome=True),
    ))


def check_comments(comments: list, count: int | None) -> list[ExtractionWarning]:
    """Warnings: the page says "N commentaires" but another number of comments was read."""
    if count is None or count == len(comments):
        return []
    if not comments and count > 0:
        return [ExtractionWarning("comments-missing", "comments", f"the page shows {count} comments but none was read")]
    if count > 0:
        return [ExtractionWarning("comments-count-mismatch", "comments",
                                  f"the page shows {count} comments but {len(comments)} were read")]
    return []


def profile_comments(page: PostPage, profile: Profile | None, *, outside_chrome: bool = False) -> Found | None:
    """Every comment block a profile's item selector finds, read with its selectors."""
    nodes, source = first_match(page.sel, profile, "comments", "item")
    if outside_chrome:
        nodes = page.content(nodes)
    holding = _holding_replies(nodes)
    comments = [comment for node in nodes
                if (comment := _comment(_own(node, source) if node.root in holding else node, profile, page.url)) is not None]
    return Found(comments, source) if comments else None


def _holding_replies(nodes: list[Selector]) -> set:
    """The comment blocks that hold other comment blocks (replies nested in their parent's block)."""
    items = {node.root for node in nodes if not isinstance(node.root, str)}
    return {ancestor for item in items for ancestor in item.iterancestors() if ancestor in items}


def _own(node: Selector, source: str) -> Selector:
    """A comment block without the replies nested in it (a copy: the page itself is never changed), so that
    its author link, date and text are its own, never a reply's."""
    query = source.split(": ", 1)[1]
    copy = deepcopy(node.root)
    scope = Selector(root=copy, type="html")
    for reply in [nested.root for nested in select(scope, query) if nested.root is not copy]:
        if reply.getparent() is not None:
            reply.getparent().remove(reply)
    return Selector(root=copy, type="html")


def _comment(node: Selector, profile: Profile, url: str) -> Comment | None:
    """One comment block, or None when it holds no text."""
    body = next(iter(candidates(node, profile, "comments", "body")), None)
    if body is None:
        return None
    text = block_text(body[0])
    if not text:
        return None
    return Comment(
        author=_author(node, profile),
        author_url=_author_url(node, profile, url),
        published=_published(node, profile),
        body_text=text,
        body_html=inner_html(body[0]),
    )


def _author(node: Selector, profile: Profile) -> str | None:
    """The commenter's name, without 'Écrit par :' and without the date that follows it."""
    found = first_text(node, profile, "comments", "author")
    if found is None:
        return None
    return without_says(strip_prefixes(found.value, COMMENT_AUTHOR_PREFIXES).split("|")[0])


def _author_url(node: Selector, profile: Profile, url: str) -> str | None:
    """The commenter's link, absolute, or None."""
    for link, _ in candidates(node, profile, "comments", "author_url"):
        href = urls.absolute_or_none(node_href(link), url)
        if href:
            return href
    return None


def _published(node: Selector, profile: Profile):
    """When the comment was written (the footer's last part on classic themes): a day when the page gives no time."""
    for candidate, _ in candidates(node, profile, "comments", "published"):
        text = element_text(candidate)
        parsed = dates.parse_shown_moment(text.split("|")[-1]) or dates.parse_shown_moment(text)
        if parsed is not None:
            return parsed
    return None
