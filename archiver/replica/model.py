"""The replica blog's data: categories, posts, comments and body blocks, plus slugs and URLs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

BASE_TOKEN = "http://blog.replica.invalid"
STATIC_TOKEN = "http://static.replica.invalid"  # images.py: another host name for the same server
PARIS = ZoneInfo("Europe/Paris")
BLOG_NAME = "Russie-Afrique : chroniques géopolitiques"
BLOG_TAGLINE = "Veille sur la présence russe en Afrique, du Sahel à la Libye"
BLOG_AUTHOR = "Hélène Vasseur"  # named by the home page's <meta name="author"> and the Atom feed's <author>
SLUG_MAX = 60


def slugify(text: str) -> str:
    """Hautetfort-style slug: accents stripped, lowercase, runs of other characters -> "-"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def post_slug(title: str) -> str:
    """Slug of a post title, cut at a word boundary to at most SLUG_MAX characters."""
    slug = slugify(title) or "note"
    if len(slug) <= SLUG_MAX:
        return slug
    cut = slug[:SLUG_MAX]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


@dataclass(frozen=True)
class Category:
    """A category: its name as printed and its slug."""

    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def path(self) -> str:
        return f"/{self.slug}/"

    def page_path(self, number: int, from_zero: bool = False) -> str:
        """Path of listing page `number` (page 1 is the category's own URL; then index-N.html, where N is
        the page's number, or one less when the blog numbers `from_zero`, as real blogs do)."""
        if number == 1:
            return self.path
        return f"/archives/category/{self.slug}/index-{number - 1 if from_zero else number}.html"


@dataclass(frozen=True)
class Tag:
    """A tag: its name as printed ("salika wenger"); its pages are /tag/salika+wenger, then
    /archives/tag/<name>/index-N.html, numbered from zero (index-1.html is page 2), capitals kept."""

    name: str

    @property
    def path(self) -> str:
        return "/tag/" + quote_plus(self.name)

    def page_path(self, number: int) -> str:
        """Path of listing page `number` (page 1 is the tag's own URL; page 2 is index-1.html)."""
        if number == 1:
            return self.path
        return f"/archives/tag/{quote_plus(self.name)}/index-{number - 1}.html"


@dataclass(frozen=True)
class Block:
    """One block of a post body: its markup and the text a reader sees ("" when none)."""

    html: str
    text: str


@dataclass
class Comment:
    """A reader's comment shown under a post."""

    cid: int
    author: str
    author_url: str | None
    published: datetime
    paragraphs: list[str]
    markup: str | None = None     # the comment's own HTML, shown instead of the paragraphs (hostile.py)


@dataclass
class Post:
    """One post of the blog, with everything the pages and the ground truth need."""

    title: str
    published: datetime
    blocks: list[Block]
    categories: list[Category]
    id: int = 0
    author: str | None = None
    more_at: int | None = None
    print_real: bool = True
    comments: list[Comment] = field(default_factory=list)
    comments_open: bool = True
    theme: str = "classic"
    date_style: int = 0
    has_datetime: bool = True
    microdata: bool = False
    quirks: list[str] = field(default_factory=list)
    seed: bool = False
    fault: str | None = None
    legacy: bool = False                  # an old permalink without the id: /archive/Y/M/D/slug.html
    created: date | None = None           # the day in the permalink, when the note was created earlier
    reach: str = "listed"                 # "listed", "month-only" or "neighbours-only"
    aliases: list[str] = field(default_factory=list)   # old paths that redirect to the permalink
    images: list[dict] | None = None      # images.py: the pictures the option added (None: no such option)
    tags: list[Tag] = field(default_factory=list)      # in footer order; never mixed with categories

    @cached_property
    def path(self) -> str:
        day, slug = self.created or self.published, post_slug(self.title)
        return f"/archive/{day:%Y/%m/%d}/{slug if self.legacy else f'{slug}-{self.id}'}.html"

    def forget_path(self) -> None:
        """Drop the cached permalink after `legacy`, `created`, `title` or `id` changed."""
        vars(self).pop("path", None)

    @property
    def url(self) -> str:
        return BASE_TOKEN + self.path

    @property
    def print_path(self) -> str:
        return f"/apps/print/{self.id}.html"

    @property
    def print_href(self) -> str:
        """The "Imprimer" link's href: a real URL or the javascript print call."""
        return BASE_TOKEN + self.print_path if self.print_real else "javascript:window.print()"

    @property
    def body_text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks if block.text)

    @property
    def month(self) -> tuple[int, int]:
        return self.published.year, self.published.month


def static_url(base_url: str) -> str:
    """The static host's URL for a served replica: the same server under the name localhost."""
    if base_url.rstrip("/") == BASE_TOKEN:
        return STATIC_TOKEN
    return base_url.rstrip("/").replace("://127.0.0.1", "://localhost", 1)


def month_path(year: int, month: int, number: int = 1) -> str:
    """Path of a month archive's page `number`: its own index.html, then (numbered from zero, as real blogs
    paginate their months) /archives/YYYY/MM/index-1.html for page 2, index-2.html for page 3..."""
    if number == 1:
        return f"/archive/{year:04d}/{month:02d}/index.html"
    return f"/archives/{year:04d}/{month:02d}/index-{number - 1}.html"


def home_path(number: int) -> str:
    """Path of the home pagination's page `number`, numbered from zero: /, /index-1.html for page 2..."""
    return "/" if number == 1 else f"/index-{number - 1}.html"

