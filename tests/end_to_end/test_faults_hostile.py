"""A crawl of the replica served hostile: other charsets, broken markup, redirect chains and loops, 429 and
Retry-After, cut bodies, a 200-page category, a pagination loop, links to other hosts. Nothing may be lost."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlite_utils

from archiver.replica import ReplicaServer, load_ground_truth
from archiver.replica.fault_plan import Burst, Encoding, FaultPlan, LongCategory, hop_path
from conftest import normalise_space, run_archiver
from test_faults import crawl_faults, crawl_once, matches_truth, ordinary_posts

ENCODINGS = {  # name -> how the page is served
    "latin-1 in header": Encoding("iso-8859-1", "header"),
    "latin-1 in meta": Encoding("iso-8859-1", "meta"),
    "latin-1 sniffed": Encoding("iso-8859-1", "sniffed"),
    "cp1252 in header": Encoding("windows-1252", "header"),
    "cp1252 in meta": Encoding("windows-1252", "meta"),
    "cp1252 sniffed": Encoding("windows-1252", "sniffed"),
    "cp1252 labelled latin-1": Encoding("windows-1252", "header", label="ISO-8859-1"),
}
MALFORMED = ("unclosed", "stray", "nul")
BURSTS = {"429": Burst("429", 1, retry_after="5"), "500": Burst("500", 2), "truncate": Burst("truncate", 1),
          "reset": Burst("reset", 2), "timeout": Burst("timeout", 1)}
LONG, LOOPING, MOVED, LATE = "russie", "defense-securite", "libye", "economie"  # categories with several pages
LOOP_BACK = "/%64efense-securite/index.html"  # page 1 of LOOPING, spelled otherwise
LOOPS = [("/archive/2021/01/01/boucle-a-1234567.html", "/archive/2021/01/01/boucle-b-1234568.html"),
         ("/boucle-a/", "/boucle-b/", "/boucle-c/")]
SNIFFED = [name for name, encoding in ENCODINGS.items() if encoding.place == "sniffed"]


@pytest.fixture(scope="module")
def hostile(site, tmp_path_factory):
    """Every hostile case at once, each on its own pages; `paths` says which page got which."""
    # Categories are shared by slug: a misread sniffed page would rename its "Économie" for every post. The
    # sniffed pages are of ASCII-named categories, so that such a misreading fails its own test, not others.
    ascii_filed = {urlsplit(t["url"]).path for t in load_ground_truth(site) if all(c["name"].isascii() for c in t["categories"])}
    posts = ordinary_posts(site)[3:]
    plain, others = iter(path for path in posts if path in ascii_filed), iter(path for path in posts if path not in ascii_filed)
    paths = {name: next(plain if name in SNIFFED else others) for name in [*ENCODINGS, *MALFORMED, *BURSTS, "moved", "oversize"]}

    def crawl_hostile(directory):
        with ReplicaServer(site) as other:
            links = ["http://localhost:{port}/", f"http://localhost:{other.port}/archive/2022/02/04/ailleurs-1234569.html",
                     f"http://127.0.0.1:{other.port}/", f"http://127.0.0.1:{other.port}/mali/",
                     "http://blog-voisin.invalid/archive/2022/02/04/voisin-7654321.html"]
            plan = FaultPlan(
                bursts={paths[name]: burst for name, burst in BURSTS.items()} | {f"/{LATE}/": Burst("503", 1, retry_after="+5")},
                chains={paths["moved"]: 5, f"/{MOVED}/": 3},
                loops=LOOPS,
                encodings={paths[name]: encoding for name, encoding in ENCODINGS.items()},
                malformed={paths[name]: name for name in MALFORMED},
                padded={paths["oversize"]: 3_000_000},
                long_category=LongCategory(LONG, pages=200, loop_back=f"/{LONG}/index.html"),
                loop_backs={f"/archives/category/{LOOPING}/index-3.html": LOOP_BACK},
                links=links,
            )
            made = crawl_faults(site, plan, directory / "archive.db", "-s", "DOWNLOAD_MAXSIZE=2000000")
        made.extra["other_hits"] = dict(other.hits)
        return made

    crawl = crawl_once(tmp_path_factory, "hostile", crawl_hostile)
    other_hits = crawl.extra["other_hits"]
    return crawl, paths, other_hits


def record_of(crawl, path: str) -> dict:
    truth = next(t for t in crawl.truth if urlsplit(t["url"]).path == path)
    return crawl.records().get(truth["id"]), truth


def test_the_crawl_ends_exits_4_naming_only_the_listings_it_could_not_read_and_the_archive_is_sound(hostile):
    crawl, _, _ = hostile
    lost = [line for line in crawl.result.stdout.splitlines() if line.startswith("INCOMPLETE")]
    base = crawl.server.base_url
    assert crawl.result.returncode == 4, crawl.result.stderr
    assert len(lost) == 2, lost
    assert lost[0].startswith(f"INCOMPLETE {base}/boucle-a/: redirect loop (HTTP 302)")  # a category link that loops
    # The made-up 200-page category lists its 33 posts in turn, one a page: its pages do not add up.
    assert lost[1] == (f"INCOMPLETE {base}/{LONG}/: its pages say it lists 200 posts, 33 were found on them; a page may "
                       "be missing from its pagination (the next --revalidate or --full walks it again)")
    checked = run_archiver("check", "--db", str(crawl.db))
    assert checked.returncode == 0, checked.stdout


def test_every_post_but_the_oversized_one_is_archived_once_as_true(hostile):
    crawl, paths, _ = hostile
    records = crawl.records()
    expected = [t["id"] for t in crawl.truth if urlsplit(t["url"]).path != paths["oversize"]]
    assert sorted(records) == sorted(expected)
    wrong = [t["url"] for t in crawl.truth if t["id"] in records and not matches_truth(records[t["id"]], t)]
    assert wrong == []
    assert [post_id for post_id, record in records.items() if "Ã" in record["title"] + record["body_text"]] == []


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_a_page_in_another_charset_reads_as_the_utf8_truth(hostile, name):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths[name])
    assert crawl.server.injected[f"charset:{ENCODINGS[name].charset}/{ENCODINGS[name].place}"] >= 1
    assert record["title"] == truth["title"]
    assert normalise_space(record["body_text"]) == normalise_space(truth["body_text"])
    assert not any(mark in record["title"] + record["body_text"] for mark in ("Ã", "\ufffd"))


@pytest.mark.parametrize("how", MALFORMED)
def test_a_post_with_broken_markup_is_read_whole(hostile, how):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths[how])
    assert crawl.server.injected[f"malformed:{how}"] == 1
    assert (record["title"], normalise_space(record["body_text"])) == (truth["title"], normalise_space(truth["body_text"]))


@pytest.mark.parametrize("name, requests", [("500", 3), ("truncate", 2), ("timeout", 2)])
def test_a_post_that_fails_then_recovers_is_archived_as_true(hostile, name, requests):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths[name])
    assert crawl.hits(paths[name]) == requests and matches_truth(record, truth)
    good = sqlite_utils.Database(crawl.db).execute("select status from pages where url = ?", [truth["url"]]).fetchall()
    assert good == [(200,)]  # one page kept, the whole one


def test_a_reset_twice_then_recovered(hostile):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths["reset"])
    assert crawl.hits(paths["reset"]) == 3 and matches_truth(record, truth)


def arrivals(crawl, path: str) -> list[float]:
    return [at for at, _, arrived, _ in crawl.server.arrivals if arrived == path]


def test_a_429_is_retried_after_the_seconds_its_retry_after_asks(hostile):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths["429"])
    first, second = arrivals(crawl, paths["429"])
    assert second - first >= 5.0 and matches_truth(record, truth)  # without the backoff: about 2 s


def test_a_503_with_an_http_date_is_retried_no_sooner(hostile):
    crawl, _, _ = hostile
    first, second = arrivals(crawl, f"/{LATE}/")
    assert second - first >= 4.0  # the date is whole seconds: 4 to 5 s after the answer
    stats = next(sqlite_utils.Database(crawl.db)["crawl_runs"].rows)["stats"]
    assert '"archiver/backoff/retry_after": 2' in stats


def test_a_post_moved_through_5_redirects_is_archived_once_with_its_old_urls_as_aliases(hostile):
    crawl, paths, _ = hostile
    record, truth = record_of(crawl, paths["moved"])
    hops = [hop_path(paths["moved"], n) for n in range(5)]
    assert [crawl.hits(path) for path in [*hops, paths["moved"]]] == [1] * 6
    assert record["url"] == truth["url"] and matches_truth(record, truth)
    aliases = sqlite_utils.Database(crawl.db).execute("select url from post_aliases where post_id = ?", [truth["id"]])
    assert sorted(url for (url,) in aliases) == sorted(crawl.server.base_url + hop for hop in hops)


def test_a_category_behind_3_redirects_is_read(hostile):
    crawl, _, _ = hostile
    assert [crawl.hits(hop_path(f"/{MOVED}/", n)) for n in range(3)] + [crawl.hits(f"/{MOVED}/")] == [1, 1, 1, 1]
    pages = sqlite_utils.Database(crawl.db).execute("select status from pages where url = ?", [f"{crawl.server.base_url}/{MOVED}/"])
    assert pages.fetchall() == [(200,)]


def test_redirect_loops_end_each_address_asked_once(hostile):
    crawl, _, _ = hostile
    assert {path: crawl.hits(path) for loop in LOOPS for path in loop} == {path: 1 for loop in LOOPS for path in loop}


def test_a_redirect_loop_is_recorded_as_a_failure(hostile):
    crawl, _, _ = hostile
    assert {crawl.server.base_url + loop[0] for loop in LOOPS} <= set(crawl.failures())


def test_a_200_page_category_is_walked_whole_each_page_once(hostile):
    crawl, _, _ = hostile
    pages = [f"/{LONG}/"] + [f"/archives/category/{LONG}/index-{n}.html" for n in range(2, 201)]
    assert {path: crawl.hits(path) for path in pages} == {path: 1 for path in pages}
    assert not [row for row in crawl.failures().values() if row["kind"] == "truncated"]


def test_a_pagination_loop_back_to_page_1_is_not_followed(hostile):
    crawl, _, _ = hostile
    assert crawl.server.injected["loop-back"] == 1
    assert crawl.hits(LOOP_BACK) == 0 and crawl.hits(f"/{LONG}/index.html") == 0
    assert [crawl.hits(f"/{LOOPING}/")] + [crawl.hits(f"/archives/category/{LOOPING}/index-{n}.html") for n in (2, 3)] == [1, 1, 1]


def test_links_to_other_hosts_are_never_fetched(hostile):
    crawl, _, other_hits = hostile
    assert other_hits == {}
    assert set(crawl.server.hosts) == {f"127.0.0.1:{crawl.server.port}"}
    assert not [row for row in crawl.failures().values() if row["kind"] == "offsite"]


def test_a_page_over_download_maxsize_is_cancelled_and_recorded_not_retried(hostile):
    crawl, paths, _ = hostile
    failure = crawl.failures()[crawl.server.base_url + paths["oversize"]]
    assert (failure["kind"], failure["attempts"], crawl.hits(paths["oversize"])) == ("download", 1, 1)
    assert "larger than download max size (2000000)" in failure["reason"]
