"""The platform's older "decorator" template: unclassed h3 > span titles, decorator wrappers, p.posted footers."""

from __future__ import annotations

from . import frdates
from .body import body_html
from .decorator_plan import BLOG_NAME, BLOG_TAGLINE, DecoratorSite, Look
from .model import BASE_TOKEN, Comment, Post
from .theme_common import Pager, SidebarData, esc, link_list, page_window, title_html, truncated

COOKIES = ("En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies pour vous "
           "proposer des contenus adaptés à vos centres d'intérêt.")
PLATFORM = ('<a href="/apps/abuse">Alerter le modérateur</a> | <a href="/apps/contact">Envoyer à un ami</a> | '
            '<a href="http://www.hautetfort.com/">Créer un Blog</a>')
SHARE = '<a href="http://www.facebook.com/share.php?u={url}" target="_blank">Facebook</a>'


def date_line(moment, form: int) -> str:
    """"mardi, 28 mai 2013", "28/05/2013", "28.05.2013" or "28 mai 2013" (no time of day)."""
    if form == 0:
        return f"{frdates.DAYS[moment.weekday()]}, {moment:%d} {frdates.MONTHS[moment.month - 1]} {moment.year}"
    if form == 1:
        return f"{moment:%d/%m/%Y}"
    if form == 2:
        return f"{moment:%d.%m.%Y}"
    return f"{moment.day} {frdates.MONTHS[moment.month - 1]} {moment.year}"


def comment_date(moment, style: str) -> str:
    """"28/05/2013 à 14:05", "28.05.2013 14:05", or the day alone: "28/05/2013", "28.05.2013"."""
    day = f"{moment:%d/%m/%Y}" if style.startswith("slash") else f"{moment:%d.%m.%Y}"
    if style.endswith("-day"):
        return day
    return f"{day} à {frdates.clock(moment)}" if style == "slash-time" else f"{day} {frdates.clock(moment)}"


def links(items, path) -> str:
    """Comma-separated links to categories or tags."""
    return ", ".join(f'<a href="{BASE_TOKEN}{path(item)}">{esc(item.name)}</a>' for item in items)


def footer(post: Post, href: str) -> str:
    """"14:45 Publié dans A, B | Lien permanent | Commentaires (3) | Tags : x, y | | Facebook | | | |", or
    "17:43 Écrit par AUTHOR dans A, B | Lien permanent | Commentaires (0) | | Facebook" when the post is signed."""
    cats = links(post.categories, lambda c: c.path)
    who = f"Écrit par {esc(post.author)} dans" if post.author else "Publié dans"
    parts = [f"{frdates.clock(post.published)} {who} {cats}", f'<a href="{href}">Lien permanent</a>']
    if post.comments_open:
        parts.append(f'<a href="{post.url}#comments">Commentaires ({len(post.comments)})</a>')
    if post.tags:
        parts.append(f"Tags : {links(post.tags, lambda t: t.path)}")
    shares = " | | | |" if not post.author else ""
    return f'{" | ".join(parts)} | | {SHARE.format(url=post.url)}{shares}'


def post_block(post: Post, look: Look, listing: bool) -> str:
    """The date line, the anchor, the h3 > span title, print link, body and footer of one post."""
    cut = listing and truncated(post)
    text = body_html(post, truncated=cut)
    if cut:
        text += f'\n<p><a href="{post.url}#more">Lire la suite</a></p>'
    title = title_html(post)
    if listing and look.title_linked:
        title = f'<a href="{post.url}">{title}</a>'
    heading = f'<a id="p{post.id}"></a>\n<h3><span>{title}</span></h3>' if listing else f'<h3 id="p1"><span>{title}</span></h3>'
    return f"""<h2 class="date"><span>{date_line(post.published, look.date_format)}</span></h2>
<div class="post">
{heading}
<div class="postprint"><a href="{post.print_href}" rel="nofollow">Imprimer</a></div>
<div class="posttext"><div class="posttext-decorator1"><div class="posttext-decorator2">
{text}
</div></div></div>
<div class="postbottom"><div class="postbottom-decorator1"><div class="postbottom-decorator2">
<p class="posted">{footer(post, post.url)}</p>
</div></div></div>
</div>"""


def listing_block(site: DecoratorSite, post: Post) -> str:
    """A post as listings show it: cut at "Lire la suite", its title mostly unlinked."""
    return post_block(post, site.looks[post.id], listing=True)


