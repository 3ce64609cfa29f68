"""Drift fragments in every variant: print links, date lines, footer lines, comment counts, comments, neighbours."""

from __future__ import annotations

from . import frdates
from .drift_looks import PostLook
from .model import BASE_TOKEN, Comment, Post
from .theme_common import comment_paragraphs, comments_label, esc

PRINT_WRAPPED = {
    "classic": '<div class="postprint"><a href="{href}" rel="nofollow">Imprimer</a></div>',
    "modern": '<div class="box-print"><a class="print" href="{href}" rel="nofollow">Imprimer</a></div>',
    "notes": '<div class="note-tools"><a href="{href}" rel="nofollow">Imprimer cette note</a></div>',
    "bare": '<p class="outils"><a href="{href}">Imprimer</a></p>',
    "decorator": '<div class="postprint"><a href="{href}" rel="nofollow">Imprimer</a></div>',
}
PRINT_CLASSED = '<a class="print-link" href="{href}">Imprimer</a>'
PRINT_BUTTON = '<button type="button" onclick="window.print()">Imprimer</button>'
# Date lines standing before the title (the time then shows first in the footer) or after it (with the time).
DATES_BEFORE = {
    "numeric-before-title": lambda m: f'<p class="dateline">{m:%d/%m/%Y}</p>',
    "long-heading": lambda m: f'<div class="jour"><span>{frdates.long_day(m)}</span></div>',
}
DATES_AFTER = {
    "posted-iso": lambda m: f'<p class="posted">Posté le {m:%Y-%m-%d} à {frdates.clock(m)}</p>',
    "long-with-time": lambda m: f'<p class="posted">Le {frdates.long_day(m)} à {frdates.clock(m)}</p>',
}
COUNT_WORDS = {
    "number": comments_label,
    "parens": lambda n: f"Commentaires ({n})",
    "aucun": lambda n: "Aucun commentaire",
    "laisser": lambda n: "Laisser un commentaire",
}
SIGNED_FAMILIES = ("notes", "bare", "decorator")     # the others name the author in a <meta> of the post page


def print_link(post: Post, look: PostLook) -> str:
    """The "Imprimer" control: the family's usual wrapper, a classed <a>, or a <button>."""
    if look.print == "button":
        return PRINT_BUTTON
    template = PRINT_CLASSED if look.print == "classed" else PRINT_WRAPPED[look.family]
    return template.format(href=post.print_href)


def date_before(post: Post, look: PostLook) -> str:
    """The date line before the title, if the variant has one."""
    render = DATES_BEFORE.get(look.dates)
    return render(post.published) + "\n" if render else ""


def date_after(post: Post, look: PostLook) -> str:
    """The date line after the title, if the variant has one."""
    render = DATES_AFTER.get(look.dates)
    return render(post.published) + "\n" if render else ""


def categories_part(post: Post, look: PostLook) -> str:
    """"Catégories : A, B" or "Publié dans A, B", links with or without the trailing slash ("" when none)."""
    if not post.categories:
        return ""
    cut = look.category_links == "no-slash"
    links = ", ".join(f'<a href="{BASE_TOKEN}{c.path[:-1] if cut else c.path}">{esc(c.name)}</a>'
                      for c in post.categories)
    return f"{look.categories_label} {links}"


def count_part(post: Post, look: PostLook, href: str) -> str:
    """The comment count as a link to the comments ("" when comments are closed)."""
    words = COUNT_WORDS.get(look.count)
    return f'<a href="{href}#comments">{words(len(post.comments))}</a>' if words else ""


def footer_line(post: Post, look: PostLook, href: str) -> str:
    """"10:30 | Lien permanent | Catégories : A | 3 commentaires" or "Publié dans A | Lien permanent | ..."."""
    permalink = f'<a href="{href}">Lien permanent</a>'
    cats, count = categories_part(post, look), count_part(post, look, href)
    parts = [cats, permalink, count] if look.categories_label == "Publié dans" else [permalink, cats, count]
    if look.dates in DATES_BEFORE:
        parts.insert(0, frdates.clock(post.published))
    if post.author and look.family in SIGNED_FAMILIES:
        parts.append(f'<span class="signature">Rédigé par {esc(post.author)}</span>')
    return " | ".join(part for part in parts if part)


def commenter(comment: Comment) -> str:
    """The commenter's name, linked to their site when they gave one."""
    name = esc(comment.author)
    return f'<a href="{esc(comment.author_url)}" rel="nofollow">{name}</a>' if comment.author_url else name


def comment_item(comment: Comment, author_first: bool) -> str:
    """div.comment-item: text then "Écrit par : NAME | 04/02/2022 10:30", or "Posté par : ..." then text."""
    moment = comment.published
    text = f'<div class="comment-content">{comment_paragraphs(comment)}</div>'
    if author_first:
        line = f'<p class="comment-by">Posté par : {commenter(comment)} | {frdates.numeric_with_time(moment)}</p>'
        inner = f"{line}\n{text}"
    else:
        stamp = f"{moment:%d/%m/%Y} {frdates.clock(moment)}"
        inner = f'{text}\n<p class="comment-by">Écrit par : {commenter(comment)} | {stamp}</p>'
    return f'<div class="comment-item" id="c{comment.cid}">{inner}</div>'


def comment_li(comment: Comment) -> str:
    """An <li>: the name, a <time datetime>, the text beside them."""
    moment = comment.published
    return (f'<li id="c{comment.cid}"><span class="who">{commenter(comment)}</span> '
            f'<time datetime="{moment.isoformat()}">{frdates.long_with_time(moment)}</time>\n'
            f'<div class="said">{comment_paragraphs(comment)}</div></li>')


def comments_section(post: Post, look: PostLook) -> str:
    """The comments under a post page in the look's markup (a notice when closed, nothing when none)."""
    if not post.comments_open:
        return '<p class="comments-off">Les commentaires sont fermés.</p>'
    if not post.comments:
        return ""
    if look.comments == "li-time":
        inner = '<ol class="comment-list">\n' + "\n".join(comment_li(c) for c in post.comments) + "\n</ol>"
    else:
        inner = "\n".join(comment_item(c, look.comments == "item-before") for c in post.comments)
    return f'<div id="comments"><h3>Commentaires</h3>\n{inner}\n</div>'


def neighbour_head(older: Post | None, newer: Post | None) -> str:
    """<link rel="prev"> / <link rel="next"> head lines to the chronological neighbours."""
    lines = [f'<link rel="{rel}" href="{post.url}" title="{esc(post.title)}">\n'
             for rel, post in (("prev", older), ("next", newer)) if post]
    return "".join(lines)


def neighbour_anchors(older: Post | None, newer: Post | None) -> str:
    """"« Note précédente | Note suivante »" as plain anchors (no rel)."""
    links = [f'<a href="{post.url}">{label}</a>'
             for label, post in (("« Note précédente", older), ("Note suivante »", newer)) if post]
    return f'<p class="note-nav">{" | ".join(links)}</p>'
