"""One of a thing is said in the singular, in every summary a command prints ("1 post", "1 older copy")."""

from collections import Counter

from archiver.crawl.reextract import reextract_summary
from archiver.terminal import plural


def test_plural_says_one_in_the_singular_and_the_rest_in_the_plural():
    assert [plural(1, "run"), plural(0, "run"), plural(2, "category", "categories")] == ["1 run", "0 runs", "2 categories"]


def test_reextract_says_one_post_one_page_one_older_copy_and_one_warning():
    counts = Counter({"updated": 1, "older": 1, "skipped": 1, "warnings": 1})
    assert reextract_summary(counts, "a.db") == (
        "Re-extracted 1 post from their newest stored pages in a.db: 1 updated, 0 unchanged, 0 new; 1 page without a "
        "post, 1 older copy passed over; 0 not the post, 0 unreadable, 0 failed (each kept as archived); 1 warning.")
