"""A WordPress-style template on the platform: article.post, entry-* classes and WordPress's usual comment markup.

No bundled profile knows it. Its comment counts say "Laisser un commentaire" when there is none ("Leave a comment",
"1 Comment", "2 Comments" on the posts written in English); its comments name their author in `b.fn` followed by
"dit :" ("says:") and date them in a `<time datetime>`.
"""

from __future__ import annotations

from . import frdates
from .body import body_html
from .decorator_plan import BLOG_NAME, BLOG_TAGLINE, DecoratorSite
from .model import BASE_TOKEN, Comment, Post
from .theme_common import Pager, SidebarData, esc, link_list, page_window, title_html, truncated
from .theme_decorator import COOKIES, PLATFORM

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
WORDS = {  # French, English
    "zero": ("Laisser un commentaire", "Leave a comment"), "says": ("dit :", "says:"), "by": ("par", "by"),
    "posted_in": ("Publié dans", "Posted in"), "tagged": ("Étiqueté", "Tagged"), "more": ("Lire la suite", "Continue reading"),
    "reply": ("Répondre", "Reply"),
}


def say(word: str, english: bool) -> str:
    """A word of the template in the post's language."""
    return WORDS[word][english]


def count_label(count: int, english: bool) -> str:
    """"Laisser un commentaire", "1 commentaire", "3 commentaires"; "Leave a comment", "1 Comment", "2 Comments"."""
    if count == 0:
        return say("zero", english)
    if english:
        return f"{count} Comment" + ("s" if count > 1 else "")
    return f"{count} commentaire" + ("s" if count > 1 else "")


def shown_date(moment, english: bool, with_time: bool) -> str:
    """"28 mai 2013" / "May 28, 2013", with " à 10:02" / " at 10:02 am" for comments."""
    if english:
        hour = moment.hour % 12 or 12
        clock = f" at {hour}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}" if with_time else ""
        return f"{MONTHS_EN[moment.month - 1]} {moment.day}, {moment.year}{clock}"
    clock = f" à {frdates.clock(moment)}" if with_time else ""
    return f"{moment.day} {frdates.MONTHS[moment.month - 1]} {moment.year}{clock}"


def entry_footer(post: Post, english: bool) -> str:
    """Categories, tags, the comments link (none when closed) and the print link."""
    cats = ", ".join(f'<a href="{BASE_TOKEN}{c.path}" rel="category tag">{esc(c.name)}</a>' for c in post.categories)
    parts = [f'<span class="cat-links">{say("posted_in", english)} {cats}</span>']
    if post.tags:
        tags = ", ".join(f'<a href="{BASE_TOKEN}{t.path}" rel="tag">{esc(t.name)}</a>' for t in post.tags)
        parts.append(f'<span class="tags-links">{say("tagged", english)} {tags}</span>')
    if post.comments_open:
        anchor = "#comments" if post.comments else "#respond"
        parts.append(f'<span class="comments-link"><a href="{post.url}{anchor}">'
                     f'{count_label(len(post.comments), english)}</a></span>')
    parts.append(f'<span class="print-link"><a href="{post.print_href}" rel="nofollow">Imprimer</a></span>')
    return f'<footer class="entry-footer">{" ".join(parts)}</footer>'


def article(site: DecoratorSite, post: Post, listing: bool) -> str:
    """article.post: header (title, date, byline), entry-content, entry-footer."""
    english = site.looks[post.id].english
    cut = listing and truncated(post)
    text = body_html(post, truncated=cut)
    if cut:
        text += f'\n<p><a href="{post.url}#more" class="more-link">{say("more", english)}</a></p>'
    title = f'<h2 class="entry-title"><a href="{post.url}" rel="bookmark">{title_html(post)}</a></h2>' if listing \
        else f'<h1 class="entry-title">{title_html(post)}</h1>'
    byline = (f'<span class="byline"> {say("by", english)} <span class="author vcard"><a class="url fn n" '
              f'href="{BASE_TOKEN}/apps/profile">{esc(post.author)}</a></span></span>') if post.author else ""
    stamp = (f'<span class="posted-on"><a href="{post.url}" rel="bookmark"><time class="entry-date published" '
             f'datetime="{post.published.isoformat()}">{shown_date(post.published, english, False)}</time></a></span>')
    return f"""<article id="post-{post.id}" class="post-{post.id} post type-post status-publish format-standard hentry">
<header class="entry-header">
{title}
<div class="entry-meta">{stamp}{byline}</div>
</header>
<div class="entry-content">
{text}
</div>
{entry_footer(post, english)}
</article>"""


def listing_block(site: DecoratorSite, post: Post) -> str:
    """A post as listings show it."""
    return article(site, post, listing=True)


