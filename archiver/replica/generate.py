"""build_site: write the replica blog (pages, feeds, ground truth) into a directory."""

from __future__ import annotations

import shutil
from urllib.parse import unquote
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import pages, theme_classic, theme_generic, theme_modern
from .body import IMAGES
from .drift_build import write_drift_site
from .drift_looks import plan_drift
from .frdates import month_title
from .hostile import add_hostile_post
from .images import add_images
from .model import BASE_TOKEN, BLOG_NAME, Category, Post, home_path, month_path
from .plan import Site, listing_theme, plan_site, tag_listings
from .theme_common import Pager, SidebarData, esc, sidebar_data
from .truth import TRUTH_FILE, write_truth
from .unreadable import unreadable_markup

PAGE_SIZE = 10
MIN_POSTS = 60


@dataclass(frozen=True)
class Layout:
    """How the listings are laid out: numbered from one (the home page and each month on one page), or
    `from_zero` as on real blogs (every listing paginated, its index-1.html page 2, months
    `month_page_size` posts a page); feeds of `feed_size` items (older blogs' hold 10)."""

    from_zero: bool = False
    feed_size: int = pages.FEED_SIZE
    month_page_size: int = 2  # the replica's months hold 1 to 3 posts: some get a page 2


DEFAULT_LAYOUT = Layout()


@dataclass(frozen=True)
class SiteInfo:
    """What build_site wrote: where, and how much."""

    root: Path
    post_count: int                 # posts in the ground truth (seed + generated + generic)
    category_count: int
    listing_page_count: int         # category pages, page 1 and index-N (not the loop-trap copy)
    file_count: int
    fault_count: int
    themes: dict[str, int] = field(default_factory=dict)   # post-page themes in the ground truth
    loop_trap: str | None = None    # slug of the category whose page 2 links to index-1.html
    numbered_from_zero: bool = False  # every listing's index-1.html is its page 2 (Layout)
    feed_size: int = pages.FEED_SIZE
    drift: bool = False             # drifted templates (see drift_looks.py; the truth's "drift" key per post)
    unreadable_comments: bool = False   # comments shown only as an unreadable block (counts still shown)
    hostile: bool = False           # one more post whose markup attacks its reader (see hostile.py)
    images: bool = False            # pictures in three posts: blog host, static host, a 404 (see images.py)


class Writer:
    """Writes files under the site root and counts them."""

    def __init__(self, root: Path):
        self.root, self.count = root, 0

    def write(self, path: str, content: str | bytes) -> None:
        """Write `content` at the site path `path` ("/a/b/" means "/a/b/index.html")."""
        target = self.root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        self.count += 1


def prepare(root: Path) -> None:
    """Empty `root`, refusing to wipe a non-empty directory that is not a replica."""
    if root.exists() and any(root.iterdir()):
        if not (root / TRUTH_FILE).exists():
            raise FileExistsError(f"{root} is not empty and holds no replica: refusing to overwrite it")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)


def write_posts(out: Writer, site: Site, sidebar: SidebarData, unreadable: dict[int, str],
                only: set[int] | None = None) -> None:
    """Post pages (by theme), print pages, and the fault posts' pages; or only the pages of the posts `only` names."""
    for i, post in enumerate(site.posts):
        if only is not None and post.id not in only:
            continue
        comments = unreadable.get(post.id)
        if post.theme == "classic":
            older = site.posts[i - 1] if i else None
            newer = site.posts[i + 1] if i + 1 < len(site.posts) else None
            out.write(post.path, theme_classic.post_page(post, sidebar, older, newer, comments))
        elif post.theme == "modern":
            out.write(post.path, theme_modern.post_page(post, sidebar, comments))
        else:
            out.write(post.path, theme_generic.post_page(post, sidebar, comments))
        if post.print_real:
            out.write(post.print_path, pages.print_page(post))
    for post in site.faults if only is None else ():
        full = theme_classic.post_page(post, sidebar, None, None)
        if post.fault == "broken":
            out.write(post.path, pages.broken_page(full))
        elif post.fault != "missing":
            out.write(post.path, full)


class Blocks:
    """Listing blocks of posts, rendered once per theme (a post shows on many listing pages)."""

    def __init__(self):
        self.cache: dict[tuple[str, int], str] = {}

    def __call__(self, theme: str, post: Post) -> str:
        key = (theme, post.id)
        if key not in self.cache:
            render = theme_modern.article if theme == "modern" else theme_classic.post_block
            self.cache[key] = render(post, listing=True)
        return self.cache[key]


