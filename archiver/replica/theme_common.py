"""What every theme shares: escaping, title markup, link variants, sidebar data and pagination."""

from __future__ import annotations

import html
from dataclasses import dataclass

from . import frdates
from .body import words_html
from .model import BASE_TOKEN, Comment, Post, Tag, month_path
from .plan import Site

EXTERNAL_LINKS = (
    ("Observatoire de l'Afrique", "https://www.observatoire-afrique.invalid/"),
    ("Revue Défense & Sahel", "https://revue-defense.invalid/"),
    ("Carnets du Sahel", "http://carnets-du-sahel.invalid/blog/"),
)
UTM = "?utm_source=rss&utm_medium=feed"
RECENT_COUNT = 10
SIDEBAR_MONTHS = 12


def esc(text: str) -> str:
    """Escape text and attribute values (quotes too)."""
    return html.escape(text, quote=True).replace("&#x27;", "'")


def title_html(post: Post) -> str:
    """A title's markup: always escaped, with entity variations chosen by the post id."""
    markup = html.escape(post.title, quote=False)
    if post.id % 3 == 0:
        markup = markup.replace(" :", "&nbsp;:").replace(" ?", "&nbsp;?")
    if post.id % 2 == 1:
        markup = markup.replace("'", "&#039;")
    if post.id % 5 == 2:
        markup = markup.replace('"', "&quot;").replace("’", "&rsquo;")
    return markup


def comments_label(count: int) -> str:
    """"0 commentaire", "1 commentaire", "3 commentaires"."""
    return f"{count} commentaire" if count < 2 else f"{count} commentaires"


def tag_links(tags: list[Tag]) -> str:
    """"<a>pauvreté</a>, <a>salika wenger</a>": each tag linked to its first page, in the post's order."""
    return ", ".join(f'<a href="{BASE_TOKEN}{esc(tag.path)}">{esc(tag.name)}</a>' for tag in tags)


def title_href(post: Post) -> str:
    """The link a listing puts on a title: mostly the permalink, sometimes with feed tracking."""
    return esc(post.url + UTM) if post.id % 9 == 4 else post.url


def permalink_href(post: Post) -> str:
    """The "Lien permanent" link of a listing: sometimes root-relative."""
    return post.path if post.id % 5 == 2 else post.url


def more_href(post: Post) -> str:
    """The "Lire la suite" link: the permalink, sometimes with the #more anchor."""
    return post.url + "#more" if post.id % 4 == 1 else post.url


@dataclass(frozen=True)
class SidebarData:
    """The boxes of the sidebar (identical on every page): (label, href) pairs."""

    categories: tuple[tuple[str, str], ...]
    recent: tuple[tuple[str, str], ...]
    months: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...] = EXTERNAL_LINKS


def sidebar_data(site: Site) -> SidebarData:
    """Every category, the latest posts and the latest months."""
    months = sorted({post.month for post in site.posts}, reverse=True)[:SIDEBAR_MONTHS]
    return SidebarData(
        categories=tuple((esc(c.name), BASE_TOKEN + c.path) for c in site.categories),
        recent=tuple((title_html(p), p.url) for p in reversed(site.posts[-RECENT_COUNT:])),
        months=tuple((frdates.month_title(y, m), BASE_TOKEN + month_path(y, m)) for y, m in months),
    )


def link_list(pairs, item_class: str = "") -> str:
    """A <ul> of links."""
    li = f'<li class="{item_class}">' if item_class else "<li>"
    return "<ul>\n" + "\n".join(f'{li}<a href="{href}">{label}</a></li>' for label, href in pairs) + "\n</ul>"


def page_window(current: int, last: int) -> list[int | None]:
    """Page numbers to show around `current` (None stands for an ellipsis)."""
    shown = sorted({1, last, *range(max(1, current - 3), min(last, current + 3) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


@dataclass(frozen=True)
class Pager:
    """Where a listing page sits in its series, and the href of every page."""

    current: int
    last: int
    hrefs: dict[int, str]

    @property
    def prev_href(self) -> str | None:
        return self.hrefs[self.current - 1] if self.current > 1 else None

    @property
    def next_href(self) -> str | None:
        return self.hrefs[self.current + 1] if self.current < self.last else None


def truncated(post: Post) -> bool:
    """Listings cut a post at its "more" marker."""
    return post.more_at is not None


def comment_paragraphs(comment: Comment) -> str:
    """A comment's text as <p> paragraphs, the same in every theme (or its own markup, when it has one)."""
    if comment.markup is not None:
        return comment.markup
    return "".join(f"<p>{words_html(p.split(' '), True, {})}</p>" for p in comment.paragraphs)
