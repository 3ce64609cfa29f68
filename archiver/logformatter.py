"""Log lines of the crawl: a dropped post is logged with its reason, not with the whole item."""

from scrapy import logformatter


class ArchiverLogFormatter(logformatter.LogFormatter):
    """Scrapy's formatter, minus the full item repr in 'Dropped' lines (bodies are long)."""

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        return {**entry, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
