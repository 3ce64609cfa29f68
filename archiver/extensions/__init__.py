"""Scrapy extensions of the archiver (settings.EXTENSIONS): the live progress line of a crawl.

May import: Scrapy and the shared modules at the top of archiver.
"""