def write_category(out: Writer, site: Site, cat: Category, sidebar: SidebarData, blocks: Blocks,
                   layout: Layout = DEFAULT_LAYOUT) -> int:
    """Every listing page of a category (plus the loop-trap copy, numbered from one); returns the number of pages."""
    theme = listing_theme(site, cat)
    posts = site.listings[cat]
    last = max(1, -(-len(posts) // PAGE_SIZE))
    prefix = BASE_TOKEN if theme == "classic" else ""
    hrefs = {n: prefix + cat.page_path(n, layout.from_zero) for n in range(1, last + 1)}
    trap = cat == site.loop_trap and not layout.from_zero
    for number in range(1, last + 1):
        page_hrefs = dict(hrefs)
        if trap and number == 2:
            page_hrefs[1] = f"{BASE_TOKEN}/archives/category/{cat.slug}/index-1.html"
        pager = Pager(number, last, page_hrefs)
        chunk = [blocks(theme, p) for p in posts[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]]
        title = f"{esc(cat.name)} : {esc(BLOG_NAME)}" + (f" - Page {number}" if number > 1 else "")
        if theme == "modern":
            html = theme_modern.listing_page(title, esc(cat.name), chunk, sidebar, pager)
        else:
            html = theme_classic.listing_page(title, f'<h2 class="catname">{esc(cat.name)}</h2>', chunk,
                                              sidebar, pager)
        out.write(cat.page_path(number, layout.from_zero), html)
        if trap and number == 1:
            out.write(cat.page_path(2).replace("index-2", "index-1"), html)
    out.write(cat.path + "index.rss", pages.category_feed(site, cat, layout.feed_size))
    return last


def write_tags(out: Writer, site: Site, sidebar: SidebarData, blocks: Blocks) -> None:
    """Every tag's listing pages (classic): /tag/name+words, then /archives/tag/Name/index-N.html from zero."""
    for tag, posts in tag_listings(site).items():
        last = max(1, -(-len(posts) // PAGE_SIZE))
        pager = {n: BASE_TOKEN + tag.page_path(n) for n in range(1, last + 1)}
        for number in range(1, last + 1):
            chunk = [blocks("classic", p) for p in posts[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]]
            title = f"{esc(tag.name)} : {esc(BLOG_NAME)}" + (f" - Page {number}" if number > 1 else "")
            heading = f'<h2 class="tagname">{esc(tag.name)}</h2>'
            html = theme_classic.listing_page(title, heading, chunk, sidebar, Pager(number, last, pager))
            path = unquote(tag.page_path(number))  # where the server looks for the address it is asked
            out.write(path + ("/" if number == 1 else ""), html)


def write_series(out: Writer, paths: list[str], posts: list[list[str]], title: str, heading: str,
                 sidebar: SidebarData, head_extra: str = "") -> None:
    """A classic listing of several pages (`posts`: each page's blocks), titled "TITLE - Page N" after the first."""
    hrefs = {number: BASE_TOKEN + path for number, path in enumerate(paths, start=1)}
    for number, (path, chunk) in enumerate(zip(paths, posts), start=1):
        page_title = title + (f" - Page {number}" if number > 1 else "")
        pager = Pager(number, len(paths), hrefs)
        out.write(path, theme_classic.listing_page(page_title, heading, chunk, sidebar, pager, head_extra))


def chunks(items: list, size: int) -> list[list]:
    """`items` cut in pages of `size` (at least one page)."""
    return [items[start: start + size] for start in range(0, len(items), size)] or [[]]


def write_chronology(out: Writer, site: Site, sidebar: SidebarData, blocks: Blocks,
                     layout: Layout = DEFAULT_LAYOUT) -> None:
    """The home page (latest posts; numbered from zero: every post, ten a page), month archives (numbered
    from zero: paginated), the archives index and the feeds."""
    newest = [blocks("classic", p) for p in site.posts[::-1]]
    if layout.from_zero:
        home = chunks(newest, PAGE_SIZE)
        write_series(out, [home_path(n) for n in range(1, len(home) + 1)], home, esc(BLOG_NAME), "", sidebar,
                     theme_classic.HOME_HEAD)
    else:
        out.write("/", theme_classic.listing_page(esc(BLOG_NAME), "", newest[:PAGE_SIZE], sidebar,
                                                  head_extra=theme_classic.HOME_HEAD))
    months: dict[tuple[int, int], list[Post]] = {}
    for post in reversed(site.posts):
        months.setdefault(post.month, []).append(post)
    for (year, month), posts in months.items():
        heading = f'<h2 class="archivetitle">Archives : {month_title(year, month)}</h2>'
        title = f"Archives {month_title(year, month)} : {esc(BLOG_NAME)}"
        listed = [blocks("classic", p) for p in posts]
        if layout.from_zero:
            series = chunks(listed, layout.month_page_size)
            write_series(out, [month_path(year, month, n) for n in range(1, len(series) + 1)], series, title,
                         heading, sidebar)
        else:
            out.write(month_path(year, month), theme_classic.listing_page(title, heading, listed, sidebar))
    out.write("/archives/", pages.archives_index(site, sidebar))
    out.write("/atom.xml", pages.atom(site.posts, size=layout.feed_size))
    out.write("/index.rss", pages.rss(site.posts, BLOG_NAME, BASE_TOKEN + "/", layout.feed_size))


def write_default_site(out: Writer, site: Site, unreadable: dict[int, str], layout: Layout = DEFAULT_LAYOUT) -> int:
    """Write the replica's pages in its own themes; return the number of category pages."""
    sidebar, blocks = sidebar_data(site), Blocks()
    write_posts(out, site, sidebar, unreadable)
    listing_pages = sum(write_category(out, site, cat, sidebar, blocks, layout) for cat in site.categories)
    write_chronology(out, site, sidebar, blocks, layout)
    write_tags(out, site, sidebar, blocks)
    return listing_pages


def build_site(out_dir, *, posts: int = 72, seed: int = 2022, generic_posts: int = 0, drift: bool = False,
               unreadable_comments: bool = False, hostile: bool = False, images: bool = False,
               numbered_from_zero: bool = False, feed_size: int = pages.FEED_SIZE) -> SiteInfo:
    """Write the replica blog into `out_dir` (emptied first) with its _truth.jsonl and _faults.json.

    `drift` perturbs the templates, URLs and listings the way real blogs of the platform differ (the truth
    follows); `unreadable_comments` hides every post's comments in markup no extractor can read;
    `hostile` adds the hostile post (hostile.py), the newest, in the default themes only; `images` puts
    pictures in three posts (images.py: blog host, static host, a 404), default themes only, with or without hostile;
    `numbered_from_zero` numbers every listing from zero as real blogs do (Layout: categories, the home
    pagination, months; no loop trap), default templates only; `feed_size` items in every feed.
    """
    if posts < MIN_POSTS or generic_posts < 0 or feed_size < 1:
        raise ValueError(f"posts must be >= {MIN_POSTS}, generic_posts >= 0 and feed_size >= 1")
    if (hostile or images or numbered_from_zero or feed_size != pages.FEED_SIZE) and drift:
        raise ValueError("hostile, images, numbered_from_zero and feed_size go with the default templates, "
                         "not with drift")
    layout = Layout(from_zero=numbered_from_zero, feed_size=feed_size)
    root = Path(out_dir)
    prepare(root)
    site = plan_site(posts, seed, generic_posts)
    if hostile:
        add_hostile_post(site)
    pictures = add_images(site) if images else {}
    plan = plan_drift(site, seed) if drift else None
    unreadable = unreadable_markup(site.posts) if unreadable_comments else {}
    out = Writer(root)
    if plan:
        listing_pages = write_drift_site(out, site, plan, unreadable)
    else:
        listing_pages = write_default_site(out, site, unreadable, layout)
    out.write("/robots.txt", pages.ROBOTS)
    out.write("/style.css", pages.STYLE)
    for name in IMAGES:
        out.write(f"/images/{name}", pages.GIF)
    for path, content in pictures.items():
        out.write(path, content)
    write_truth(root, site, plan)
    themes = {"drift": len(site.posts)} if plan else dict(Counter(p.theme for p in site.posts))
    return SiteInfo(root=root, post_count=len(site.posts), category_count=len(site.categories),
                    listing_page_count=listing_pages, file_count=out.count, fault_count=len(site.faults),
                    themes=themes, loop_trap=site.loop_trap.slug if site.loop_trap and not numbered_from_zero else None,
                    numbered_from_zero=numbered_from_zero, feed_size=feed_size,
                    drift=drift, unreadable_comments=unreadable_comments, hostile=hostile, images=images)
