"""Field accuracy against the replica's ground truth: what "the same" means for each field, ours and trafilatura's.

Texts are compared after whitespace collapse (runs of spaces, newlines and nbsp -> one space). Exact fields:
title, published (ISO 8601 with its offset; trafilatura gives a day: compared to the truth's day), author,
print link, comments count, comments (author, minute, text), categories (ours: names and URLs in order;
trafilatura: the set of names among its categories and tags, case aside). Body: "body" is exact text equality;
"body ~" counts a body as right when 90% of its words (as a multiset) are the truth's and the other way round.
"""

from __future__ import annotations

from collections import Counter

SIMILAR_WORDS = 0.9


def plain(text: str | None) -> str:
    """Runs of whitespace -> one space."""
    return " ".join((text or "").split())


def similar(text: str | None, truth: str | None) -> bool:
    """Whether each text holds at least 90% of the other's words (counted with repeats)."""
    ours, theirs = Counter((text or "").split()), Counter((truth or "").split())
    shared = sum((ours & theirs).values())
    return shared >= SIMILAR_WORDS * max(sum(ours.values()), sum(theirs.values()), 1)


def comment_view(comments) -> list[tuple]:
    """What must match in comments: author, time to the minute, text."""
    return [(plain(c["author"]), (c["published"] or "")[:16], plain(c["body_text"])) for c in comments]


def our_fields(post, truth: dict) -> dict[str, bool]:
    """Each field of our Post (after the Clean pipeline) against the truth."""
    comments = [{"author": c.author, "published": c.published.isoformat() if c.published else None,
                 "body_text": c.body_text} for c in post.comments]
    return {
        "title": plain(post.title) == truth["title"],
        "published": (post.published.isoformat() if post.published else None) == truth["published"],
        "author": plain(post.author) == plain(truth["author"]),
        "body": plain(post.body_text) == plain(truth["body_text"]),
        "body ~": similar(post.body_text, truth["body_text"]),
        "categories": [(c.name, c.url) for c in post.categories] == [(c["name"], c["url"]) for c in truth["categories"]],
        "print link": post.print_url == truth["print_url"],
        "comments count": post.comments_count == truth["comments_count"],
        "comments": comment_view(comments) == comment_view(truth["comments"]),
    }


def trafilatura_fields(document: dict | None, truth: dict) -> dict[str, bool]:
    """The fields trafilatura has, against the truth (a page it returns nothing for is wrong everywhere)."""
    document = document or {}
    names = {plain(name).casefold() for name in (document.get("categories") or []) + (document.get("tags") or [])}
    return {
        "title": plain(document.get("title")) == truth["title"],
        "published": document.get("date") == truth["published"][:10],
        "author": plain(document.get("author")) == plain(truth["author"]),
        "body": plain(document.get("text")) == plain(truth["body_text"]),
        "body ~": similar(document.get("text"), truth["body_text"]),
        "categories": names == {plain(c["name"]).casefold() for c in truth["categories"]},
    }


def tally(checks: list[tuple[str, dict[str, bool]]]) -> dict[str, list[str]]:
    """Field -> the URLs where it was wrong, from (url, field checks) pairs."""
    wrong: dict[str, list[str]] = {}
    for url, fields in checks:
        for name, ok in fields.items():
            wrong.setdefault(name, [])
            if not ok:
                wrong[name].append(url)
    return wrong
