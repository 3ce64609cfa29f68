"""evolve_site: a built replica lives on (new, edited, deleted posts, new comments); only files whose bytes change are
rewritten."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from . import body, posts as gen, text
from .generate import Blocks, Layout, Writer, write_category, write_chronology, write_posts
from .model import PARIS, Comment, Post
from .pages import FEED_SIZE
from .plan import Site, category_weights, make_listings, plan_site
from .seed import load_seed
from .theme_common import sidebar_data
from .truth import TRUTH_FILE, load_ground_truth, write_truth

EVOLUTIONS_FILE = "_evolutions.json"  # the steps applied so far, replayed before the next one


@dataclass
class Evolution:
    """What one step changed: permalinks (under BASE_TOKEN) of the posts added, edited, deleted and commented on;
    files touched."""

    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    written: int = 0  # files written: new, or with other bytes
    removed: int = 0
    commented: list[str] = field(default_factory=list)  # each has one new comment, the last under it


class ChangeWriter(Writer):
    """A Writer that leaves a file alone when it already holds these bytes (its ETag and mtime stay)."""

    def write(self, path: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        if not (target.is_file() and target.read_bytes() == data):
            super().write(path, data)


def evolve_site(out_dir, *, add: int = 0, edit: int = 0, delete: int = 0, posts: int = 72, seed: int = 2022,
                generic_posts: int = 0, numbered_from_zero: bool = False, feed_size: int = FEED_SIZE,
                comment: int = 0) -> Evolution:
    """Add `add` posts (newer than all), edit the text of `edit` old posts, delete `delete` old ones and add a
    comment to `comment` other old posts open to comments (old: older than the feeds' window, never a seed
    post) in the replica at `out_dir`, built by
    `build_site` with these `posts`, `seed`, `generic_posts`, `numbered_from_zero` and `feed_size` (not
    --drift or --unreadable-comments).

    Post pages are written only for the new, edited and commented posts (other post pages stay byte for byte, stale
    sidebar included); listings, feeds and the ground truth are rewritten where their bytes change.
    """
    root = Path(out_dir)
    site = plan_site(posts, seed, generic_posts)
    steps = json.loads((root / EVOLUTIONS_FILE).read_text()) if (root / EVOLUTIONS_FILE).exists() else []
    for number, step in enumerate(steps):
        apply_step(site, step, seed, number)
    if not (root / TRUTH_FILE).is_file() or {r["url"] for r in load_ground_truth(root)} != {p.url for p in site.posts}:
        raise ValueError(f"{root} is not a replica built with posts={posts}, seed={seed}, generic_posts={generic_posts}")
    step = {"add": add, "edit": edit, "delete": delete} | ({"comment": comment} if comment else {})
    added, edited, deleted, commented = apply_step(site, step, seed, len(steps))
    out = ChangeWriter(root)
    sidebar, blocks = sidebar_data(site), Blocks()
    write_posts(out, site, sidebar, {}, only={post.id for post in added + edited + commented})
    removed = remove_pages(root, deleted)
    layout = Layout(from_zero=numbered_from_zero, feed_size=feed_size)
    for category in site.categories:
        write_category(out, site, category, sidebar, blocks, layout)
    write_chronology(out, site, sidebar, blocks, layout)
    write_truth(root, site)
    (root / EVOLUTIONS_FILE).write_text(json.dumps([*steps, step]) + "\n")
    return Evolution([p.url for p in added], [p.url for p in edited], [p.url for p in deleted], out.count, removed,
                     [p.url for p in commented])


def apply_step(site: Site, step: dict, seed: int, number: int) -> tuple[list[Post], list[Post], list[Post], list[Post]]:
    """Change the site's data as one step says; return the posts added, edited, deleted and commented on."""
    rng = random.Random(f"evolve:{seed}:{number}")
    old = [post for post in site.posts[:-FEED_SIZE] if not post.seed and not post.quirks]
    if step["edit"] + step["delete"] > len(old):
        raise ValueError(f"only {len(old)} old posts to edit or delete")
    chosen = rng.sample(old, step["edit"] + step["delete"])
    edited, deleted = chosen[: step["edit"]], chosen[step["edit"]:]
    for post in edited:
        post.blocks = [*post.blocks, body.paragraph(rng, "Mise à jour : " + text.make_sentence(rng))]
    for post in deleted:
        site.posts.remove(post)
    added = new_posts(rng, site, step["add"])
    site.posts.extend(added)
    commented = add_comments(site, step.get("comment", 0), set(map(id, chosen)), seed, number)
    site.listings = make_listings(site.posts, site.faults, site.categories)
    return added, edited, deleted, commented


def add_comments(site: Site, count: int, spared: set[int], seed: int, number: int) -> list[Post]:
    """One new comment, dated after the newest post, under each of `count` old posts open to comments (none of
    the posts whose ids are `spared`), drawn from a random stream of their own (a step without comments draws
    the same posts as before)."""
    rng = random.Random(f"evolve-comments:{seed}:{number}")
    old = [post for post in site.posts[:-FEED_SIZE]
           if not post.seed and not post.quirks and post.comments_open and id(post) not in spared]
    if count > len(old):
        raise ValueError(f"only {len(old)} old posts open to comments")
    everything = site.posts + site.faults
    next_cid = max((c.cid for post in everything for c in post.comments), default=1_480_000) + 1
    day = max(post.published for post in site.posts).date() + timedelta(days=1)
    chosen = rng.sample(old, count)
    for post in chosen:
        name, url = text.commenter(rng)
        moment = datetime.combine(day, time(rng.randint(7, 22), rng.randrange(60)), PARIS)
        post.comments.append(Comment(next_cid, name, url, moment, text.comment_paragraphs(rng)))
        next_cid += rng.randint(1, 30)
    return chosen


def new_posts(rng: random.Random, site: Site, count: int) -> list[Post]:
    """`count` posts published one after another after the newest, with bodies, comments and new ids."""
    weights = category_weights(site.categories, load_seed()[0])
    everything = site.posts + site.faults
    next_id = max(post.id for post in everything)
    next_cid = max((c.cid for post in everything for c in post.comments), default=1_480_000) + 1
    link_paths = [post.path for post in site.posts[:: max(1, len(site.posts) // 40)]]
    made, day = [], site.posts[-1].published.date()
    for _ in range(count):
        day += timedelta(days=rng.randint(1, 3))
        post = gen.new_post(rng, weights, rng.choice(("classic", "modern")), first=day, last=day)
        next_id += rng.randint(3, 40)
        post.id = next_id
        gen.fill_body(rng, post, link_paths)
        next_cid = gen.fill_comments(rng, post, next_cid)
        made.append(post)
    return made


def remove_pages(root: Path, deleted: list[Post]) -> int:
    """Delete the pages (and print pages) of deleted posts; the number of files removed."""
    removed = 0
    for post in deleted:
        for path in (post.path, post.print_path):
            target = root / path.lstrip("/")
            if target.is_file():
                target.unlink()
                removed += 1
    return removed
