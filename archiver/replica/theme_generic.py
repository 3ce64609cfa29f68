"""A third, WordPress-like theme for post pages only, sharing no class name with the Hautetfort ones."""

from __future__ import annotations

from . import frdates
from .body import body_html
from .model import BASE_TOKEN, BLOG_NAME, Comment, Post
from .theme_common import comment_paragraphs, SidebarData, comments_label, esc, link_list, tag_links, title_html

ARTICLE = ' itemscope itemtype="https://schema.org/BlogPosting"'
PERSON = ' itemscope itemtype="https://schema.org/Person"'


def widgets(sidebar: SidebarData) -> str:
    """aside#secondary with the four sidebar boxes as widgets."""
    boxes = (("widget_categories", "Catégories", sidebar.categories),
             ("widget_recent_entries", "Notes récentes", sidebar.recent),
             ("widget_archive", "Archives", sidebar.months), ("widget_links", "Liens", sidebar.links))
    inner = "\n".join(f'<section class="widget {kind}"><h2 class="widget-title">{label}</h2>{link_list(pairs)}</section>'
                      for kind, label, pairs in boxes)
    return f'<aside id="secondary" class="widget-area">\n{inner}\n</aside>'


def head(post: Post) -> str:
    """Head lines: canonical and Open Graph with microdata, else an author meta when there is one."""
    if post.microdata:
        return (f'<link rel="canonical" href="{post.url}">\n<meta property="og:type" content="article">\n'
                f'<meta property="og:title" content="{esc(post.title)}">\n')
    return f'<meta name="author" content="{esc(post.author)}">\n' if post.author else ""


def dateline(post: Post) -> str:
    """"Publié le 4 février 2022 à 10:30" and the author, as microdata or plain text."""
    shown = frdates.long_with_time(post.published)
    if post.microdata:
        line = f'Publié le <time itemprop="datePublished" datetime="{post.published.isoformat()}">{shown}</time>'
        author = f'<span itemprop="name">{esc(post.author)}</span>' if post.author else ""
        byline = f' <span class="byline" itemprop="author"{PERSON}>par {author}</span>' if author else ""
    else:
        line = f"Publié le {shown}"
        byline = f' <span class="byline">par {esc(post.author)}</span>' if post.author else ""
    return f'<div class="entry-date">{line}{byline}</div>'


def entry(post: Post) -> str:
    """div.entry: title, dateline, print link, content and the categories line (comment count, tags)."""
    micro = (lambda prop: f' itemprop="{prop}"') if post.microdata else (lambda prop: "")
    cats = ", ".join(f'<a href="{BASE_TOKEN}{c.path}" rel="category tag">{esc(c.name)}</a>'
                     for c in post.categories)
    count = f' | <a href="{post.url}#reactions">{comments_label(len(post.comments))}</a>' if post.comments_open else ""
    count += f" | Tags : {tag_links(post.tags)}" if post.tags else ""
    return f"""<div class="entry"{ARTICLE if post.microdata else ""} id="entry-{post.id}">
<h2 class="entry-title"{micro("headline")}><a href="{post.url}" rel="bookmark">{title_html(post)}</a></h2>
{dateline(post)}
<div class="entry-print"><a href="{post.print_href}" rel="nofollow">Imprimer</a></div>
<div class="entry-content"{micro("articleBody")}>
{body_html(post)}
</div>
<div class="entry-meta">Catégories : {cats}{count}</div>
</div>"""


def reaction(comment: Comment) -> str:
    """One reader's comment, as an <li> of the reactions list."""
    name = esc(comment.author)
    if comment.author_url:
        name = f'<a href="{esc(comment.author_url)}" rel="external nofollow">{name}</a>'
    paragraphs = comment_paragraphs(comment)
    return (f'<li class="reaction" id="reaction-{comment.cid}"><div class="reaction-meta"><cite>{name}</cite> '
            f'a écrit le <span class="reaction-date">{frdates.numeric_with_time(comment.published)}</span></div>\n'
            f'<div class="reaction-text">{paragraphs}</div></li>')


def reactions_section(post: Post) -> str:
    """The reactions list ("" when there are none)."""
    if not post.comments:
        return ""
    items = "\n".join(reaction(c) for c in post.comments)
    return f'<div id="reactions"><h3>Réactions</h3><ol class="reaction-list">\n{items}\n</ol></div>'


def post_page(post: Post, sidebar: SidebarData, comments_markup: str | None = None) -> str:
    """A generic-theme post page (`comments_markup` replaces the reactions when given)."""
    reactions = reactions_section(post) if comments_markup is None else comments_markup
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{title_html(post)} – {esc(BLOG_NAME)}</title>
{head(post)}</head>
<body class="single">
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="{BASE_TOKEN}/" rel="home">{esc(BLOG_NAME)}</a></p></header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{entry(post)}
{reactions}
</main></div>
{widgets(sidebar)}
</div>
<footer id="colophon" class="site-footer">{esc(BLOG_NAME)}</footer>
</div>
</body>
</html>
"""
