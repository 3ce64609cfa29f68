"""Drifted listings: home pages, category pages, month archives (post blocks or plain lists), text-only pagers."""

from __future__ import annotations

from . import drift_theme
from .drift_looks import FAULT_LOOK, DriftPlan, ListingLook
from .drift_reach import category_key, month_key
from .frdates import month_title
from .model import BASE_TOKEN, BLOG_NAME, Category, Post
from .plan import Site
from .theme_common import Pager, SidebarData, esc, page_window, title_html

PAGE_SIZE = 10
PAGER_WORDS = {"numbers": ("« Précédent", "Suivant »"),
               "older-newer": ("« Notes plus récentes", "Notes plus anciennes »")}
TAG_CATEGORY = "MALI"


def home_path(number: int) -> str:
    """/, /index-2.html, /index-3.html, ..."""
    return "/" if number == 1 else f"/index-{number}.html"


def category_path(category: Category, form: str, number: int) -> str:
    """/SLUG/ then /archives/category/SLUG/index-N.html ("archives") or /SLUG/index-N.html ("slug")."""
    if number == 1:
        return category.path
    if form == "archives":
        return f"/archives/category/{category.slug}/index-{number}.html"
    return f"/{category.slug}/index-{number}.html"


def month_page_path(month: tuple[int, int], form: str, number: int = 1) -> str:
    """/archive/YYYY/MM/index.html (one page), or /archives/YYYY/MM/index-N.html (paginated)."""
    year, mo = month
    if form == "archive":
        return f"/archive/{year:04d}/{mo:02d}/index.html"
    return f"/archives/{year:04d}/{mo:02d}/index-{number}.html"


def pager_html(pager: Pager, style: str) -> str:
    """Text links, no rel: "« Précédent 1 2 3 Suivant »" or "« Notes plus récentes Notes plus anciennes »"."""
    newer, older = PAGER_WORDS[style]
    items = [f'<a href="{pager.prev_href}">{newer}</a>'] if pager.prev_href else []
    if style == "numbers":
        for number in page_window(pager.current, pager.last):
            if number is None or number == pager.current:
                items.append("…" if number is None else str(number))
            else:
                items.append(f'<a href="{pager.hrefs[number]}">{number}</a>')
    if pager.next_href:
        items.append(f'<a href="{pager.next_href}">{older}</a>')
    return f'<p class="pages">{" ".join(items)}</p>'


def plain_item(post: Post, href: str) -> str:
    """<li><a href="PERMALINK">Title</a> (04/02/2022)</li>."""
    return f'<li><a href="{href}">{title_html(post)}</a> ({post.published:%d/%m/%Y})</li>'


def plain_list(items: list[str]) -> str:
    """A <ul> of plain items."""
    return '<ul class="liste-notes">\n' + "\n".join(items) + "\n</ul>"


class ListingWriter:
    """Writes listing series with the drift plan's looks, rendering each post block once."""

    def __init__(self, out, plan: DriftPlan, sidebar: SidebarData):
        self.out, self.plan, self.sidebar = out, plan, sidebar
        self.blocks: dict[tuple[str, int, str], str] = {}

    def item(self, post: Post, style: str, key: str) -> str:
        """One post of a listing: a plain item or a block, linking its old URL where the plan says so."""
        href = self.plan.moves.listing_hrefs.get((key, post.id), post.url)
        if style == "list":
            return plain_item(post, href)
        cache = (style, post.id, href)
        if cache not in self.blocks:
            look = self.plan.posts.get(post.id, FAULT_LOOK)
            self.blocks[cache] = drift_theme.listing_block(post, look, style, href)
        return self.blocks[cache]

    def series(self, paths: list[str], posts: list[Post], size: int, look: ListingLook, key: str,
               title: str, heading: str) -> int:
        """Write every page of a listing; return the number of pages."""
        hrefs = {number: BASE_TOKEN + path for number, path in enumerate(paths, start=1)}
        for number, path in enumerate(paths, start=1):
            items = [self.item(p, look.style, key) for p in posts[(number - 1) * size: number * size]]
            content = plain_list(items) if look.style == "list" else "\n".join(items)
            nav = pager_html(Pager(number, len(paths), hrefs), look.pager) if len(paths) > 1 else ""
            page_title = title + (f" - Page {number}" if number > 1 else "")
            center = "\n".join(part for part in (heading, content, nav) if part)
            self.out.write(path, drift_theme.page(page_title, center, self.sidebar))
        return len(paths)


