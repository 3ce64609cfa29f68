"""Drifted templates: a page shell with renamed sidebar boxes, post blocks of four families, post pages."""

from __future__ import annotations

from dataclasses import replace

from . import drift_parts as parts
from .body import body_html
from .drift_looks import PostLook
from .model import BASE_TOKEN, BLOG_NAME, BLOG_TAGLINE, Post
from .theme_common import SidebarData, esc, link_list, title_html, truncated

COOKIES = ("En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies pour vous "
           "proposer des contenus adaptés à vos centres d'intérêt.")
# Post blocks by family: "classic" keeps div.post + div.posttext and "modern" article + section.box-body (the
# bundled profiles still detect them); "notes" renames everything; "bare" drops the wrappers altogether; "decorator"
# is the platform's older template (an unlinked h3 > span title, div.postbottom > ... > p.posted for the footer).
FAMILY_MARKUP = {
    "classic": """{before}<div class="post">
<h2 class="titre"><a href="{href}">{title}</a></h2>
{after}{print}
<div class="posttext">
{body}
</div>
<p class="infos">{footer}</p>
</div>""",
    "modern": """<article class="note">
<header class="note-head">
{before}<{h} class="note-titre"><a href="{href}">{title}</a></{h}>
{after}{print}
</header>
<section class="box-body">
{body}
</section>
<footer class="note-foot">{footer}</footer>
</article>""",
    "notes": """<div class="note-wrap"><div class="note">
{before}<h2 class="note-title"><a href="{href}">{title}</a></h2>
{after}{print}
<div class="note-body">
{body}
</div>
<div class="note-meta">{footer}</div>
</div></div>""",
    "bare": """{before}<{h} class="titre-note"><a href="{href}">{title}</a></{h}>
{after}{print}
<div class="texte">
{body}
</div>
<p class="meta">{footer}</p>""",
    "decorator": """{before}<div class="post">
<h3 id="p1"><span>{title}</span></h3>
{after}{print}
<div class="posttext"><div class="posttext-decorator1"><div class="posttext-decorator2">
{body}
</div></div></div>
<div class="postbottom"><div class="postbottom-decorator1"><div class="postbottom-decorator2">
<p class="posted">{footer}</p>
</div></div></div>
</div>""",
}
HEAD_AUTHOR_FAMILIES = ("classic", "modern")


def page(title: str, main: str, sidebar: SidebarData, head_extra: str = "") -> str:
    """The drifted shell: cookie banner, main column, sidebar columns #col-a / #col-b of div.box."""
    def box(heading: str, content: str) -> str:
        return f'<div class="box"><h4>{heading}</h4>{content}</div>'
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{BASE_TOKEN}/style.css">
<link rel="alternate" type="application/atom+xml" title="Atom" href="{BASE_TOKEN}/atom.xml">
{head_extra}</head>
<body>
<div id="cookies"><p>{esc(COOKIES)} <a href="#" class="ok">OK</a></p></div>
<div id="wrap">
<div id="top"><p class="blog-name"><a href="{BASE_TOKEN}/">{esc(BLOG_NAME)}</a></p><p>{esc(BLOG_TAGLINE)}</p></div>
<div id="col-main">
{main}
</div>
<div id="col-a">
{box("Catégories", link_list(sidebar.categories))}
{box("Archives", link_list(sidebar.months) + f'<p><a href="{BASE_TOKEN}/archives">Toutes les archives</a></p>')}
{box("Le blog", link_list((("À propos", BASE_TOKEN + "/a-propos"),)))}
</div>
<div id="col-b">
{box("Notes récentes", link_list(sidebar.recent))}
{box("Mots-clés", link_list((("mali", BASE_TOKEN + "/tag/mali"),)))}
{box("Liens", link_list(sidebar.links))}
</div>
<div id="bottom">{esc(BLOG_NAME)} &mdash; <a href="{BASE_TOKEN}/atom.xml">Fil Atom</a></div>
</div>
</body>
</html>
"""


def post_block(post: Post, look: PostLook, *, listing: bool = False, href: str | None = None) -> str:
    """A post in its look's family: full (post page) or cut at "more" (listing), all its links to `href`."""
    href = href or post.url
    cut = listing and truncated(post)
    body = body_html(post, truncated=cut)
    if cut:
        body += f'\n<p class="suite"><a href="{href}">Lire la suite</a></p>'
    return FAMILY_MARKUP[look.family].format(
        before=parts.date_before(post, look), after=parts.date_after(post, look), print=parts.print_link(post, look),
        body=body, footer=parts.footer_line(post, look, href), href=href, title=title_html(post),
        h="h2" if listing else "h1")


def listing_block(post: Post, look: PostLook, family: str, href: str) -> str:
    """A post as a listing of `family` shows it (its other variants kept)."""
    return post_block(post, replace(look, family=family), listing=True, href=href)


def post_page(post: Post, look: PostLook, sidebar: SidebarData, older: Post | None, newer: Post | None,
              comments_markup: str | None = None) -> str:
    """A drifted post page: neighbours in the head or as anchors, comments in the look's markup."""
    head = ""
    if post.author and look.family in HEAD_AUTHOR_FAMILIES:
        head += f'<meta name="author" content="{esc(post.author)}">\n'
    if look.neighbours == "head":
        head += parts.neighbour_head(older, newer)
    main = [post_block(post, look)]
    if look.neighbours == "anchors":
        main.append(parts.neighbour_anchors(older, newer))
    main.append(parts.comments_section(post, look) if comments_markup is None else comments_markup)
    title = f"{title_html(post)} - {esc(BLOG_NAME)}" if post.title else esc(BLOG_NAME)
    return page(title, "\n".join(part for part in main if part), sidebar, head)
