"""Classic Hautetfort theme (XHTML 1.0 look): post pages, listings, home page, month archives."""

from __future__ import annotations

from . import frdates
from .body import body_html
from .model import BASE_TOKEN, BLOG_AUTHOR, BLOG_NAME, BLOG_TAGLINE, Comment, Post
from .theme_common import (comment_paragraphs, Pager, SidebarData, comments_label, esc, link_list, more_href, page_window,
                           permalink_href, tag_links, title_href, title_html, truncated)

DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">'
# The home page's own metadata: the blog's author (a post page's <meta name="author"> names the post's).
HOME_HEAD = f'<meta name="author" content="{esc(BLOG_AUTHOR)}" />\n'


def page(title: str, center: str, sidebar: SidebarData, head_extra: str = "") -> str:
    """The classic page shell: banner, two sidebars, the centre column."""
    return f"""{DOCTYPE}
<html lang="fr" xml:lang="fr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{BASE_TOKEN}/style.css" />
<link rel="alternate" type="application/atom+xml" title="Atom" href="{BASE_TOKEN}/atom.xml" />
<link rel="alternate" type="application/rss+xml" title="RSS" href="{BASE_TOKEN}/index.rss" />
{head_extra}</head>
<body>
<div id="container"><div class="container-decorator1"><div class="container-decorator2">
<div id="banner-img"><div id="banner"><h1><a href="{BASE_TOKEN}/">{esc(BLOG_NAME)}</a></h1>
<h2>{esc(BLOG_TAGLINE)}</h2></div></div>
<div id="left">
<div class="boxtitle">Catégories</div><div class="boxcontent">{link_list(sidebar.categories)}</div>
<div class="boxtitle">Archives</div><div class="boxcontent">{link_list(sidebar.months)}
<p><a href="/archives">Toutes les archives</a></p></div>
</div>
<div id="right">
<div class="boxtitle">Notes récentes</div><div class="boxcontent">{link_list(sidebar.recent)}</div>
<div class="boxtitle">Liens</div><div class="boxcontent">{link_list(sidebar.links)}</div>
</div>
<div id="center"><div class="content">
{center}
</div></div>
<div id="footer">{esc(BLOG_NAME)} &mdash; <a href="{BASE_TOKEN}/atom.xml">Fil Atom</a></div>
</div></div></div>
</body>
</html>
"""


def footer(post: Post, permalink: str) -> str:
    """"10:30 | Lien permanent | Catégories : A, B | 3 commentaires | Tags : a, b" (no count when closed, no
    tags when it has none)."""
    cats = ", ".join(f'<a href="{BASE_TOKEN}{c.path}">{esc(c.name)}</a>' for c in post.categories)
    parts = [frdates.clock(post.published), f'<a href="{permalink}">Lien permanent</a>',
             f"Catégories : {cats}"]
    if post.comments_open:
        parts.append(f'<a href="{post.url}#comments">{comments_label(len(post.comments))}</a>')
    if post.tags:
        parts.append(f"Tags : {tag_links(post.tags)}")
    return f'<p class="postfooter">{" | ".join(parts)}</p>'


def post_block(post: Post, listing: bool) -> str:
    """The date heading and div.post of one post, full (post page) or as a listing shows it."""
    cut = listing and truncated(post)
    text = body_html(post, truncated=cut)
    if cut:
        text += f'\n<p><a class="more" href="{more_href(post)}">Lire la suite</a></p>'
    title_id = "" if listing else ' id="p1"'
    href = title_href(post) if listing else post.url
    return f"""<h2 class="date"><span>{frdates.classic_heading(post.published, post.date_style)}</span></h2>
<div class="post">
<h3 class="posttitle"{title_id}><a href="{href}">{title_html(post)}</a></h3>
<div class="postprint"><a href="{post.print_href}" rel="nofollow">Imprimer</a></div>
<div class="posttext"><div class="posttext-decorator1"><div class="posttext-decorator2">
{text}
</div></div></div>
<div style="clear:both;"></div>
{footer(post, permalink_href(post) if listing else post.url)}
</div>"""


def comment_html(comment: Comment) -> str:
    """One div.commentparent."""
    name = esc(comment.author)
    if comment.author_url:
        name = f'<a href="{esc(comment.author_url)}" rel="nofollow">{name}</a>'
    paragraphs = comment_paragraphs(comment)
    return (f'<div class="commentparent" id="c{comment.cid}"><div class="comment">{paragraphs}</div>\n'
            f'<p class="commentfooter">Écrit par : {name} | {frdates.numeric_with_time(comment.published)}'
            "</p></div>")


def comments_html(post: Post) -> str:
    """The comments under a post page (a notice when they are closed, nothing when there are none)."""
    if not post.comments_open:
        return '<p class="comments-closed">Les commentaires sont fermés.</p>'
    if not post.comments:
        return ""
    inner = "\n".join(comment_html(c) for c in post.comments)
    return f'<div id="comments"><h3>Commentaires</h3>\n{inner}\n</div>'


def post_page(post: Post, sidebar: SidebarData, older: Post | None, newer: Post | None,
              comments_markup: str | None = None) -> str:
    """A classic post page, with rel prev/next links to its neighbours and an optional author meta."""
    head = []
    if post.author:
        head.append(f'<meta name="author" content="{esc(post.author)}" />')
    if older:
        head.append(f'<link rel="prev" href="{older.url}" title="{esc(older.title)}" />')
    if newer:
        head.append(f'<link rel="next" href="{newer.url}" title="{esc(newer.title)}" />')
    title = f"{title_html(post)} : {esc(BLOG_NAME)}" if post.title else esc(BLOG_NAME)
    comments = comments_html(post) if comments_markup is None else comments_markup
    center = f"{post_block(post, listing=False)}\n{comments}"
    return page(title, center, sidebar, "".join(line + "\n" for line in head))


def pagination(pager: Pager) -> tuple[str, str]:
    """The div.pagination of a listing page and the matching <link rel> head lines."""
    parts, head = [], ""
    if pager.prev_href:
        parts.append(f'<a class="prev" rel="prev" href="{pager.prev_href}">« Précédent</a>')
        head += f'<link rel="prev" href="{pager.prev_href}" />\n'
    for number in page_window(pager.current, pager.last):
        if number is None:
            parts.append("…")
        elif number == pager.current:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{pager.hrefs[number]}">{number}</a>')
    if pager.next_href:
        parts.append(f'<a class="next" rel="next" href="{pager.next_href}">Suivant »</a>')
        head += f'<link rel="next" href="{pager.next_href}" />\n'
    return f'<div class="pagination">{" ".join(parts)}</div>', head


def listing_page(title: str, heading: str, blocks: list[str], sidebar: SidebarData,
                 pager: Pager | None = None, head_extra: str = "") -> str:
    """A classic listing (home, category page, month archive): a heading, post blocks, pagination."""
    nav, head = pagination(pager) if pager and pager.last > 1 else ("", "")
    center = "\n".join([heading, *blocks, nav])
    return page(title, center, sidebar, head_extra + head)
