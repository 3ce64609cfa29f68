"""What an archive must look like after any crawl, killed or not: each post as the ground truth says, nothing stored twice."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import normalise_space


# The fields test_crawl.py checks exactly (the author too: post 6362959 of this replica has none, and a comment
# signed in schema.org markup once gave it its commenter's name).
EXACT_FIELDS = ("url", "title", "published", "author", "print_url", "categories", "comments_count")


DUPLICATES = ("SELECT url FROM posts GROUP BY url HAVING count(*) > 1",
              "SELECT post_id, fingerprint FROM comments GROUP BY post_id, fingerprint HAVING count(*) > 1")


def shape(record: dict) -> dict:
    """The fields a post must have exactly as the ground truth says (texts with whitespace normalised)."""
    comments = [(c["author"], c["author_url"], c["published"], normalise_space(c["body_text"]))
                for c in record["comments"]]
    return ({field: record[field] for field in EXACT_FIELDS}
            | {"body_text": normalise_space(record["body_text"]), "comments": comments})


def duplicates(db: Path) -> list:
    """Posts stored twice under one URL, and comments stored twice on one post."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as reader:
        return [row for query in DUPLICATES for row in reader.execute(query)]
