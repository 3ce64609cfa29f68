"""Modern Hautetfort theme (HTML5, "box-*" classes, schema.org microdata): post pages and listings."""

from __future__ import annotations

from . import frdates
from .body import body_html
from .model import BASE_TOKEN, BLOG_NAME, BLOG_TAGLINE, Comment, Post
from .theme_common import (comment_paragraphs, Pager, SidebarData, comments_label, esc, link_list, more_href, page_window,
                           permalink_href, tag_links, title_href, title_html, truncated)

PERSON = 'itemscope itemtype="https://schema.org/Person"'


def page(title: str, main: str, sidebar: SidebarData, head_extra: str = "") -> str:
    """The modern page shell: header, main column, aside.box-sidebar."""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{BASE_TOKEN}/style.css">
<link rel="alternate" type="application/atom+xml" title="Atom" href="{BASE_TOKEN}/atom.xml">
{head_extra}</head>
<body class="box-theme">
<header class="box-site-header"><p class="box-site-title"><a href="{BASE_TOKEN}/">{esc(BLOG_NAME)}</a></p>
<p class="box-site-tagline">{esc(BLOG_TAGLINE)}</p></header>
<div class="box-layout">
<main class="box-main">
{main}
</main>
<aside class="box-sidebar">
<section class="box box-categories"><h3>Catégories</h3>{link_list(sidebar.categories)}</section>
<section class="box box-recent"><h3>Notes récentes</h3>{link_list(sidebar.recent)}</section>
<section class="box box-archives"><h3>Archives</h3>{link_list(sidebar.months)}
<p><a href="/archives">Toutes les archives</a></p></section>
<section class="box box-links"><h3>Liens</h3>{link_list(sidebar.links)}</section>
</aside>
</div>
<footer class="box-site-footer">{esc(BLOG_NAME)}</footer>
</body>
</html>
"""


def meta(post: Post) -> str:
    """div.box-meta: the time (with or without its datetime attribute) and the author."""
    stamp = f' datetime="{post.published.isoformat()}"' if post.has_datetime else ""
    parts = [f'<time itemprop="datePublished"{stamp}>{frdates.short_with_time(post.published)}</time>']
    if post.author:
        parts.append(f'<span class="box-author" itemprop="author" {PERSON}>par '
                     f'<span itemprop="name">{esc(post.author)}</span></span>')
    return f'<div class="box-meta">{" ".join(parts)}</div>'


def article_footer(post: Post, permalink: str) -> str:
    """footer.box-footer: categories, tags (when it has some), comment count (absent when closed), permalink."""
    cats = ", ".join(f'<a href="{BASE_TOKEN}{c.path}" rel="tag">{esc(c.name)}</a>' for c in post.categories)
    parts = [f'<span class="box-article-tags">Catégories : {cats}</span>']
    if post.tags:
        parts.append(f'<span class="box-article-keywords">Tags : {tag_links(post.tags)}</span>')
    if post.comments_open:
        parts.append(f'<a class="box-comments-count" href="{post.url}#comments">'
                     f"{comments_label(len(post.comments))}</a>")
    parts.append(f'<a href="{permalink}" rel="bookmark">Lien permanent</a>')
    return f'<footer class="box-footer">{" | ".join(parts)}</footer>'


def article(post: Post, listing: bool) -> str:
    """article.box-article: h1 headline on post pages, h2 on listings (cut at the "more" marker)."""
    cut = listing and truncated(post)
    text = body_html(post, truncated=cut)
    if cut:
        text += f'\n<p class="box-more"><a class="more" href="{more_href(post)}">Lire la suite</a></p>'
    tag, href = ("h2", title_href(post)) if listing else ("h1", post.url)
    return f"""<article class="box-article" itemscope itemtype="https://schema.org/BlogPosting">
<header class="box-header">
<{tag} itemprop="headline" class="box-title"><a href="{href}" itemprop="url">{title_html(post)}</a></{tag}>
{meta(post)}
<div class="box-print"><a class="print" href="{post.print_href}" rel="nofollow">Imprimer</a></div>
</header>
<section class="box-body" itemprop="articleBody">
{text}
</section>
{article_footer(post, permalink_href(post) if listing else post.url)}
</article>"""


def comment_html(comment: Comment) -> str:
    """One div.box-comment with its schema.org Comment microdata."""
    name = f'<span itemprop="name">{esc(comment.author)}</span>'
    if comment.author_url:
        name = f'<a itemprop="url" href="{esc(comment.author_url)}" rel="nofollow">{name}</a>'
    paragraphs = comment_paragraphs(comment)
    moment = comment.published
    return (f'<div class="box-comment" id="c{comment.cid}" itemprop="comment" itemscope '
            'itemtype="https://schema.org/Comment">\n'
            f'<div class="box-comment-meta"><span itemprop="author" {PERSON}>{name}</span>\n'
            f'<time itemprop="dateCreated" datetime="{moment.isoformat()}">'
            f"{frdates.short_with_time(moment)}</time></div>\n"
            f'<div class="box-comment-body" itemprop="text">{paragraphs}</div></div>')


def comments_section(post: Post) -> str:
    """The comments under a modern post page (a notice when closed, nothing when there are none)."""
    if not post.comments_open:
        return '<p class="box-comments-closed">Les commentaires sont fermés.</p>'
    if not post.comments:
        return ""
    inner = "\n".join(comment_html(c) for c in post.comments)
    return f'<section id="comments" class="box-comments"><h2>Commentaires</h2>\n{inner}\n</section>'


def post_page(post: Post, sidebar: SidebarData, comments_markup: str | None = None) -> str:
    """A modern post page (`comments_markup` replaces the comments section when given)."""
    comments = comments_section(post) if comments_markup is None else comments_markup
    title = f"{title_html(post)} - {esc(BLOG_NAME)}"
    return page(title, f"{article(post, listing=False)}\n{comments}", sidebar)


def pagination(pager: Pager) -> tuple[str, str]:
    """nav.box-pagination and the matching <link rel> head lines."""
    parts, head = [], ""
    if pager.prev_href:
        parts.append(f'<a rel="prev" href="{pager.prev_href}">Page précédente</a>')
        head += f'<link rel="prev" href="{pager.prev_href}">\n'
    for number in page_window(pager.current, pager.last):
        if number is None:
            parts.append('<span class="gap">…</span>')
        elif number == pager.current:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{pager.hrefs[number]}">{number}</a>')
    if pager.next_href:
        parts.append(f'<a rel="next" href="{pager.next_href}">Page suivante</a>')
        head += f'<link rel="next" href="{pager.next_href}">\n'
    return f'<nav class="box-pagination">{" ".join(parts)}</nav>', head


def listing_page(title: str, heading: str, blocks: list[str], sidebar: SidebarData, pager: Pager) -> str:
    """A modern category page."""
    nav, head = pagination(pager) if pager.last > 1 else ("", "")
    main = "\n".join([f'<header class="box-listing-header"><h1 class="box-listing-title">{heading}</h1></header>',
                      *blocks, nav])
    return page(title, main, sidebar, head)
