"""The decorator replica: a whole blog in the platform's older "decorator" template, written from what the platform's old blogs show.

`build_decorator_site(dir, posts=60, seed=2022)` (`python -m archiver.replica build DIR --decorator`) writes a Geneva
blog of 2007-2015 (decorator_plan.py): 6-digit ids, slugs cut at 60 characters, two legacy posts of 2007 with
no id in their URL; titles in an unclassed `h3 > span` (linked on listings for one post in five only); a date line
in four formats; footers "14:45 Publié dans A, B | Lien permanent | Commentaires (3) | Tags : x, y | | Facebook |
| | |" or, for a signed post, "17:43 Écrit par AUTHOR dans A | ..."; comments in div.commentparent / commentchild
dated with a time or by the day alone (the truth then gives the ISO day). Every listing is numbered from zero: page
2 of a category is /archives/category/SLUG/index-1.html, of the home /index-1.html, of a month
/archives/YYYY/MM/index-1.html, of a tag /archives/tag/NAME/index-1.html, titled "NAME - Page 2", 7 posts a page;
feeds hold 10 items. `wordpress=True` (`--wordpress`) shows the same blog through a WordPress-style template
(theme_wordpress.py). The ground truth (_truth.jsonl) adds "tags" and a "decorator" key (how each post is shown).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import escape as xml_escape

from . import frdates, pages, theme_decorator, theme_wordpress
from .body import IMAGES, body_html
from .decorator_plan import BLOG_NAME, BLOG_TAGLINE, DecoratorSite, plan_decorator
from .generate import MIN_POSTS, SiteInfo, Writer, prepare
from .model import BASE_TOKEN, Category, Post, Tag
from .theme_common import Pager, SidebarData, esc, title_html
from .truth import FAULTS_FILE, TRUTH_FILE, truth_record

PAGE_SIZE = 7
FEED_SIZE = 10
LINKS = (("Tribune de Genève", "https://www.tdg.invalid/"), ("Le Courrier", "https://lecourrier.invalid/"))


def home_path(number: int) -> str:
    """/, then /index-1.html for page 2 (numbered from zero)."""
    return "/" if number == 1 else f"/index-{number - 1}.html"


def category_path(category: Category, number: int) -> str:
    """/SLUG/, then /archives/category/SLUG/index-1.html for page 2."""
    return category.path if number == 1 else f"/archives/category/{category.slug}/index-{number - 1}.html"


def month_path(month: tuple[int, int], number: int = 1) -> str:
    """/archives/YYYY/MM/index.html, then index-1.html for page 2."""
    return f"/archives/{month[0]:04d}/{month[1]:02d}/index{'' if number == 1 else f'-{number - 1}'}.html"


def file_path(path: str) -> str:
    """Where a URL path is written: decoded as the server decodes it, a folder's index.html when it has no suffix."""
    path = unquote(path)
    return path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"


def sidebar_data(site: DecoratorSite) -> SidebarData:
    """Every category, the ten latest notes, the twelve latest months."""
    months = sorted({p.month for p in site.posts}, reverse=True)[:12]
    return SidebarData(categories=tuple((esc(c.name), BASE_TOKEN + c.path) for c in site.categories),
                       recent=tuple((title_html(p), p.url) for p in site.posts[::-1][:10]),
                       months=tuple((frdates.month_title(*m), BASE_TOKEN + month_path(m)) for m in months), links=LINKS)


