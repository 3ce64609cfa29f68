"""The framework's ceiling: a bare Scrapy spider that follows every same-host link once and extracts nothing.

    .venv/bin/python -m benchmarks.bare_spider http://127.0.0.1:8000/

It starts at the given page, reads every `a[href]`, and requests each same-host URL (fragment removed) the
first time it sees it: it drops links it has already seen itself (a set), so Scrapy's duplicate filter is
not flooded with the ~85 sidebar links of every page. Same concurrency and robots.txt rule as `archiver crawl`
with the local settings (archiver.crawl.run_settings.LOCAL_SETTINGS). Prints the requests it made.
"""

from __future__ import annotations

import sys
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse

from archiver.crawl.run_settings import LOCAL_SETTINGS

SETTINGS = {
    **{name: value for name, value in LOCAL_SETTINGS.items() if not name.startswith("ARCHIVER_")},
    "ROBOTSTXT_OBEY": True,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "USER_AGENT": "bare-spider (benchmark)",
}


class BareSpider(scrapy.Spider):
    """Follows links, nothing else."""

    name = "bare"

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.host = urlsplit(start_url).netloc
        self.seen: set[str] = {start_url}

    def parse(self, response):
        """Each same-host link seen for the first time, as a request."""
        if not isinstance(response, TextResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = urldefrag(response.urljoin(href))[0]
            if url not in self.seen and urlsplit(url).netloc == self.host:
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.parse)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    process = CrawlerProcess(SETTINGS)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=argv[0])
    process.start()
    print(f"requests: {crawler.stats.get_value('downloader/request_count', 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
