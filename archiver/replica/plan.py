"""The whole replica blog as data: seed and generated posts, fault posts, ids, categories, listings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from . import body, posts as gen
from .model import PARIS, Category, Post, Tag
from .seed import load_seed

SEED_ANCHOR_ID = 6362153
EXTRA_CATEGORIES = (
    "Côte d'Ivoire", "Relations Côte d'Ivoire-Russie", "Sahel : l'opération Barkhane",
    "Défense & sécurité", "Économie", "Burkina Faso", "Centrafrique", "Relations Burkina Faso-Russie",
    "Diplomatie russe", "Énergie & matières premières", "Niger", "Tchad", "Guinée", "Désinformation",
)
POPULAR = {"RUSSIE": 14, "MALI": 10, "Diplomatie russe": 10, "Défense & sécurité": 9,
           "Wagner (groupe de mercenaires russes)": 8, "LIBYE": 5, "REPUBLIQUE CENTRAFRICAINE": 5,
           "Sahel : l'opération Barkhane": 5, "Économie": 4, "Burkina Faso": 4}
# per seed post: (date and time, theme, categories besides the seed's, author, real print link, comments)
SEED_SETUP = (
    ((2022, 2, 4, 10, 30), "classic", ("MALI", "RUSSIE", "Diplomatie russe", "Relations Russie-Mali"), "E.B.", True, 2),
    ((2022, 2, 1, 9, 15), "modern", ("MALI", "Défense & sécurité", "Sahel : l'opération Barkhane"), "E.B.", True, 0),
    ((2020, 9, 23, 18, 40), "classic", ("MALI", "RUSSIE", "Sahel : l'opération Barkhane"), None, False, 1),
    ((2020, 8, 6, 14, 5), "modern", (), "E.B.", True, 0),
)
FAULT_KINDS = ("missing", "server_error", "broken", "untitled")


@dataclass
class Site:
    """Everything the page writers and the ground truth need."""

    posts: list[Post]                      # normal posts, oldest first
    faults: list[Post]
    categories: list[Category]             # sidebar order
    listings: dict[Category, list[Post]] = field(default_factory=dict)  # newest first, faults included
    loop_trap: Category | None = None


def make_categories() -> tuple[str, list[Category]]:
    """The seed category, and every category: post 4's footer, then the extras."""
    seed_category, seed_posts = load_seed()
    names = list(seed_posts[3].categories) + [n for n in EXTRA_CATEGORIES if n not in seed_posts[3].categories]
    return seed_category, [Category(name) for name in names]


def make_seed_posts(seed_category: str) -> list[Post]:
    """The four seed posts, verbatim, with the dates, themes and categories of the design."""
    result = []
    for number, (seed, setup) in enumerate(zip(load_seed()[1], SEED_SETUP), start=1):
        (y, mo, d, h, mi), theme, extra, author, print_real, _ = setup
        names = seed.categories or (seed_category, *extra)
        cats = [Category(n) for n in names]
        post = Post(title=seed.title, published=datetime(y, mo, d, h, mi, tzinfo=PARIS), blocks=[],
                    categories=cats if seed.categories else gen.footer_order(cats), theme=theme,
                    author=author, print_real=print_real, seed=True, date_style=0)
        nbsp = theme == "classic"
        post.blocks = [body.paragraph(random.Random(number), par, nbsp=nbsp) for par in seed.paragraphs]
        result.append(post)
    return result


def category_weights(categories: list[Category], seed_category: str) -> dict[Category, float]:
    """Drawing weights: a few popular categories; the seed category is reserved to the seed posts."""
    return {cat: POPULAR.get(cat.name, 1) for cat in categories if cat.name != seed_category}


def make_generated(rng: random.Random, weights, posts: int, generic_posts: int) -> list[Post]:
    """Normal generated posts (classic or modern pages) then the generic-theme ones."""
    made = [gen.new_post(rng, weights, rng.choice(("classic", "modern")), 12 if i == 0 else 0)
            for i in range(posts)]
    for i in range(generic_posts):
        post = gen.new_post(rng, weights, "generic")
        post.microdata = i % 2 == 0
        post.author = post.author if post.microdata or i % 4 == 1 else None
        made.append(post)
    return made


def make_faults(rng: random.Random, weights) -> list[Post]:
    """One post per fault kind, listed in 1-3 popular categories."""
    popular = {cat: w for cat, w in weights.items() if cat.name in POPULAR}
    faults = []
    for kind in FAULT_KINDS:
        post = gen.new_post(rng, popular, "classic", rng.randint(1, 3), date(2019, 1, 1), date(2023, 6, 30))
        post.fault = kind
        post.title = "" if kind == "untitled" else post.title
        faults.append(post)
    return faults


