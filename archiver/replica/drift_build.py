"""build_site's drift path: every page of a drifted replica (post pages, listings, feeds, extra pages)."""

from __future__ import annotations

from . import drift_listing as listing, drift_theme, pages
from .drift_looks import FAULT_LOOK, DriftPlan
from .frdates import month_title
from .model import BASE_TOKEN, BLOG_NAME
from .plan import Site
from .theme_common import RECENT_COUNT, SIDEBAR_MONTHS, SidebarData, esc, title_html


def drift_sidebar(site: Site, plan: DriftPlan) -> SidebarData:
    """Every category, the latest listed posts and the latest month archives (at their drifted paths)."""
    listed = [p for p in site.posts if p.reach == "listed"]
    months = sorted(plan.months, reverse=True)[:SIDEBAR_MONTHS]
    return SidebarData(
        categories=tuple((esc(c.name), BASE_TOKEN + c.path) for c in site.categories),
        recent=tuple((title_html(p), p.url) for p in reversed(listed[-RECENT_COUNT:])),
        months=tuple((month_title(*m), BASE_TOKEN + listing.month_page_path(m, plan.months[m].form)) for m in months),
    )


def write_posts(out, site: Site, plan: DriftPlan, sidebar: SidebarData, unreadable: dict[int, str]) -> None:
    """Post pages linking their chronological neighbours, print pages, and the fault posts' pages."""
    for i, post in enumerate(site.posts):
        older = site.posts[i - 1] if i else None
        newer = site.posts[i + 1] if i + 1 < len(site.posts) else None
        out.write(post.path, drift_theme.post_page(post, plan.posts[post.id], sidebar, older, newer,
                                                   unreadable.get(post.id)))
        if post.print_real:
            out.write(post.print_path, pages.print_page(post))
    for post in site.faults:
        full = drift_theme.post_page(post, FAULT_LOOK, sidebar, None, None)
        if post.fault == "broken":
            out.write(post.path, pages.broken_page(full))
        elif post.fault != "missing":
            out.write(post.path, full)


def write_drift_site(out, site: Site, plan: DriftPlan, unreadable: dict[int, str]) -> int:
    """Write the drifted replica's pages and feeds; return the number of category pages."""
    sidebar = drift_sidebar(site, plan)
    write_posts(out, site, plan, sidebar, unreadable)
    writer = listing.ListingWriter(out, plan, sidebar)
    category_pages = 0
    for category in site.categories:
        category_pages += listing.write_category(writer, site, category)
        out.write(category.path + "index.rss", pages.category_feed(site, category))
    listing.write_home(writer, site)
    listing.write_months(writer, site)
    listed = [p for p in site.posts if p.reach == "listed"]
    out.write("/archives/", listing.archives_index(site, plan, sidebar))
    out.write("/tag/mali/", listing.tag_page(site, sidebar))
    out.write("/a-propos/", listing.about_page(sidebar))
    out.write("/atom.xml", pages.atom(listed, tag_ids=True))
    out.write("/index.rss", pages.rss(listed, BLOG_NAME, BASE_TOKEN + "/"))
    return category_pages
