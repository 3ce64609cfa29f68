"""The decorator blog as data: a Geneva chronicle of 2007-2015 with 6-digit ids, tags, and each post's look."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from . import posts as gen, text
from .model import Category, Post, Tag

BLOG_NAME = "Cause toujours"
BLOG_TAGLINE = "Chroniques genevoises, de la Treille au Léman"
FIRST_ID = 201_840                    # 6-digit ids, increasing with the date
CATEGORIES = {"Genève": 6, "Politique": 5, "Social": 2, "Culture": 2, "Sports": 2, "Économie": 1,
              "International": 1, "Transports": 1, "Écologie": 1}
BIG = ("Genève", "Politique")         # every post is in one of them: 4+ listing pages from 60 posts on
TAGS = ("pauvreté", "salika wenger", "Sarkozy", "logement", "CEVA", "Conseil d'État", "Servette FC",
        "budget", "élections", "Léman Express", "vélo", "Grand Conseil")
BUSY_TAG = "salika wenger"            # on 4 posts of 9: a tag of 4+ pages
AUTHORS = ("Charly Schwarz", "Salika Wenger", "Pierre-Alain Dubuis")
BUSY_MONTH = (2013, 5)                # every 6th post: a month archive of two pages or more
DATE_FORMATS = 4                      # "mardi, 28 mai 2013", "28/05/2013", "28.05.2013", "28 mai 2013"
COMMENT_DATES = ("slash-time", "dot-time", "slash-day", "dot-day")
DAY_ONLY = ("slash-day", "dot-day")
LEGACY_POSTS = 2                      # the oldest posts: /archive/2007/MM/DD/slug.html, no id in the URL


@dataclass(frozen=True)
class Look:
    """How one post is shown: date line format, whether its listing title is a link, comment dates, language."""

    date_format: int
    title_linked: bool
    comment_dates: str
    english: bool = False            # the WordPress build's English wording ("Leave a comment", "says:")


@dataclass
class DecoratorSite:
    """Posts (oldest first), categories, tags and every listing, newest first."""

    posts: list[Post]
    categories: list[Category]
    tags: list[Tag]
    looks: dict[int, Look]
    children: set[int] = field(default_factory=set)    # comment ids shown as replies (div.commentchild)
    listings: dict[Category, list[Post]] = field(default_factory=dict)
    tag_listings: dict[Tag, list[Post]] = field(default_factory=dict)

    def day_only(self, post: Post) -> bool:
        """Whether the post's comments are dated by the day alone."""
        return self.looks[post.id].comment_dates in DAY_ONLY


def deal(rng: random.Random, count: int, variants: tuple) -> list:
    """`count` variants dealt in turn from a random start, then shuffled: each shows once given enough posts."""
    start = rng.randrange(len(variants))
    dealt = [variants[(start + i) % len(variants)] for i in range(count)]
    rng.shuffle(dealt)
    return dealt


def moment(rng: random.Random, index: int, legacy: bool) -> datetime:
    """A post's publication: 2007 for legacy posts, May 2013 for every 6th, else 2008-2015."""
    if legacy:
        return gen.random_moment(rng, date(2007, 3, 1), date(2007, 12, 20))
    if index % 6 == 0:
        return gen.random_moment(rng, date(*BUSY_MONTH, 1), date(*BUSY_MONTH, 28))
    return gen.random_moment(rng, date(2008, 1, 1), date(2015, 12, 31))


def new_post(rng: random.Random, index: int, categories: list[Category], tags: list[Tag], legacy: bool) -> Post:
    """One post's metadata: one of the big categories and up to two more, up to three tags."""
    weights = {c: CATEGORIES[c.name] for c in categories if c.name not in BIG}
    chosen = [categories[index % 2], *gen.weighted_sample(rng, weights, rng.choice((0, 1, 1, 2)))]
    picked = rng.sample([t for t in tags if t.name != BUSY_TAG], rng.choice((0, 0, 1, 1, 2, 3)))
    if index % 9 in (0, 2, 4, 6):
        picked.insert(rng.randint(0, len(picked)), Tag(BUSY_TAG))
    post = Post(title=text.make_title(rng), published=moment(rng, index, legacy), blocks=[],
                categories=gen.footer_order(chosen), theme="decorator", tags=picked, legacy=legacy)
    post.author = rng.choice(AUTHORS) if rng.random() < 0.4 else None
    post.print_real = rng.random() < 2 / 3
    post.comments_open = rng.random() >= 0.05
    return post


def add_comments(rng: random.Random, site: DecoratorSite) -> None:
    """Comments under every open post (with their time, which day-only pages do not show); some are replies."""
    cid = 3_120_000
    for post in site.posts:
        cid = gen.fill_comments(rng, post, cid)
        for number, comment in enumerate(post.comments):
            if number and rng.random() < 0.3:
                site.children.add(comment.cid)


def plan_decorator(posts: int, seed: int) -> DecoratorSite:
    """The decorator blog for a number of posts and a random seed (deterministic)."""
    rng = random.Random(f"decorator-{seed}")
    categories = [Category(name) for name in CATEGORIES]
    tags = [Tag(name) for name in TAGS]
    made = [new_post(rng, i, categories, tags, legacy=i < LEGACY_POSTS) for i in range(posts)]
    made.sort(key=lambda p: p.published)
    made[0].print_real, made[1].print_real = True, False      # one legacy post's id is on its print link
    next_id = FIRST_ID
    for post in made:
        post.id = next_id
        next_id += rng.randint(3, 40)
    dates, comment_dates = deal(rng, posts, tuple(range(DATE_FORMATS))), deal(rng, posts, COMMENT_DATES)
    looks = {p.id: Look(dates[i], i % 5 == 3, comment_dates[i], i % 6 == 5) for i, p in enumerate(made)}
    site = DecoratorSite(made, sorted(categories, key=lambda c: c.slug), tags, looks)
    link_paths = [p.path for p in made[::5]]
    for index, post in enumerate(made):
        gen.fill_body(rng, post, link_paths, forced="long" if index % 7 == 1 else "")
    add_comments(rng, site)
    newest_first = made[::-1]
    site.listings = {c: [p for p in newest_first if c in p.categories] for c in site.categories}
    site.tag_listings = {t: [p for p in newest_first if t in p.tags] for t in tags}
    site.tags = [t for t in tags if site.tag_listings[t]]
    return site

