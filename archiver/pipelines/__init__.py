"""Scrapy item pipelines of the archiver, one a file, in their order (settings.ITEM_PIPELINES): validate, clean,
deduplicate, the post's images (media), then the archive's writes (storage: Store hands them to archiver.store.writer).

May import: Scrapy, itemadapter, archiver.store, archiver.crawl's outcomes and drift (Store judges the run) and the
shared modules at the top of archiver.
"""
