"""Scrapy item pipelines of the archiver, in their order (settings.ITEM_PIPELINES): the checks (Validate, Clean,
Deduplicate), the post's images (media) and the archive's writes (storage).

May import: Scrapy, itemadapter, archiver.store and the shared modules at the top of archiver.
"""
