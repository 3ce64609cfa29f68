"""Log lines of the crawl: each page fetched at INFO under `crawl -v`, and a dropped post with its reason, not the whole item."""

import logging

from scrapy import logformatter


class ArchiverLogFormatter(logformatter.LogFormatter):
    """Scrapy's formatter, with its "Crawled (200) <GET url>" line raised to INFO when ARCHIVER_LOG_REQUESTS is
    true (`archiver crawl -v` sets it: one line a request, without Scrapy's DEBUG flood), and without the full
    item repr in 'Dropped' lines (bodies are long)."""

    def __init__(self, log_requests: bool = False):
        self.log_requests = log_requests

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("ARCHIVER_LOG_REQUESTS"))

    def crawled(self, request, response, spider=None):
        entry = super().crawled(request, response, spider)
        return {**entry, "level": logging.INFO} if self.log_requests else entry

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        return {**entry, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
