"""`archiver crawl -v` logs one line a request (Scrapy's "Crawled (200) <GET url>", at INFO), and the settings it logs are the ones used."""

import logging
import re
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from archiver import __version__
from archiver.logformatter import ArchiverLogFormatter

from conftest import crawl_site

CRAWLED = re.compile(r"\[scrapy\.core\.engine\] INFO: Crawled \((\d{3})\) <GET ([^>]+)>")


@pytest.fixture(scope="module")
def verbose(site, tmp_path_factory):
    """One category of the replica crawled with -v and a contact."""
    return crawl_site(site, ["/libye/"], tmp_path_factory.mktemp("verbose") / "a.db", "-v", "--contact", "veille@example.org")


def test_crawl_v_logs_a_line_for_every_page_the_blog_served(verbose):
    assert verbose.result.returncode == 0, verbose.result.stderr[-2000:]
    logged = [urlsplit(url).path for _, url in CRAWLED.findall(verbose.result.stderr)]
    assert len(verbose.hits) > 10
    assert sorted(set(logged)) == sorted(verbose.hits)
    assert len(logged) == sum(verbose.hits.values())


def test_crawl_v_leaves_out_scrapys_debug_lines(verbose):
    assert " DEBUG: " not in verbose.result.stderr
    assert len(verbose.result.stderr.splitlines()) < 2 * sum(verbose.hits.values()) + 150  # requests, then Scrapy's start and stats


def test_the_logged_settings_carry_the_contact_sent(verbose):
    overridden = verbose.result.stderr.split("Overridden settings:", 1)[1].split("\n20", 1)[0]
    assert f"'blog-archiver/{__version__} (+contact: veille@example.org)'" in overridden
    assert "set ARCHIVER_CONTACT" not in overridden


def test_without_v_a_request_stays_at_scrapys_debug_level():
    request = Request("https://monblog.hautetfort.com/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert ArchiverLogFormatter().crawled(request, response)["level"] == logging.DEBUG
    assert ArchiverLogFormatter(log_requests=True).crawled(request, response)["level"] == logging.INFO