def comment_li(comment: Comment, replies: list[Comment], english: bool, url: str, depth: int = 1) -> str:
    """li.comment > article.comment-body: footer.comment-meta (b.fn "dit :", a <time>), div.comment-content."""
    name = esc(comment.author)
    if comment.author_url:
        name = f'<a href="{esc(comment.author_url)}" rel="external nofollow ugc" class="url">{name}</a>'
    moment = comment.published
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in comment.paragraphs)
    children = "".join(comment_li(c, [], english, url, 2) for c in replies)
    children = f'<ol class="children">{children}</ol>' if children else ""
    return (f'<li id="comment-{comment.cid}" class="comment depth-{depth}">'
            f'<article id="div-comment-{comment.cid}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{name}</b> <span class="says">{say("says", english)}</span>'
            f'</div><div class="comment-metadata"><a href="{url}#comment-{comment.cid}"><time datetime="'
            f'{moment.isoformat()}">{shown_date(moment, english, True)}</time></a></div></footer>'
            f'<div class="comment-content">{paragraphs}</div><div class="reply"><a class="comment-reply-link" '
            f'href="{url}#respond">{say("reply", english)}</a></div></article>{children}</li>')


def comments_area(site: DecoratorSite, post: Post) -> str:
    """The comment list (replies nested under the comment before them) and the reply form."""
    if not post.comments_open:
        return '<p class="no-comments">Les commentaires sont fermés.</p>'
    english = site.looks[post.id].english
    threads: list[tuple[Comment, list[Comment]]] = []
    for comment in post.comments:
        if threads and comment.cid in site.children:
            threads[-1][1].append(comment)
        else:
            threads.append((comment, []))
    items = "\n".join(comment_li(parent, replies, english, post.url) for parent, replies in threads)
    listed = (f'<h2 class="comments-title">{count_label(len(post.comments), english)}</h2>\n'
              f'<ol class="comment-list">\n{items}\n</ol>\n') if post.comments else ""
    form = (f'<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">'
            f'{say("zero", english)}</h3><form action="/apps/comment" method="post" id="commentform">'
            '<textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="OK" /></form></div>')
    return f'<div id="comments" class="comments-area">\n{listed}{form}\n</div>'


def page(title: str, main: str, sidebar: SidebarData, head: str = "") -> str:
    """The page shell: cookie notice, site header, main, widget area, the platform line."""
    def widget(heading: str, pairs) -> str:
        return f'<section class="widget"><h2 class="widget-title">{heading}</h2>{link_list(pairs)}</section>'
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<link rel="stylesheet" href="{BASE_TOKEN}/style.css" type="text/css" media="all">
<link rel="alternate" type="application/rss+xml" title="{esc(BLOG_NAME)} &raquo; Flux" href="{BASE_TOKEN}/index.rss">
{head}</head>
<body class="home blog">
<div class="cookie-notice">{esc(COOKIES)}</div>
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="{BASE_TOKEN}/" rel="home">{esc(BLOG_NAME)}</a></p>
<p class="site-description">{esc(BLOG_TAGLINE)}</p></header>
<div id="content" class="site-content"><main id="main" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area">
{widget("Catégories", sidebar.categories)}
{widget("Articles récents", sidebar.recent)}
{widget("Archives", sidebar.months)}
</aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">{PLATFORM}</div></footer>
</div>
</body>
</html>
"""


def post_page(site: DecoratorSite, post: Post, sidebar: SidebarData, older: Post | None) -> str:
    """A post page: the article, its comments, a <link rel="prev"> to the previous note."""
    head = f'<link rel="prev" href="{older.url}" title="{esc(older.title)}">\n' if older else ""
    return page(f"{title_html(post)} &#8211; {esc(BLOG_NAME)}", f"{article(site, post, False)}\n{comments_area(site, post)}",
                sidebar, head)


def listing_page(title: str, heading: str, blocks: list[str], sidebar: SidebarData, pager: Pager) -> str:
    """A listing: its heading, the articles, WordPress's numbered pagination."""
    nav = ""
    if pager.last > 1:
        links = [f'<a class="prev page-numbers" href="{pager.prev_href}">Précédent</a>'] if pager.prev_href else []
        for number in page_window(pager.current, pager.last):
            if number is None:
                links.append('<span class="page-numbers dots">…</span>')
            elif number == pager.current:
                links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
            else:
                links.append(f'<a class="page-numbers" href="{pager.hrefs[number]}">{number}</a>')
        if pager.next_href:
            links.append(f'<a class="next page-numbers" href="{pager.next_href}">Suivant</a>')
        nav = f'<nav class="navigation pagination"><div class="nav-links">{"".join(links)}</div></nav>'
    header = f'<header class="page-header">{heading}</header>'
    return page(title, "\n".join([header, *blocks, nav]), sidebar)
