"""The replica's other files: feeds, the archives index, robots.txt, print pages, static files.

Namesake of archiver.store.pages: this module writes the replica's pages, that one keeps the copy of each page a
crawl fetched.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from . import frdates, theme_classic
from .body import body_html
from .model import BASE_TOKEN, BLOG_AUTHOR, BLOG_NAME, BLOG_TAGLINE, Category, Post, month_path
from .plan import Site
from .theme_common import SidebarData, esc, title_html

FEED_SIZE = 20  # a newer blog's feeds; older blogs' hold 10 (Layout.feed_size)
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /apps/\n"
STYLE = """body { font-family: Georgia, serif; margin: 0; }
#container, .box-layout { max-width: 1100px; margin: 0 auto; }
#left, #right { float: left; width: 20%; } #center { float: left; width: 60%; }
.box-main { float: left; width: 70%; } .box-sidebar { float: right; width: 28%; }
"""
# A 1x1 transparent GIF, used for every image of the replica.
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def tag_id(post: Post) -> str:
    """The platform's entry id: tag:HOST,YYYY-MM-DD:ID (the day of the permalink)."""
    day = post.created or post.published
    return f"tag:{urlsplit(BASE_TOKEN).hostname},{day:%Y-%m-%d}:{post.id}"


def atom_entry(post: Post, tag_ids: bool = False) -> str:
    """One Atom <entry>, its <id> the permalink or (tag_ids) the platform's tag: form."""
    cats = "".join(f'<category term="{xml_escape(c.name, {chr(34): "&quot;"})}"/>' for c in post.categories)
    author = f"<author><name>{xml_escape(post.author)}</name></author>" if post.author else ""
    entry_id = tag_id(post) if tag_ids else post.url
    return (f"<entry><title>{xml_escape(post.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{post.url}"/><id>{entry_id}</id>'
            f"<published>{post.published.isoformat()}</published><updated>{post.published.isoformat()}</updated>"
            f'{author}{cats}<content type="html">{xml_escape(body_html(post))}</content></entry>')


def atom(posts: list[Post], tag_ids: bool = False, size: int = FEED_SIZE) -> str:
    """/atom.xml: the latest `size` posts, newest first."""
    latest = posts[-size:][::-1]
    entries = "\n".join(atom_entry(p, tag_ids) for p in latest)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>{xml_escape(BLOG_NAME)}</title>
<subtitle>{xml_escape(BLOG_TAGLINE)}</subtitle>
<author><name>{xml_escape(BLOG_AUTHOR)}</name></author>
<link rel="alternate" type="text/html" href="{BASE_TOKEN}/"/>
<link rel="self" type="application/atom+xml" href="{BASE_TOKEN}/atom.xml"/>
<id>{BASE_TOKEN}/</id>
<updated>{latest[0].published.isoformat()}</updated>
{entries}
</feed>
"""


def rss(posts: list[Post], title: str, link: str, size: int = FEED_SIZE) -> str:
    """An RSS 2.0 feed of the latest `size` of `posts` (oldest first in, newest first out)."""
    items = "\n".join(
        f"<item><title>{xml_escape(p.title)}</title><link>{p.url}</link>"
        f'<guid isPermaLink="true">{p.url}</guid><pubDate>{frdates.rfc822(p.published)}</pubDate>'
        + "".join(f"<category>{xml_escape(c.name)}</category>" for c in p.categories)
        + f"<description>{xml_escape(body_html(p, truncated=True))}</description></item>"
        for p in posts[-size:][::-1])
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>{xml_escape(title)}</title><link>{link}</link><description>{xml_escape(BLOG_TAGLINE)}</description>
<language>fr</language>
{items}
</channel></rss>
"""


def archives_index(site: Site, sidebar: SidebarData) -> str:
    """/archives: every category (with its number of posts) and every month."""
    counts: dict[tuple[int, int], int] = {}
    for post in site.posts:
        counts[post.month] = counts.get(post.month, 0) + 1
    cats = "\n".join(f'<li><a href="{BASE_TOKEN}{c.path}">{esc(c.name)}</a> ({len(site.listings[c])})</li>'
                     for c in site.categories)
    months = "\n".join(f'<li><a href="{month_path(y, m)}">{frdates.month_title(y, m)}</a> ({n})</li>'
                       for (y, m), n in sorted(counts.items(), reverse=True))
    center = (f'<h2 class="archivetitle">Archives</h2>\n<h3>Catégories</h3>\n<ul class="archives-categories">\n'
              f'{cats}\n</ul>\n<h3>Mois</h3>\n<ul class="archives-months">\n{months}\n</ul>')
    return theme_classic.page(f"Archives : {esc(BLOG_NAME)}", center, sidebar)


def print_page(post: Post) -> str:
    """/apps/print/ID.html: a bare printable copy of a post."""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>{title_html(post)}</title></head>
<body class="print">
<h1>{title_html(post)}</h1>
<p class="print-date">{frdates.long_with_time(post.published)}</p>
{body_html(post)}
<p class="print-source">{post.url}</p>
</body></html>
"""


def broken_page(full_page: str) -> str:
    """A page cut right after <title>, as a crashed server would send it."""
    return full_page[: full_page.index("<title>") + len("<title>")]


def category_feed(site: Site, category: Category, size: int = FEED_SIZE) -> str:
    """/category-slug/index.rss: the category's latest `size` posts (fault posts left out)."""
    posts = [p for p in reversed(site.listings[category]) if p.fault is None]
    return rss(posts, f"{category.name} : {BLOG_NAME}", BASE_TOKEN + category.path, size)
