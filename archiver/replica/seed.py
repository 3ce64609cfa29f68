"""Parse the bundled seed (the text of the real "Relations Mali-Russie" category page) into posts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SEED_FILE = Path(__file__).parent / "seed_mali_russie.txt"
BULLET = "•"
PRINT_MARKER = "Imprimer"
FOOTER_MARKER = "Lien permanent"
CATEGORIES_MARKER = "Catégories :"
COUNT_RE = re.compile(r"\s+(\d+)\s+commentaires?\s*$")


@dataclass(frozen=True)
class SeedPost:
    """One post of the seed page: its title, its paragraphs, and its footer when the page shows one."""

    title: str
    paragraphs: tuple[str, ...]
    categories: tuple[str, ...] = field(default=())
    comments_count: int | None = None


def parse_footer(line: str) -> tuple[tuple[str, ...], int | None]:
    """Split "Lien permanent Catégories : A, B 0 commentaire" into category names and the count."""
    text = line.split(CATEGORIES_MARKER, 1)[1] if CATEGORIES_MARKER in line else ""
    count = None
    match = COUNT_RE.search(text)
    if match:
        count = int(match.group(1))
        text = text[: match.start()]
    names = tuple(name.strip() for name in text.split(", ") if name.strip())
    return names, count


def parse_seed(text: str) -> tuple[str, list[SeedPost]]:
    """Return the category name (first line) and the posts of a seed category page."""
    lines = [line.strip() for line in text.splitlines()]
    category = next(line for line in lines if line)
    posts: list[SeedPost] = []
    title, paragraphs, footer = None, [], None
    for line in lines[lines.index(category) + 1:]:
        if line.startswith(BULLET):
            if title is not None:
                posts.append(_make_post(title, paragraphs, footer))
            title, paragraphs, footer = line[len(BULLET):].strip(), [], None
        elif title is None or not line or (line == PRINT_MARKER and not paragraphs):
            continue
        elif line.startswith(FOOTER_MARKER):
            footer = line
        else:
            paragraphs.append(line)
    if title is not None:
        posts.append(_make_post(title, paragraphs, footer))
    return category, posts


def _make_post(title: str, paragraphs: list[str], footer: str | None) -> SeedPost:
    """Build one SeedPost, parsing its footer when there is one."""
    if footer is None:
        return SeedPost(title, tuple(paragraphs))
    names, count = parse_footer(footer)
    return SeedPost(title, tuple(paragraphs), names, count)


@lru_cache(maxsize=1)
def load_seed() -> tuple[str, tuple[SeedPost, ...]]:
    """Parse the bundled seed file once: (category name, the 4 posts newest first)."""
    category, posts = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    return category, tuple(posts)