def assign_ids(rng: random.Random, everything: list[Post], anchor: Post) -> None:
    """7-digit ids increasing with the date, seed post 1 keeping its real id."""
    everything.sort(key=lambda p: p.published)
    start = everything.index(anchor)
    anchor.id = SEED_ANCHOR_ID
    for i in range(start + 1, len(everything)):
        everything[i].id = everything[i - 1].id + rng.randint(3, 40)
    for i in range(start - 1, -1, -1):
        everything[i].id = everything[i + 1].id - rng.randint(3, 40)


def cover_all(generated: list[Post], categories: list[Category], used: set[Category], seed_category: str) -> None:
    """Put every category not yet used on some generated post (never past 12 categories)."""
    spare = [p for p in generated if len(p.categories) < 12]
    for i, cat in enumerate(c for c in categories if c not in used and c.name != seed_category):
        post = spare[(i * 7) % len(spare)]
        if cat not in post.categories and len(post.categories) < 12:
            post.categories = gen.footer_order([*post.categories, cat])


def write_bodies(rng: random.Random, generated: list[Post], normal: list[Post]) -> None:
    """Bodies of the generated posts, with the one-off variations placed deterministically."""
    link_paths = [p.path for p in normal[:: max(1, len(normal) // 40)]]
    classic = [p for p in generated if p.theme == "classic"]
    special = {classic[1].id: gen.make_unsafe, classic[2].id: gen.make_sloppy}
    for index, post in enumerate(generated):
        if post.id in special:
            special[post.id](rng, post)
        else:
            gen.fill_body(rng, post, link_paths, forced=gen.FORCED.get(index, ""))


def force_variations(generated: list[Post]) -> None:
    """Make sure each rare case exists at least once, whatever the seed."""
    classic = [p for p in generated if p.theme == "classic"]
    modern = [p for p in generated if p.theme == "modern"]
    modern[0].author = None
    modern[1].has_datetime = False
    modern[2].comments_open = False
    classic[3].comments_open = False
    classic[4].author = "Marc Dufresne"
    classic[5].author = None
    classic[6].print_real = False
    classic[7].print_real = True


def make_listings(normal: list[Post], faults: list[Post], categories: list[Category]) -> dict:
    """Each category's posts, newest first (fault posts included: they are linked like others)."""
    listings: dict[Category, list[Post]] = {cat: [] for cat in categories}
    for post in sorted(normal + faults, key=lambda p: p.published, reverse=True):
        for cat in post.categories:
            listings[cat].append(post)
    return listings


def tag_listings(site: Site) -> dict[Tag, list[Post]]:
    """Each tag's posts, newest first, tags by name."""
    listings: dict[Tag, list[Post]] = {}
    for post in sorted(site.posts, key=lambda p: p.published, reverse=True):
        for tag in post.tags:
            listings.setdefault(tag, []).append(post)
    return dict(sorted(listings.items(), key=lambda item: item[0].name.casefold()))


def listing_theme(site: Site, category: Category) -> str:
    """Category pages are classic, except about a third of them which are modern."""
    return "modern" if site.categories.index(category) % 3 == 1 else "classic"


def plan_site(posts: int = 72, seed: int = 2022, generic_posts: int = 0) -> Site:
    """The replica blog for a number of generated posts, a random seed and generic-theme posts."""
    rng = random.Random(seed)
    seed_category, categories = make_categories()
    weights = category_weights(categories, seed_category)
    seeds = make_seed_posts(seed_category)
    generated = make_generated(rng, weights, posts, generic_posts)
    used = {cat for post in seeds + generated for cat in post.categories}
    cover_all(generated, categories, used, seed_category)
    faults = make_faults(rng, weights)
    normal = seeds + generated
    assign_ids(rng, normal + faults, seeds[0])
    normal.sort(key=lambda p: p.published)
    force_variations(generated)
    write_bodies(rng, generated, normal)
    cid = 1_480_000
    for post in normal:
        forced = SEED_SETUP[seeds.index(post)][5] if post.seed else None
        cid = gen.fill_comments(rng, post, cid, forced)
    for post in faults:
        gen.fill_body(rng, post, [normal[0].path])
    gen.assign_tags(seed, generated)
    categories.sort(key=lambda c: c.slug)
    site = Site(normal, faults, categories, make_listings(normal, faults, categories))
    classic = [c for c in categories if listing_theme(site, c) == "classic"]
    site.loop_trap = max(classic, key=lambda c: len(site.listings[c]))
    return site