def page_count(posts: list, size: int) -> int:
    """Pages needed for `posts` (at least one)."""
    return max(1, -(-len(posts) // size))


def write_home(writer: ListingWriter, site: Site) -> None:
    """The home pages: listed posts, newest first, ten a page."""
    posts = [p for p in reversed(site.posts) if p.reach == "listed"]
    paths = [home_path(n) for n in range(1, page_count(posts, PAGE_SIZE) + 1)]
    writer.series(paths, posts, PAGE_SIZE, writer.plan.home, "home", esc(BLOG_NAME), "")


def write_category(writer: ListingWriter, site: Site, category: Category) -> int:
    """A category's pages in its look; returns the number of pages."""
    look, posts = writer.plan.categories[category], site.listings[category]
    paths = [category_path(category, look.form, n) for n in range(1, page_count(posts, PAGE_SIZE) + 1)]
    heading = f'<h2 class="titre-liste">{esc(category.name)}</h2>'
    return writer.series(paths, posts, PAGE_SIZE, look, category_key(category),
                         f"{esc(category.name)} : {esc(BLOG_NAME)}", heading)


def month_posts(site: Site) -> dict[tuple[int, int], list[Post]]:
    """Each archived month's posts (listed and month-only), newest first."""
    months: dict[tuple[int, int], list[Post]] = {}
    for post in reversed(site.posts):
        if post.reach != "neighbours-only":
            months.setdefault(post.month, []).append(post)
    return months


def write_months(writer: ListingWriter, site: Site) -> None:
    """Every month archive, one page ("archive") or paginated ("archives")."""
    for month, posts in month_posts(site).items():
        look = writer.plan.months[month]
        size = len(posts) if look.form == "archive" else writer.plan.month_page_size
        paths = [month_page_path(month, look.form, n) for n in range(1, page_count(posts, size) + 1)]
        title = f"Archives {month_title(*month)} : {esc(BLOG_NAME)}"
        writer.series(paths, posts, size, look, month_key(posts[0]), title,
                      f'<h2 class="titre-liste">Archives : {month_title(*month)}</h2>')


def archives_index(site: Site, plan: DriftPlan, sidebar: SidebarData) -> str:
    """/archives: every category with its number of posts, every month archive."""
    cats = "\n".join(f'<li><a href="{BASE_TOKEN}{c.path}">{esc(c.name)}</a> ({len(site.listings[c])})</li>'
                     for c in site.categories)
    months = "\n".join(f'<li><a href="{BASE_TOKEN}{month_page_path(month, plan.months[month].form)}">'
                       f"{month_title(*month)}</a> ({len(posts)})</li>"
                       for month, posts in sorted(month_posts(site).items(), reverse=True))
    center = (f'<h2 class="titre-liste">Archives</h2>\n<h3>Catégories</h3>\n<ul>\n{cats}\n</ul>\n'
              f"<h3>Mois</h3>\n<ul>\n{months}\n</ul>")
    return drift_theme.page(f"Archives : {esc(BLOG_NAME)}", center, sidebar)


def tag_page(site: Site, sidebar: SidebarData) -> str:
    """/tag/mali: a tag page (not a category) listing the posts of the MALI category."""
    category = next((c for c in site.categories if c.name == TAG_CATEGORY), None)
    posts = site.listings[category] if category else []
    center = '<h2 class="titre-liste">Mot-clé : mali</h2>\n' + plain_list([plain_item(p, p.url) for p in posts])
    return drift_theme.page(f"mali : {esc(BLOG_NAME)}", center, sidebar)


def about_page(sidebar: SidebarData) -> str:
    """/a-propos: a top-level page that is no category."""
    center = ('<h2 class="titre-liste">À propos</h2>\n<p>Ce blog suit la présence russe en Afrique depuis 2018 : '
              "diplomatie, défense, économie.</p>")
    return drift_theme.page(f"À propos : {esc(BLOG_NAME)}", center, sidebar)
