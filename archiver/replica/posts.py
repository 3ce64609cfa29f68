"""Generated posts: their metadata, bodies (with the markup variations) and comments.

Namesake of archiver.store.posts: this module generates the replica's posts, that one stores the posts a crawl
archived.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from . import body, text
from .model import PARIS, Category, Comment, Post, Tag

FIRST_DAY, LAST_DAY = date(2018, 1, 1), date(2024, 12, 31)
CATEGORY_COUNTS = tuple(range(1, 13))
CATEGORY_COUNT_WEIGHTS = (10, 14, 16, 14, 10, 7, 4, 3, 2, 2, 1, 1)
COMMENT_COUNTS = (0, 1, 2, 3, 4, 6)
COMMENT_COUNT_WEIGHTS = (45, 20, 12, 10, 8, 5)
FORCED = {3: "br", 4: "img", 5: "img-inline", 6: "long", 7: "br"}
NEWS_SITES = ("agence-sahel", "revue-defense", "journal-bamako", "observatoire-afrique")
# Tags as authors type them (spaces, capitals, accents; one named like a category, which it never is), and
# their drawing weights: "Wagner" is on enough posts for its tag pages to run past one page.
TAG_WEIGHTS = {"Wagner": 6, "pauvreté": 2, "salika wenger": 2, "Sarkozy": 2, "sécurité alimentaire": 2,
               "Afrique de l’Ouest": 1, "Prigojine": 1, "ONU": 1, "Françafrique": 1, "Niger": 1}
TAG_COUNTS, TAG_COUNT_WEIGHTS = (0, 1, 2, 3), (30, 35, 20, 15)


def random_moment(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> datetime:
    """A Paris time between 06:00 and 22:59 (never in a DST gap) on a day in [first, last]."""
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    return datetime.combine(day, time(rng.randint(6, 22), rng.randrange(60)), PARIS)


def weighted_sample(rng: random.Random, weights: dict[Category, float], count: int) -> list[Category]:
    """`count` distinct categories drawn by weight (Efraimidis-Spirakis keys)."""
    keyed = sorted(weights, key=lambda cat: rng.random() ** (1.0 / weights[cat]), reverse=True)
    return keyed[:count]


def footer_order(categories: list[Category]) -> list[Category]:
    """The order Hautetfort prints categories in: alphabetical, accents and case ignored."""
    return sorted(categories, key=lambda cat: cat.slug)


def new_post(rng: random.Random, weights: dict[Category, float], theme: str, count: int = 0,
             first: date = FIRST_DAY, last: date = LAST_DAY) -> Post:
    """A generated post's metadata (its body and comments come once ids are known)."""
    count = count or rng.choices(CATEGORY_COUNTS, CATEGORY_COUNT_WEIGHTS)[0]
    post = Post(title=text.make_title(rng), published=random_moment(rng, first, last), blocks=[],
                categories=footer_order(weighted_sample(rng, weights, count)), theme=theme)
    post.print_real = rng.random() < 2 / 3
    post.comments_open = rng.random() >= 0.06
    post.date_style = rng.randrange(4)
    post.has_datetime = rng.random() >= 0.2
    if theme == "modern" or rng.random() < 0.5:
        post.author = text.post_author(rng)
    return post


def fill_body(rng: random.Random, post: Post, link_paths: list[str], forced: str = "") -> None:
    """Write a generated post's body: 2-9 paragraphs, a third of them long with a "more" marker."""
    long_post = rng.random() < 1 / 3 or forced == "long"
    paragraphs = text.make_paragraphs(rng, rng.randint(5, 9) if long_post else rng.randint(2, 5))
    nbsp = rng.random() < 0.5
    blocks = []
    for par in paragraphs:
        links = []
        if rng.random() < 0.15:
            links.append(rng.choice(link_paths))
        if rng.random() < 0.1:
            links.append(f"https://www.{rng.choice(NEWS_SITES)}.invalid/actualite/{rng.randrange(10**5)}")
        blocks.append(body.paragraph(rng, par, nbsp=nbsp, emphasis=rng.random() < 0.3, links=tuple(links)))
    if rng.random() < 0.08 or forced == "br":
        where = rng.randrange(len(blocks))
        blocks[where] = body.broken_line(paragraphs[where], nbsp)
    if rng.random() < 0.15 or forced.startswith("img"):
        if forced == "img" or (forced != "img-inline" and rng.random() < 0.5):
            blocks.insert(rng.randint(0, 1), body.image(rng))
        else:
            blocks[0] = body.image(rng, inline_with=blocks[0])
    post.blocks = blocks
    post.more_at = rng.randint(1, 2) if long_post else None


def make_unsafe(rng: random.Random, post: Post) -> None:
    """Give `post` the one body with a <script>, an onclick handler and a javascript: link."""
    paragraphs = text.make_paragraphs(rng, 4)
    post.blocks = [body.paragraph(rng, paragraphs[0]), body.SCRIPT_BLOCK, body.unsafe_paragraph(paragraphs[1]),
                   *(body.paragraph(rng, par) for par in paragraphs[2:])]
    post.more_at = None
    post.quirks = ["unsafe-markup"]


def make_sloppy(rng: random.Random, post: Post) -> None:
    """Give `post` the one body with sloppy markup that lxml recovers."""
    post.blocks = body.sloppy(text.make_paragraphs(rng, 5))
    post.more_at = None
    post.quirks = ["unclosed-tags"]


def fill_comments(rng: random.Random, post: Post, next_cid: int, count: int | None = None) -> int:
    """Add the comments shown under `post`; return the next free comment id."""
    if not post.comments_open:
        post.comments = []
        return next_cid
    if count is None:
        count = rng.choices(COMMENT_COUNTS, COMMENT_COUNT_WEIGHTS)[0]
    slots = sorted((rng.randint(1, 12), rng.randint(7, 22), rng.randrange(60)) for _ in range(count))
    for days, hour, minute in slots:
        day = post.published.date() + timedelta(days=days)
        name, url = text.commenter(rng)
        moment = datetime.combine(day, time(hour, minute), PARIS)
        post.comments.append(Comment(next_cid, name, url, moment, text.comment_paragraphs(rng)))
        next_cid += rng.randint(1, 30)
    return next_cid


def assign_tags(seed: int, posts: list[Post]) -> None:
    """Give each post 0 to 3 tags, in the order its author typed them, drawn from their own random stream
    (a blog's other data is the same with or without tags)."""
    rng = random.Random(f"tags:{seed}")
    tags = {name: Tag(name) for name in TAG_WEIGHTS}
    for post in posts:
        count = rng.choices(TAG_COUNTS, TAG_COUNT_WEIGHTS)[0]
        keyed = sorted(TAG_WEIGHTS, key=lambda name: rng.random() ** (1.0 / TAG_WEIGHTS[name]), reverse=True)
        post.tags = [tags[name] for name in keyed[:count]]
