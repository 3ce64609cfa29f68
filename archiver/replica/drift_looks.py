"""Drift, the pages' side: the markup variant of every post page and listing, dealt from the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from .drift_reach import Moves, assign_roles
from .model import Category, Post
from .plan import Site

# Post-page families: "classic", "modern" and the older "decorator" template (div.post > div.posttext, its title an
# unclassed h3 > span, its footer p.posted) are still detected by the bundled profiles, the others not.
FAMILIES = ("classic", "modern", "notes", "bare", "decorator")
DETECTED_BY = {"classic": "classic", "modern": "modern", "notes": None, "bare": None, "decorator": "classic"}
PRINTS_REAL = ("wrapped", "classed")              # a real /apps/print/ID.html link
PRINTS_SCRIPT = ("wrapped", "button")             # javascript:window.print() or a <button>
DATES = ("numeric-before-title", "long-heading", "posted-iso", "long-with-time")
COUNTS = ("number", "parens")                     # "3 commentaires", "Commentaires (3)"
COUNTS_ZERO = ("number", "parens", "aucun", "laisser")
CATEGORY_LABELS = ("Catégories :", "Publié dans")
CATEGORY_LINKS = ("slash", "no-slash")
COMMENTS = ("item-after", "item-before", "li-time")
NEIGHBOURS = ("head", "anchors")
LISTING_STYLES = ("list", "classic", "notes", "modern")
PAGERS = ("numbers", "older-newer")
CATEGORY_PAGING = ("archives", "slug")            # /archives/category/SLUG/index-N.html or /SLUG/index-N.html
MONTH_FORMS = ("archive", "archives")             # /archive/YYYY/MM/index.html or /archives/YYYY/MM/index-N.html


@dataclass(frozen=True)
class PostLook:
    """The markup variants of one post page (written to the truth's "drift" key)."""

    family: str
    detected_by: str | None
    print: str
    dates: str
    count: str
    categories_label: str
    category_links: str
    comments: str
    neighbours: str


# The fault posts' pages (missing, server error, broken, untitled) keep one plain look.
FAULT_LOOK = PostLook("classic", "classic", "wrapped", "long-heading", "number", "Catégories :", "slash",
                      "item-after", "head")


@dataclass(frozen=True)
class ListingLook:
    """A listing series: plain list or post blocks of a family, pager wording, and URL form."""

    style: str
    pager: str
    form: str


@dataclass
class DriftPlan:
    """Every drift decision the page writers need."""

    posts: dict[int, PostLook]
    categories: dict[Category, ListingLook]
    months: dict[tuple[int, int], ListingLook]
    home: ListingLook
    moves: Moves = field(default_factory=Moves)
    month_page_size: int = 10


def deal(rng: random.Random, items: list, variants: tuple) -> dict:
    """Each item's variant: items shuffled, variants dealt in turn, so each shows once given enough items."""
    shuffled = rng.sample(items, len(items))
    start = rng.randrange(len(variants))
    return {item: variants[(start + i) % len(variants)] for i, item in enumerate(shuffled)}


def deal_by(rng: random.Random, posts: list[Post], groups: dict[str, tuple], group_of) -> dict[int, str]:
    """Deal variants within groups of posts (e.g. real or scripted print links)."""
    dealt: dict[int, str] = {}
    for name, variants in groups.items():
        dealt.update(deal(rng, [p.id for p in posts if group_of(p) == name], variants))
    return dealt


def count_group(post: Post) -> str:
    """"closed", "zero" or "some" comments."""
    return "closed" if not post.comments_open else "some" if post.comments else "zero"


def post_looks(rng: random.Random, posts: list[Post]) -> dict[int, PostLook]:
    """Every post page's variants."""
    ids = [p.id for p in posts]
    family = deal(rng, ids, FAMILIES)
    printed = deal_by(rng, posts, {"real": PRINTS_REAL, "script": PRINTS_SCRIPT},
                      lambda p: "real" if p.print_real else "script")
    counted = deal_by(rng, posts, {"some": COUNTS, "zero": COUNTS_ZERO, "closed": ("closed",)}, count_group)
    comments = deal_by(rng, posts, {"yes": COMMENTS, "no": ("none",)}, lambda p: "yes" if p.comments else "no")
    dates, labels, links, neighbours = (deal(rng, ids, v) for v in (DATES, CATEGORY_LABELS, CATEGORY_LINKS,
                                                                     NEIGHBOURS))
    looks = {i: PostLook(family[i], DETECTED_BY[family[i]], printed[i], dates[i], counted[i], labels[i], links[i],
                         comments[i], neighbours[i]) for i in ids}
    hidden = [p for p in posts if p.legacy and not p.print_real]
    for post, variant in zip(hidden, PRINTS_SCRIPT[::-1]):
        looks[post.id] = replace(looks[post.id], print=variant)
    return looks


def listing_looks(rng: random.Random, keys: list, forms: tuple) -> dict:
    """Listing series: styles (plain list or a family's blocks), pagers and URL forms dealt independently."""
    style, pager, form = (deal(rng, keys, v) for v in (LISTING_STYLES, PAGERS, forms))
    return {key: ListingLook(style[key], pager[key], form[key]) for key in keys}


def month_keys(site: Site) -> list[tuple[int, int]]:
    """Months that have a month archive: those of listed and month-only posts."""
    return sorted({p.month for p in site.posts if p.reach != "neighbours-only"})


def busiest(site: Site, months: list[tuple[int, int]]) -> tuple[tuple[int, int], int]:
    """The month with most archived posts, and how many."""
    sizes = {m: sum(p.month == m and p.reach != "neighbours-only" for p in site.posts) for m in months}
    month = max(months, key=lambda m: (sizes[m], m))
    return month, sizes[month]


def plan_drift(site: Site, seed: int) -> DriftPlan:
    """Apply the drift's post roles to `site` and deal every page's variants, all from `seed`."""
    rng = random.Random(f"drift-{seed}")
    moves = assign_roles(rng, site)
    months = month_keys(site)
    month_looks = listing_looks(rng, months, MONTH_FORMS)
    top, size = busiest(site, months)
    month_looks[top] = replace(month_looks[top], form="archives")      # so that some month has an index-2
    paged = [c for c in site.categories if len(site.listings[c]) > 10]
    category_looks = listing_looks(rng, paged, CATEGORY_PAGING)
    category_looks.update(listing_looks(rng, [c for c in site.categories if c not in paged], ("archives",)))
    home = ListingLook(rng.choice(LISTING_STYLES[1:]), rng.choice(PAGERS), "home")
    return DriftPlan(post_looks(rng, site.posts), category_looks, month_looks, home, moves,
                     month_page_size=max(1, min(10, size - 1)))
