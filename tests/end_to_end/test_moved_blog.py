"""A start page that redirects to the same blog under another spelling (www. added or removed, http to https) is
followed and the blog archived as one; a redirect to any other host stays off-site."""

import pytest
import trustme

from archiver.crawl.outcomes import EXIT_OK, EXIT_PARTIAL
from archiver.replica import load_ground_truth
from archiver.replica.moved import MovedBlogServer, OldAddress
from conftest import LOCAL, export_records, run_archiver

LOCAL_NAMES = ["-s", "TWISTED_DNS_RESOLVER=archiver.replica.moved.LocalNames"]


def crawl(start: str, db) -> tuple:
    result = run_archiver("crawl", start, "--db", str(db), *LOCAL, *LOCAL_NAMES)
    return result, {record["url"]: record for record in export_records(db)} if db.exists() else {}


def assert_archived_once(records: dict, truth: list[dict]) -> None:
    assert sorted(records) == sorted(post["url"] for post in truth)
    assert len({record["id"] for record in records.values()}) == len(truth)


@pytest.mark.parametrize("asked, home", [("blog.test", "www.blog.test"), ("www.blog.test", "blog.test")])
def test_a_start_page_that_adds_or_drops_www_is_followed_and_the_blog_archived_once(site, tmp_path, asked, home):
    with MovedBlogServer(site, home) as server:
        result, records = crawl(f"http://{asked}:{server.port}/", tmp_path / "a.db")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert_archived_once(records, load_ground_truth(site, server.base_url))
    assert f"{asked}:{server.port}" in server.hosts_seen  # the redirect was really taken


def test_a_blog_that_moved_from_http_to_https_is_followed_there(site, tmp_path):
    with MovedBlogServer(site, "blog.test", tls=True, certificate=trustme.CA()) as server, OldAddress(server.base_url) as old:
        result, records = crawl(f"http://blog.test:{old.port}/", tmp_path / "a.db")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert all(url.startswith(f"https://blog.test:{server.port}/") for url in records)
    assert_archived_once(records, load_ground_truth(site, server.base_url))
    assert old.hits >= 1


def test_a_start_page_that_redirects_to_another_host_stays_off_site_and_exits_4(site, tmp_path):
    with MovedBlogServer(site, "autre-blog.test") as server:
        result, records = crawl(f"http://blog.test:{server.port}/", tmp_path / "a.db")
    assert result.returncode == EXIT_PARTIAL
    assert f"redirected off-site to http://autre-blog.test:{server.port}/" in result.stderr
    assert not any(host.startswith("autre-blog.test") for host in server.hosts_seen)
    assert records == {}
