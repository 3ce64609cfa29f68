"""The whole replica blog as data: seed and generated posts, fault posts, ids, categories, listings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from . import body, posts as gen
from .model import PARIS, Category, Post
from .seed import load_seed

SEED_ANCHOR_ID = 6362153
EXTRA_CATEGORIES = (
    "Côte d'Ivoire", "Relations Côte d'Ivoire-Russie", "Sahel : l'opération Barkhane",
    "Défense & sécurité", "Économie", "Burkina Faso", "Centrafrique", "Relations Burkina Faso-Russie",
    "Diplomatie russe", "Énergie & matières premières", "Niger", "Tchad", "Guinée", "Désinformation",
)
POPULAR = {"RUSSIE": 12, "MALI": 8, "Diplomatie russe": 8, "Défense & sécurité": 7,
           "Wagner (groupe de mercenaires russes)": 6, "LIBYE": 5, "REPUBLIQUE CENTRAFRICAINE": 5,
           "Sahel : l'opération Barkhane": 5, "Économie": 4, "Burkina Faso": 4}
# (title index in the seed, time, theme, categories of posts 1-3, author, print link, comments)
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
