"""What the commands that read show, as text for a reader or JSON for a script: the export record, search results,
one post, the archive's contents and figures, its runs, the inspection of a page, the archive's check.

May import: archiver.store (read-only connections), archiver.extract (inspect), archiver.reader (a post as a web
page), archiver.crawl.archive_lock (check --repair writes under the crawl's lock), the shared modules at the top of
archiver; never Scrapy at import time (the read commands start fast: tests/test_startup.py).
"""
