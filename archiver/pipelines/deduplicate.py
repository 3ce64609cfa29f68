"""Deduplicate, the item pipeline that lets a post through once per crawl (DuplicatePost drops the others)."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from archiver.items import Post


class DuplicatePost(DropItem):
    """Raised by Deduplicate for a post already seen in this crawl (not an error)."""


class Deduplicate:
    """Store a post once per crawl however many URLs and categories lead to it."""

    def __init__(self, stats):
        self.stats = stats
        self.seen_ids: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        if not isinstance(item, Post):
            return item
        if item.id in self.seen_ids:
            self.stats.inc_value("archiver/posts/duplicate")
            raise DuplicatePost(f"post {item.id} already archived in this crawl", log_level="DEBUG")
        self.seen_ids.add(item.id)
        return item