def write_series(out: Writer, theme, site: DecoratorSite, paths: list[str], name: str, posts: list[Post],
                 sidebar: SidebarData) -> int:
    """The pages of one listing, PAGE_SIZE posts each, titled "NAME - Page N" from page 2; returns their number."""
    hrefs = {number: BASE_TOKEN + path for number, path in enumerate(paths, start=1)}
    for number, path in enumerate(paths, start=1):
        chunk = posts[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        blocks = [theme.listing_block(site, post) for post in chunk]
        title = esc(name) + (f" - Page {number}" if number > 1 else "")
        out.write(file_path(path), theme.listing_page(title, f'<h2 class="listtitle">{esc(name)}</h2>', blocks,
                                                      sidebar, Pager(number, len(paths), hrefs)))
    return len(paths)


def pages_of(posts: list) -> range:
    """Page numbers of a listing of `posts`."""
    return range(1, max(1, -(-len(posts) // PAGE_SIZE)) + 1)


def write_listings(out: Writer, theme, site: DecoratorSite, sidebar: SidebarData) -> int:
    """Home, category, month and tag listings (newest first); returns the number of category pages."""
    newest = site.posts[::-1]
    write_series(out, theme, site, [home_path(n) for n in pages_of(newest)], BLOG_NAME, newest, sidebar)
    category_pages = 0
    for cat in site.categories:
        posts = site.listings[cat]
        category_pages += write_series(out, theme, site, [category_path(cat, n) for n in pages_of(posts)],
                                       cat.name, posts, sidebar)
        out.write(cat.path + "index.rss", rss(posts, f"{cat.name} : {BLOG_NAME}", BASE_TOKEN + cat.path))
    for month in sorted({p.month for p in newest}):
        posts = [p for p in newest if p.month == month]
        write_series(out, theme, site, [month_path(month, n) for n in pages_of(posts)],
                     frdates.month_title(*month), posts, sidebar)
    for tag in site.tags:
        posts = site.tag_listings[tag]
        write_series(out, theme, site, [tag.page_path(n) for n in pages_of(posts)], tag.name, posts, sidebar)
    return category_pages


def atom(posts: list[Post]) -> str:
    """/atom.xml: the 10 latest notes, each <id> the platform's tag:HOST,DAY:ID."""
    latest = posts[::-1][:FEED_SIZE]
    entries = "\n".join(pages.atom_entry(p, tag_ids=True) for p in latest)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>{xml_escape(BLOG_NAME)}</title>
<link rel="alternate" type="text/html" href="{BASE_TOKEN}/"/>
<link rel="self" type="application/atom+xml" href="{BASE_TOKEN}/atom.xml"/>
<id>{BASE_TOKEN}/</id>
<updated>{latest[0].published.isoformat()}</updated>
{entries}
</feed>
"""


def rss(newest_first: list[Post], title: str, link: str) -> str:
    """An RSS 2.0 feed of the 10 first of `newest_first`."""
    items = "\n".join(
        f"<item><title>{xml_escape(p.title)}</title><link>{p.url}</link>"
        f'<guid isPermaLink="false">{pages.tag_id(p)}</guid><pubDate>{frdates.rfc822(p.published)}</pubDate>'
        + "".join(f"<category>{xml_escape(c.name)}</category>" for c in p.categories)
        + f"<description>{xml_escape(body_html(p, truncated=True))}</description></item>"
        for p in newest_first[:FEED_SIZE])
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>{xml_escape(title)}</title><link>{link}</link><description>{xml_escape(BLOG_TAGLINE)}</description>
<language>fr</language>
{items}
</channel></rss>
"""


def archives_index(theme, site: DecoratorSite, sidebar: SidebarData) -> str:
    """/archives/: every category with its number of notes, every month."""
    cats = "\n".join(f'<li><a href="{BASE_TOKEN}{c.path}">{esc(c.name)}</a> ({len(site.listings[c])})</li>'
                     for c in site.categories)
    months = "\n".join(f'<li><a href="{BASE_TOKEN}{month_path(m)}">{frdates.month_title(*m)}</a></li>'
                       for m in sorted({p.month for p in site.posts}, reverse=True))
    return theme.page(f"Archives : {esc(BLOG_NAME)}", f"<h2>Catégories</h2>\n<ul>{cats}</ul>\n<h2>Archives</h2>\n"
                      f"<ul>{months}</ul>", sidebar)


def tag_record(tag: Tag) -> dict:
    """A tag as the truth states it: its name and its first page's URL."""
    return {"name": tag.name, "url": BASE_TOKEN + tag.path}


def decorator_record(site: DecoratorSite, post: Post, theme: str) -> dict:
    """The ground truth of a post: truth_record's fields, its tags, comments dated by the day where the page is."""
    record = truth_record(post) | {"theme": theme, "tags": [tag_record(t) for t in post.tags]}
    if theme == "wordpress" or "republished" in post.quirks:
        record["id"] = str(post.id)          # its <article id="post-ID"> shows it; the feeds give a republished one's
    if site.day_only(post) and theme == "decorator":
        for comment in record["comments"]:
            comment["published"] = comment["published"][:10]
    look = site.looks[post.id]
    record["decorator"] = asdict(look) | {
        "footer": "ecrit" if post.author else "publie",
        "date_line": theme_decorator.date_line(post.published, look.date_format)}
    return record


def write_truth(root: Path, site: DecoratorSite, theme: str) -> None:
    """_truth.jsonl, one post a line, oldest first; an empty _faults.json (no fault on this blog)."""
    lines = [json.dumps(decorator_record(site, p, theme), ensure_ascii=False, sort_keys=True) for p in site.posts]
    (root / TRUTH_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / FAULTS_FILE).write_text('{"faults": [], "overrides": {}, "redirects": {}}\n', encoding="utf-8")


def build_decorator_site(out_dir, *, posts: int = MIN_POSTS, seed: int = 2022, wordpress: bool = False) -> SiteInfo:
    """Write the decorator blog (or, with `wordpress`, its WordPress-style twin) into `out_dir` (emptied first)."""
    if posts < MIN_POSTS:
        raise ValueError(f"posts must be >= {MIN_POSTS}")
    root = Path(out_dir)
    prepare(root)
    site = plan_decorator(posts, seed)
    theme, name = (theme_wordpress, "wordpress") if wordpress else (theme_decorator, "decorator")
    out, sidebar = Writer(root), sidebar_data(site)
    for index, post in enumerate(site.posts):
        out.write(post.path, theme.post_page(site, post, sidebar, site.posts[index - 1] if index else None))
        if post.print_real:
            out.write(post.print_path, pages.print_page(post))
    category_pages = write_listings(out, theme, site, sidebar)
    out.write("/archives/", archives_index(theme, site, sidebar))
    out.write("/atom.xml", atom(site.posts))
    out.write("/index.rss", rss(site.posts[::-1], BLOG_NAME, BASE_TOKEN + "/"))
    for path, content in (("/robots.txt", pages.ROBOTS), ("/style.css", pages.STYLE),
                          *((f"/images/{n}", pages.GIF) for n in IMAGES)):
        out.write(path, content)
    write_truth(root, site, name)
    return SiteInfo(root=root, post_count=len(site.posts), category_count=len(site.categories),
                    listing_page_count=category_pages, file_count=out.count, fault_count=0,
                    themes={name: len(site.posts)})
