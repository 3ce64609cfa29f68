"""Pages of the blog that redirect away from it: to another host name, or to the same host on another port.
Nothing may be fetched there; each is recorded as lost ("offsite") and makes the crawl incomplete (status 4)."""

from __future__ import annotations

import pytest
import sqlite_utils

from archiver.replica import ReplicaServer
from archiver.replica.fault_plan import FaultPlan
from test_faults import crawl_faults, crawl_once, ordinary_posts

OTHER_NAME, OTHER_PORT = "/relations-mali-russie/", "/relations-russie-mali/"  # categories moved away


@pytest.fixture(scope="module")
def away(site, tmp_path_factory):
    """Two categories and two posts of the blog answer 301 to another server: by another name, or another port."""
    posts = ordinary_posts(site)[40:42]

    def crawl_away(directory):
        with ReplicaServer(site) as other:
            plan = FaultPlan(away={
                OTHER_NAME: f"http://localhost:{other.port}{OTHER_NAME}",
                OTHER_PORT: f"http://127.0.0.1:{other.port}{OTHER_PORT}",
                posts[0]: f"http://localhost:{other.port}{posts[0]}",
                posts[1]: f"http://127.0.0.1:{other.port}{posts[1]}",
            })
            made = crawl_faults(site, plan, directory / "archive.db")
        made.extra = {"other_hits": dict(other.hits)}
        return made

    return crawl_once(tmp_path_factory, "away", crawl_away), posts


def test_a_category_redirected_to_another_host_is_recorded_offsite_and_the_crawl_is_incomplete(away):
    crawl, _ = away
    failure = crawl.failures()[crawl.server.base_url + OTHER_NAME]
    assert (failure["kind"], crawl.result.returncode) == ("offsite", 4)
    assert f"INCOMPLETE {crawl.server.base_url}{OTHER_NAME}: redirected off-site to http://localhost:" in crawl.result.stdout


def test_a_post_redirected_away_is_recorded_not_lost_silently(away):
    crawl, posts = away
    assert {crawl.server.base_url + path for path in posts} <= set(crawl.failures())


def test_nothing_is_fetched_from_the_same_host_on_another_port_nor_archived(away):
    crawl, _ = away
    db = sqlite_utils.Database(crawl.db)
    foreign = db.execute("select url from pages where url not like ? union select url from posts where url not like ?",
                         [crawl.server.base_url + "/%"] * 2).fetchall()
    assert (crawl.extra["other_hits"], foreign) == ({}, [])


def test_a_post_redirected_off_site_is_recorded_as_offsite(away):
    crawl, posts = away
    assert [crawl.failures()[crawl.server.base_url + path]["kind"] for path in posts] == ["offsite", "offsite"]