def comment_html(comment: Comment, child: bool, style: str) -> str:
    """div.commentparent (or div.commentchild, a reply): anchor, text, "Ecrit par : AUTHOR | date"."""
    name = esc(comment.author)
    if comment.author_url:
        name = f'<a href="{esc(comment.author_url)}" rel="nofollow">{name}</a>'
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in comment.paragraphs)
    return (f'<div class="{"commentchild" if child else "commentparent"}"><a id="c{comment.cid}"></a> {paragraphs}\n'
            f'<p class="posted">Ecrit par : {name} | {comment_date(comment.published, style)}</p></div>')


def comments_html(site: DecoratorSite, post: Post) -> str:
    """The comments under a post page, then the form (a notice when comments are closed)."""
    if not post.comments_open:
        return '<p class="comments-closed">Les commentaires sont fermés.</p>'
    style = site.looks[post.id].comment_dates
    inner = "\n".join(comment_html(c, c.cid in site.children, style) for c in post.comments)
    form = ('<div class="commentform"><h3>Écrire un commentaire</h3>'
            "<p>NB : Les commentaires de ce blog sont modérés.</p>"
            '<form method="post" action="/apps/comment"><textarea name="text"></textarea>'
            '<input type="submit" value="Envoyer" /></form></div>')
    heading = '<h3 class="commentstitle">Commentaires</h3>\n' if post.comments else ""
    return f'<div id="comments">{heading}{inner}\n</div>\n{form}'


def page(title: str, center: str, sidebar: SidebarData, head: str = "") -> str:
    """The page shell: cookie banner, banner, centre column, one sidebar, the platform line."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html lang="fr" xml:lang="fr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{BASE_TOKEN}/style.css" />
<link rel="alternate" type="application/atom+xml" title="Atom" href="{BASE_TOKEN}/atom.xml" />
<link rel="alternate" type="application/rss+xml" title="RSS" href="{BASE_TOKEN}/index.rss" />
{head}</head>
<body>
<div id="cookie-notice">{esc(COOKIES)} <a href="#" class="close">OK</a></div>
<div id="container"><div class="container-decorator1"><div class="container-decorator2">
<div id="banner"><div class="banner-decorator1"><h1><a href="{BASE_TOKEN}/">{esc(BLOG_NAME)}</a></h1>
<p class="description">{esc(BLOG_TAGLINE)}</p></div></div>
<div id="content"><div class="content-decorator1">
{center}
</div></div>
<div id="sidebar">
<div class="boxtitle">Catégories</div><div class="boxcontent">{link_list(sidebar.categories)}</div>
<div class="boxtitle">Notes récentes</div><div class="boxcontent">{link_list(sidebar.recent)}</div>
<div class="boxtitle">Archives</div><div class="boxcontent">{link_list(sidebar.months)}</div>
<div class="boxtitle">Liens</div><div class="boxcontent">{link_list(sidebar.links)}</div>
</div>
<div id="footer"><p>{PLATFORM}</p></div>
</div></div></div>
</body>
</html>
"""


def post_page(site: DecoratorSite, post: Post, sidebar: SidebarData, older: Post | None) -> str:
    """A post page: h3#p1, the footer, the comments, and a <link rel="prev"> to the previous note."""
    head = f'<link rel="prev" href="{older.url}" title="{esc(older.title)}" />\n' if older else ""
    center = f"{post_block(post, site.looks[post.id], listing=False)}\n{comments_html(site, post)}"
    return page(f"{title_html(post)} : {esc(BLOG_NAME)}", center, sidebar, head)


def pager_html(pager: Pager) -> str:
    """"« Page précédente 1 2 3 … 9 Page suivante »", the current page unlinked in a span."""
    parts = [f'<a href="{pager.prev_href}">« Page précédente</a>'] if pager.prev_href else []
    for number in page_window(pager.current, pager.last):
        if number is None:
            parts.append("…")
        elif number == pager.current:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{pager.hrefs[number]}">{number}</a>')
    if pager.next_href:
        parts.append(f'<a href="{pager.next_href}">Page suivante »</a>')
    return f'<div class="pager">{" ".join(parts)}</div>'


def listing_page(title: str, heading: str, blocks: list[str], sidebar: SidebarData, pager: Pager) -> str:
    """A listing (home, category, month, tag): a heading, post blocks, the pager when there are pages."""
    nav = pager_html(pager) if pager.last > 1 else ""
    return page(title, "\n".join(part for part in (heading, *blocks, nav) if part), sidebar)
