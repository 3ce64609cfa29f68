"""Figures of one crawl run: its counts, and on how many posts each checked field was found, or doubted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from archiver.items import CHECKED_FIELDS
from archiver.slow_imports import item_fields

# Fields that apply only to posts whose page counts comments: a post with none is not missing any.
COMMENTED_ONLY = ("comments",)


def field_applies(name: str, comments_count: int | None) -> bool:
    """Whether a post with this comment count should have the field."""
    return name not in COMMENTED_ONLY or (comments_count or 0) > 0


@dataclass
class FieldFigures:
    """One field over a run: posts it applies to, found on, warned on, and an example of each failure."""

    posts: int = 0
    found: int = 0
    warned: int = 0
    missing_example: str | None = None
    warned_example: str | None = None


@dataclass
class RunFigures:
    """What a run's posts carried, field by field (fed one post at a time, as they are stored).

    A post whose extraction reported no sources at all is *unchecked*: it counts in `posts` and
    its warnings count, but it is not judged found or missing on any field.
    """

    posts: int = 0
    unchecked: int = 0
    warnings: int = 0
    fields: dict[str, FieldFigures] = field(
        default_factory=lambda: {name: FieldFigures() for name in CHECKED_FIELDS}
    )

    def add(self, post) -> None:
        """Count one stored post."""
        item = item_fields(post)
        url, sources = item["url"], item.get("sources") or {}
        warnings = [item_fields(warning) for warning in item.get("warnings") or []]
        self.posts += 1
        self.warnings += len(warnings)
        self.unchecked += not sources
        for name, figures in self.fields.items():
            if sources and field_applies(name, item.get("comments_count")):
                figures.posts += 1
                if name in sources:
                    figures.found += 1
                elif figures.missing_example is None:
                    figures.missing_example = url
            if any(warning.get("field") == name for warning in warnings):
                figures.warned += 1
                figures.warned_example = figures.warned_example or url

    def as_dict(self) -> dict:
        """Plain JSON types: {"posts", "unchecked", "warnings", "fields": {name: {...}}}."""
        return asdict(self)


def run_counts(stats) -> dict[str, int]:
    """The counts of a run, as the crawl_runs table and the summary show them."""
    value = stats.get_value
    return {
        "pages_fetched": value("archiver/pages/fetched", 0),
        "posts_new": value("archiver/posts/inserted", 0),
        "posts_updated": value("archiver/posts/updated", 0),
        "posts_unchanged": value("archiver/posts/unchanged", 0),
        "posts_dropped": value("item_dropped_count", 0) - value("archiver/posts/duplicate", 0),
        "errors": value("archiver/errors", 0),
        "warnings": value("archiver/warnings", 0),
    }
