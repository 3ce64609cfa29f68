"""The archive's usual extraction figures: per checked field, how often it is found and by which rule."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlite_utils import Database

from archiver.field_counts import COMMENTED_ONLY, field_applies
from archiver.items import CHECKED_FIELDS

# Posts that count: still online, and read by an extraction that reported its sources.
CHECKED_POSTS = "gone IS NULL AND sources IS NOT NULL AND sources <> '{}'"
TOTALS_SQL = f"SELECT count(*), coalesce(sum(coalesce(comments_count, 0) > 0), 0) FROM posts WHERE {CHECKED_POSTS}"
FOUND_SQL = (
    "SELECT source.key, source.value, coalesce(posts.comments_count, 0), count(*)"
    f" FROM posts, json_each(posts.sources) AS source WHERE {CHECKED_POSTS}"
    " GROUP BY 1, 2, 3"
)


def usual_figures(db: Database) -> dict:
    """{"posts": N, "fields": {name: {"posts", "found", "rule"}}} over the archive's checked posts.

    `posts` of a field is how many posts it applies to ("comments": those with comments counted),
    `rule` the source that most often found it (None if never). Take it before a run writes.
    """
    posts, commented = db.execute(TOTALS_SQL).fetchone()
    fields = {
        name: {"posts": commented if name in COMMENTED_ONLY else posts, "found": 0, "rule": None}
        for name in CHECKED_FIELDS
    }
    rules: dict[str, Counter] = defaultdict(Counter)
    for name, rule, comments_count, count in db.execute(FOUND_SQL):
        if name in fields:
            rules[name][rule] += count
            fields[name]["found"] += count if field_applies(name, comments_count) else 0
    for name, counter in rules.items():
        fields[name]["rule"] = counter.most_common(1)[0][0]
    return {"posts": posts, "fields": fields}
