"""Drift, the posts' side: legacy permalinks, creation days, unlisted posts and redirected old URLs."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from .model import Category, Post, post_slug
from .plan import Site, make_listings
from .posts import FIRST_DAY

NEWEST_KEPT = 20          # the newest posts stay listed and keep their URLs: feeds and sidebar show them
LEGACY_POOL = 16          # legacy permalinks are drawn among the oldest posts
LEGACY_COUNT = 4          # the first half reveal their id through a real print link, the others do not
UNLISTED_COUNT = 2        # month-only posts, and as many neighbours-only posts
EARLIER_COUNT = 3         # posts whose permalink carries a creation day years before publication
# (kind of old URL, listing that links the old URL instead of the permalink)
REDIRECTS = (("idless", "month"), ("old-slug", "category"), ("old-slug", "month"))
BODY_LINK = re.compile(r'href="(/archive/[^"]+)"')


@dataclass
class Moves:
    """What the roles changed beyond the posts themselves: redirects and listings that link old URLs."""

    redirects: dict[str, str] = field(default_factory=dict)        # old path -> permalink path
    listing_hrefs: dict[tuple[str, int], str] = field(default_factory=dict)  # (listing key, post id) -> href


def month_key(post: Post) -> str:
    """The listing key of a post's month archive."""
    return f"month:{post.published:%Y-%m}"


def category_key(category: Category) -> str:
    """The listing key of a category."""
    return f"category:{category.slug}"


def linked_paths(posts: list[Post]) -> set[str]:
    """Post paths that some body links to."""
    return {path for post in posts for block in post.blocks for path in BODY_LINK.findall(block.html)}


def spaced_sample(rng: random.Random, candidates: list[Post], count: int, order: list[Post],
                  taken: set[int]) -> list[Post]:
    """`count` candidates not yet taken and not next to a taken post in chronological `order`."""
    index = {post.id: i for i, post in enumerate(order)}
    chosen = []
    for post in rng.sample(candidates, len(candidates)):
        near = {order[j].id for j in (index[post.id] - 1, index[post.id] + 1) if 0 <= j < len(order)}
        if len(chosen) < count and post.id not in taken and not near & taken:
            chosen.append(post)
            taken.add(post.id)
    if len(chosen) < count:
        raise ValueError("too few posts to place the drift's unlisted posts")
    return chosen


def sturdy(site: Site, post: Post, linked: set[str]) -> bool:
    """A post that can leave its categories: no body links to it, and its categories keep 2+ posts."""
    return post.path not in linked and all(len(site.listings[c]) > 2 for c in post.categories)


def make_legacy(posts: list[Post]) -> None:
    """Id-less permalinks; the first half keep a real print link (the page reveals the id), the rest do not."""
    for i, post in enumerate(posts):
        post.legacy, post.print_real = True, i < len(posts) // 2


def make_earlier(rng: random.Random, post: Post) -> None:
    """A creation day 2-4 years before publication (never before the blog's first day)."""
    post.created = max(FIRST_DAY, post.published.date() - timedelta(days=rng.randint(730, 1460)))


def unlist(posts: list[Post], reach: str) -> None:
    """Take posts out of every category (and, by their reach, out of home pages or month archives)."""
    for post in posts:
        post.reach, post.categories = reach, []


def old_path(post: Post, kind: str) -> str:
    """An older URL of `post`: its id-less spelling, or an earlier slug with the same id."""
    day, slug = f"{post.published:%Y/%m/%d}", post_slug(post.title)
    if kind == "idless":
        return f"/archive/{day}/{slug}.html"
    words = slug.split("-")
    older = "-".join(words[: max(2, len(words) // 2)])
    return f"/archive/{day}/{older if older != slug else slug + '-1'}-{post.id}.html"


def redirect(posts: list[Post], moves: Moves) -> None:
    """Give each post an old URL answering 301, linked from its month archive or first category."""
    for post, (kind, listing) in zip(posts, REDIRECTS):
        old = old_path(post, kind)
        post.aliases.append(old)
        moves.redirects[old] = post.path
        key = month_key(post) if listing == "month" else category_key(post.categories[0])
        moves.listing_hrefs[(key, post.id)] = old


def retarget_links(posts: list[Post], moved: dict[str, str]) -> None:
    """Body links to a moved permalink follow it (the link text, hence the truth, is unchanged)."""
    for post in posts:
        for i, block in enumerate(post.blocks):
            paths = set(BODY_LINK.findall(block.html)) & moved.keys()
            html = block.html
            for path in paths:
                html = html.replace(f'href="{path}"', f'href="{moved[path]}"')
            post.blocks[i] = replace(block, html=html) if paths else block


def assign_roles(rng: random.Random, site: Site) -> Moves:
    """Choose and apply every post role of the drift; recompute the listings; return the redirects."""
    posts, before = site.posts, {p.id: p.path for p in site.posts}
    old = [p for p in posts[:-NEWEST_KEPT] if not p.seed]
    linked = linked_paths(posts + site.faults)
    taken: set[int] = set()
    legacy = spaced_sample(rng, old[:LEGACY_POOL], LEGACY_COUNT, posts, taken)
    movable = [p for p in old if sturdy(site, p, linked)]
    month_only = spaced_sample(rng, movable, UNLISTED_COUNT, posts, taken)
    neighbours_only = spaced_sample(rng, movable, UNLISTED_COUNT, posts, taken)
    redirected = spaced_sample(rng, [p for p in old if p.categories], len(REDIRECTS), posts, taken)
    recent = [p for p in posts if not p.seed and p.published.year >= 2021 and p.id not in taken]
    make_legacy(legacy)
    for post in rng.sample(recent, EARLIER_COUNT):
        make_earlier(rng, post)
    unlist(month_only, "month-only")
    unlist(neighbours_only, "neighbours-only")
    for post in posts:
        post.forget_path()
    moves = Moves()
    redirect(redirected, moves)
    retarget_links(posts + site.faults, {before[p.id]: p.path for p in posts if p.path != before[p.id]})
    site.listings = make_listings(posts, site.faults, site.categories)
    site.categories = [c for c in site.categories if site.listings[c]]
    site.loop_trap = None
    return moves
