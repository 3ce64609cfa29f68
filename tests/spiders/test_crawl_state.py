"""What a crawl knows before it starts (the archive's crawl state) and what each mode decides from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver import store
from archiver.extract import FeedEntry
from archiver.items import Category, FetchedPage, Post
from spiders.crawl_plan import CrawlPlan, Scope

T1 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
OLD = "http://127.0.0.1:8000"  # where the blog was served when archived
NOW = "http://127.0.0.1:9000"  # where it is served today
NOTE = "/archive/2022/02/04/mali-6362153.html"
MALI = Category("MALI", f"{OLD}/mali/")


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    run_id = store.start_run(archive, [f"{OLD}/"], now=T1)
    store.save_page(archive, FetchedPage(f"{OLD}/", 200, "home", b"<p>accueil</p>", etag='"h1"'), run_id=run_id, now=T1)
    store.save_page(archive, FetchedPage(f"{OLD}/mali/", 200, "category", b"<p>Mali</p>", etag='"m1"'), run_id=run_id, now=T1)
    store.save_page(archive, FetchedPage(f"{OLD}{NOTE}", 200, "post", b"<p>note</p>", etag='"v1"',
                                         last_modified="Fri, 04 Feb 2022 09:30:00 GMT"), run_id=run_id, now=T1)
    store.save_post(archive, Post(id="6362153", url=f"{OLD}{NOTE}", title="Note", body_text="Bamako.", categories=[MALI]),
                    run_id=run_id, now=T1)
    store.save_page(archive, FetchedPage(f"{OLD}/archive/2021/01/01/panne-6360000.html", 500, "post", b"", error="HTTP 500"),
                    run_id=run_id, now=T1)
    store.add_alias(archive, f"{OLD}/archive/2022/02/04/ancien-titre.html", f"{OLD}{NOTE}")
    store.finish_run(archive, run_id, status="finished", counts={}, stats={}, now=T1)
    yield archive
    archive.close()


def test_the_archive_is_known_by_path_whatever_the_host(db):
    state = store.load_crawl_state(db)
    assert state.knows(f"{NOW}{NOTE}") and state.archived_id(f"https://127.0.0.1:9000{NOTE}") == "6362153"
    assert state.archived_id(f"{NOW}/archive/2022/02/04/ancien-titre.html") == "6362153"  # an old URL of it
    assert state.knows(f"{NOW}/archive/2021/01/01/panne-6360000.html")  # tried before, never archived
    assert state.page(f"{NOW}/archive/2021/01/01/panne-6360000.html").post_id is None
    assert not state.knows(f"{NOW}/archive/2025/01/01/nouvelle-6400000.html")
    assert state.crawled(f"{NOW}/") and state.crawled(f"{NOW}/mali/") and not state.crawled(f"{NOW}/russie/")


def test_a_feed_time_at_or_after_the_last_visit_means_updated(db):
    state = store.load_crawl_state(db)
    assert state.outdated(f"{NOW}{NOTE}", "2026-11-24T10:00:00+00:00")
    assert not state.outdated(f"{NOW}{NOTE}", "2026-11-24T09:59:59+00:00")
    assert not state.outdated(f"{NOW}{NOTE}", None)


def test_a_304_keeps_the_stored_copy_and_the_validators_it_does_not_repeat(db):
    store.save_page(db, FetchedPage(f"{OLD}{NOTE}", 304, "post", etag=None), run_id=None, now=T2)
    page = db["pages"].get(f"{OLD}{NOTE}")
    assert (page["status"], page["last_status"], page["etag"], page["last_modified"]) == (
        200, 304, '"v1"', "Fri, 04 Feb 2022 09:30:00 GMT")


def test_a_post_answering_304_is_seen_and_no_longer_gone(db):
    store.mark_gone(db, f"{OLD}{NOTE}", now=T1)
    assert store.mark_seen(db, f"{OLD}{NOTE}", run_id=None, now=T2) is True
    post = db["posts"].get("6362153")
    assert (post["last_seen"], post["gone"]) == ("2026-11-25T10:00:00+00:00", None)
    assert store.mark_seen(db, f"{OLD}/archive/2021/01/01/panne-6360000.html", run_id=None) is False


def test_incremental_fetches_new_posts_and_those_a_feed_says_were_updated(db):
    plan = CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"])
    new = f"{NOW}/archive/2025/01/01/nouvelle-6400000.html"
    assert (plan.mode, plan.wants_post(new), plan.wants_post(f"{NOW}{NOTE}")) == ("incremental", True, False)
    plan.learn_feed([FeedEntry(f"{NOW}{NOTE}", "6362153", updated="2026-11-30T08:00:00+00:00"), FeedEntry(new)])
    assert plan.feed_posts() == [f"{NOW}{NOTE}", new]
    assert plan.walks_on([new, f"{NOW}{NOTE}"]) and not plan.walks_on([f"{NOW}{NOTE}"])


def test_incremental_follows_only_the_next_listing_page_and_the_categories(db):
    plan = CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"])
    pages = [f"{NOW}/archives/category/mali/index-{n}.html" for n in (5, 3, 2)]
    assert plan.next_pages(f"{NOW}/mali/", pages) == [pages[2]]
    assert plan.discovered_listings([f"{NOW}/archives"], [f"{NOW}/mali/"], [f"{NOW}/archive/2022/02/index.html"]) == [f"{NOW}/mali/"]
    assert plan.revalidations(f"{NOW}/", None) == []


def test_category_pages_are_asked_for_only_if_changed_and_the_home_page_always(db):
    plan = CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"])
    assert plan.listing_headers(f"{NOW}/mali/") == {"If-None-Match": '"m1"'}
    assert plan.listing_headers(f"{NOW}/") == {} and plan.listing_headers(f"{NOW}/russie/") == {}
    assert CrawlPlan("full", store.load_crawl_state(db), [f"{NOW}/"]).listing_headers(f"{NOW}/mali/") == {}


def test_revalidate_asks_every_known_post_page_on_todays_host_with_its_validators(db):
    plan = CrawlPlan("revalidate", store.load_crawl_state(db), [f"{NOW}/"])
    assert plan.revalidations(f"{NOW}/", None) == [
        (f"{NOW}/archive/2021/01/01/panne-6360000.html", {}),
        (f"{NOW}{NOTE}", {"If-None-Match": '"v1"', "If-Modified-Since": "Fri, 04 Feb 2022 09:30:00 GMT"}),
    ]
    assert [url for url, _ in plan.revalidations(f"{NOW}/", Scope(frozenset({"mali"})))] == [f"{NOW}{NOTE}"]
    assert plan.revalidations(f"{NOW}/", Scope(frozenset({"russie"}))) == []


def test_a_start_page_never_crawled_or_an_unfinished_last_run_means_a_full_crawl(db):
    assert CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/russie/"]).mode == "full"
    assert CrawlPlan("revalidate", store.CrawlState(), [f"{NOW}/"]).mode == "full"  # an empty archive
    store.start_run(db, [f"{NOW}/"], now=T2)  # still "running": killed
    assert CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"]).full
    with pytest.raises(ValueError, match="ARCHIVER_CRAWL_MODE"):
        CrawlPlan("sometimes", store.CrawlState(), [f"{NOW}/"])


def test_an_id_less_permalink_keeps_the_archives_id_else_takes_the_feeds(db):
    plan = CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"])
    plan.learn_feed([FeedEntry(f"{NOW}/archive/2007/04/30/ancienne-note.html", "1866121"),
                FeedEntry(f"{NOW}/archive/2022/02/04/ancien-titre.html", "9999999")])
    assert plan.known_id(f"{NOW}/archive/2007/04/30/ancienne-note.html") == "1866121"
    assert plan.known_id(f"{NOW}/archive/2022/02/04/ancien-titre.html") == "6362153"  # archived under it already
    assert plan.known_id(f"{NOW}/archive/2008/01/01/inconnue.html") is None
