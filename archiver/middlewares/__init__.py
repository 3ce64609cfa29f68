"""Scrapy downloader middlewares of the archiver, one a file, named in settings.DOWNLOADER_MIDDLEWARES: the
identifying User-Agent, the retries' backoff, each answer's HTTP exchange as received, redirect loops and requests
Scrapy refuses, told apart and counted.

May import: Scrapy and the shared modules at the top of archiver (urls, errors); never archiver.store.
"""
