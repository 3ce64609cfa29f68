"""What a crawl knows before it starts (the archive's crawl state) and what each mode decides from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver import store
from archiver.extract import FeedEntry
from archiver.extract.listing_entries import ListingEntry
from archiver.items import Category, FetchedPage, Post
from spiders.crawl_plan import CrawlPlan, Scope
from spiders.revalidation import Revalidation

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


def test_category_pages_are_asked_for_only_if_changed_and_the_home_page_always(db):
    plan = CrawlPlan("incremental", store.load_crawl_state(db), [f"{NOW}/"])
    assert plan.listing_headers(f"{NOW}/mali/") == {"If-None-Match": '"m1"'}
    assert plan.listing_headers(f"{NOW}/") == {} and plan.listing_headers(f"{NOW}/russie/") == {}
    assert CrawlPlan("full", store.load_crawl_state(db), [f"{NOW}/"]).listing_headers(f"{NOW}/mali/") == {}


def test_revalidate_reads_the_months_not_the_categories_and_asks_posts_again_with_their_validators(db):
    plan = CrawlPlan("revalidate", store.load_crawl_state(db), [f"{NOW}/"])
    month = f"{NOW}/archive/2022/02/index.html"
    assert plan.discovered_listings([f"{NOW}/archives"], [f"{NOW}/mali/"], [month]) == [f"{NOW}/archives", month]
    assert plan.post_headers(f"{NOW}{NOTE}") == {"If-None-Match": '"v1"', "If-Modified-Since": "Fri, 04 Feb 2022 09:30:00 GMT"}
    assert plan.post_headers(f"{NOW}/archive/2025/01/01/nouvelle-6400000.html") == {}


def entry(title="Note", comments=None, categories=frozenset({"mali"}), text="Bamako."):
    """The listing entry of the archived note (as `title`, with `comments`, in `categories`, showing `text`)."""
    return ListingEntry(f"{NOW}{NOTE}", title, comments, categories, text, truncated=False)


def test_revalidate_asks_a_listed_post_again_only_when_its_entry_shows_a_change(db, tmp_path):
    state = store.crawl_state(tmp_path / "archive.db")
    revalidation = Revalidation(state, lambda page: True, full_check_runs=8)
    assert revalidation.read_listing([entry()], [f"{NOW}{NOTE}"]) == []
    assert revalidation.read_listing([entry(title="Note, corrigée")], [f"{NOW}{NOTE}"]) == [f"{OLD}{NOTE}"]
    assert revalidation.read_listing([entry(title="Note, corrigée")], [f"{NOW}{NOTE}"]) == []  # asked once a run
    assert revalidation.figures() | {"unread_listings": None} == {
        "listed": 1, "changed": 1, "changes": {"title": 1}, "left": 0, "unlisted": 0, "unread_listings": None,
        "unread_count": 0, "full_checks": 0, "runs": 8}


def test_an_entry_that_cannot_be_read_is_a_change_and_a_new_or_failed_post_is_left_to_the_walk(db, tmp_path):
    revalidation = Revalidation(store.crawl_state(tmp_path / "archive.db"), lambda page: True, full_check_runs=8)
    failed, new = f"{NOW}/archive/2021/01/01/panne-6360000.html", f"{NOW}/archive/2025/01/01/nouvelle-6400000.html"
    assert revalidation.read_listing([entry(text=None)], [f"{NOW}{NOTE}", failed, new]) == [f"{OLD}{NOTE}"]
    assert revalidation.figures()["changes"] == {"unreadable": 1}


def test_a_post_no_listing_shows_has_left_its_listings_unless_a_listing_could_not_be_read(db, tmp_path):
    left = Revalidation(store.crawl_state(tmp_path / "archive.db"), lambda page: True, full_check_runs=8)
    assert left.remaining(asked=set()) == [f"{OLD}{NOTE}"]
    assert (left.figures()["left"], left.figures()["full_checks"]) == (1, 0)
    unread = Revalidation(store.crawl_state(tmp_path / "archive.db"), lambda page: True, full_check_runs=8)
    unread.listing_unread(f"{NOW}/archive/2022/02/index.html")
    assert unread.remaining(asked=set()) == [f"{OLD}{NOTE}"]
    assert {key: unread.figures()[key] for key in ("left", "unlisted", "unread_count")} == {
        "left": 0, "unlisted": 1, "unread_count": 1}
    out_of_scope = Revalidation(store.crawl_state(tmp_path / "archive.db"), Scope(frozenset({"russie"})).holds_post, 8)
    assert out_of_scope.remaining(asked=set()) == []


def test_the_rolling_check_asks_a_share_of_the_posts_read_longest_ago_besides_those_asked_already():
    pages = {f"/p{n}.html": store.KnownPage(f"{OLD}/p{n}.html", str(n), last_seen=f"2026-11-{20 - n}T10:00:00+00:00")
             for n in range(10)}  # p9 was read longest ago
    pages["/gone.html"] = store.KnownPage(f"{OLD}/gone.html", "99", gone=True, last_seen="2020-01-01T00:00:00+00:00")
    revalidation = Revalidation(store.CrawlState(pages=pages), lambda page: True, full_check_runs=4)
    revalidation.listed.update(pages)  # every post listed, none changed

    asked = revalidation.remaining(asked={"/p9.html"})

    assert asked == [f"{OLD}/p8.html", f"{OLD}/p7.html", f"{OLD}/p6.html"]  # ceil(10 / 4), p9 asked already
    assert revalidation.figures()["full_checks"] == 3


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
