"""Media for offline reading: a crawl of the image replica downloads each post's images (FilesPipeline) next to
the archive, records them per post, never fails a post for an image, and does not fetch a file it already has."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archiver import store, urls
from archiver.extract.media import extract_image_urls, media_host_allowed
from archiver.replica import ReplicaServer, build_site, load_ground_truth
from archiver.replica.images import STATIC_PATH
from archiver.store.media import media_store
from conftest import LOCAL, export_records, normalise_space, run_archiver

OPT_IN = ("-s", "ARCHIVER_MEDIA_HOSTS=localhost")  # the replica's static host, as ARCHIVER_MEDIA_HOSTS names one
IMAGE_PATHS = ("/media/", "/static/", "/images/")


@dataclass
class Run:
    """One crawl: what the CLI said and which paths it asked the server for."""

    result: subprocess.CompletedProcess
    hits: Counter

    def image_hits(self) -> Counter:
        return Counter({path: n for path, n in self.hits.items() if path.startswith(IMAGE_PATHS)})


def crawl(server: ReplicaServer, db: Path, *extra: str, starts: tuple[str, ...] = ("/",)) -> Run:
    """Crawl the served replica from its home page, or from `starts` (the port stays: image URLs, hence file names,
    stay the same)."""
    before = Counter(server.hits)
    result = run_archiver("crawl", *(server.base_url + start for start in starts), "--db", str(db), *LOCAL, *extra)
    return Run(result, Counter(server.hits) - before)


def image_categories(site: Path) -> tuple[str, ...]:
    """A category of each post with images: a crawl from these reaches every one of them."""
    return tuple(sorted({urlsplit(record["categories"][0]["url"]).path for record in load_ground_truth(site) if record.get("images")}))


def media_rows(db: Path) -> dict[str, dict[str, dict]]:
    """post id -> image URL -> its media record, as `store.load_posts` gives them."""
    archive = store.open_readonly_archive(db)
    try:
        return {row["id"]: {m["url"]: m for m in row["media"]} for row in store.iter_posts(archive)}
    finally:
        archive.close()


@pytest.fixture(scope="module")
def image_site(tmp_path_factory) -> Path:
    """The smallest replica (60 posts, 64 with the seed's) with images (and the hostile post: both options combine)."""
    return build_site(tmp_path_factory.mktemp("replica-images") / "site", posts=60, images=True, hostile=True).root


@pytest.fixture(scope="module")
def crawls(image_site, tmp_path_factory):
    """The same served replica crawled four times into one archive: first, again (incremental), --revalidate, --full."""
    db = tmp_path_factory.mktemp("media") / "archive.db"
    with ReplicaServer(image_site) as server:
        runs = {"first": crawl(server, db, *OPT_IN)}
        runs["first rows"] = media_rows(db)
        for name, flags in (("again", ()), ("revalidate", ("--revalidate",)), ("full", ("--full",))):
            runs[name] = crawl(server, db, *OPT_IN, *flags)
            runs[f"{name} rows"] = media_rows(db)
        truth = load_ground_truth(image_site, server.base_url)
    return db, runs, {record["id"]: record for record in truth if record.get("images")}


@pytest.fixture(scope="module")
def without_opt_in(image_site, tmp_path_factory):
    """The image replica's categories that hold its posts with images crawled with the default ARCHIVER_MEDIA_HOSTS
    (no static host of the replica's)."""
    db = tmp_path_factory.mktemp("media-default") / "archive.db"
    with ReplicaServer(image_site) as server:
        run = crawl(server, db, starts=image_categories(image_site))
        truth = load_ground_truth(image_site, server.base_url)
    return db, run, {record["id"]: record for record in truth if record.get("images")}


def test_each_post_records_its_images_with_the_files_bytes(crawls):
    db, runs, truth = crawls
    assert runs["first"].result.returncode == 0, runs["first"].result.stderr
    rows, folder = runs["first rows"], media_store(db)
    assert len(truth) == 3
    for post_id, record in truth.items():
        for image in record["images"]:
            row = rows[post_id][image["url"]]
            if image["status"] == 200:
                content = (folder / row["path"]).read_bytes()
                assert (row["status"], row["checksum"], hashlib.md5(content).hexdigest()) == ("downloaded", image["md5"], image["md5"])
                assert row["path"] == f"full/{hashlib.sha1(image['url'].encode()).hexdigest()}{Path(urlsplit(image['url']).path).suffix}"


def test_a_missing_image_is_recorded_as_failed_and_its_post_is_archived_intact(crawls):
    db, runs, truth = crawls
    records = {record["id"]: record for record in export_records(db)}
    missing = [(post_id, image) for post_id, record in truth.items() for image in record["images"] if image["status"] == 404]
    assert len(missing) == 1
    post_id, image = missing[0]
    assert runs["first rows"][post_id][image["url"]] | {"fetched_at": None} == {
        "url": image["url"], "path": None, "checksum": None, "status": "failed: http 404", "fetched_at": None}
    assert normalise_space(records[post_id]["body_text"]) == normalise_space(truth[post_id]["body_text"])
    assert image["url"] in records[post_id]["body_html"]  # the original link stays in the body


def test_the_crawl_summary_counts_its_images_and_says_loudly_which_were_not_downloaded(crawls):
    _, runs, _ = crawls  # the 404 image, and the hostile post's <img src=x>
    failed = sum(row["path"] is None for rows in runs["first rows"].values() for row in rows.values())
    assert failed == 2
    assert re.search(rf" Images: [1-9]\d* downloaded, 0 already archived, {failed} NOT DOWNLOADED: http\S+ \([^)]+\) and 1 more: archiver show / the post_media table\.",
                     runs["first"].result.stdout), runs["first"].result.stdout


def test_an_image_shared_by_two_posts_is_downloaded_once(crawls):
    _, runs, truth = crawls
    shared = Counter(image["url"] for record in truth.values() for image in record["images"])
    (url, posts), = [(url, n) for url, n in shared.items() if n > 1]
    assert posts == 2 and runs["first"].hits[urlsplit(url).path] == 1


def test_a_relative_image_is_fetched_from_the_blog_like_an_absolute_one(crawls):
    _, runs, _ = crawls  # the replica's own /images/*.gif (relative in the bodies), and the hostile post's <img src=x>
    fetched = [path for path in runs["first"].hits if path.startswith("/images/")]
    assert fetched and all(runs["first"].hits[path] == 1 for path in fetched)
    assert any("/images/" in url for media in runs["first rows"].values() for url in media)


def test_a_second_crawl_of_an_unchanged_blog_fetches_no_image(crawls):
    _, runs, _ = crawls
    assert runs["again"].result.returncode == 0 and runs["again"].image_hits() == Counter()
    assert runs["again rows"] == runs["first rows"]


def test_posts_unchanged_and_304_keep_their_media_rows(crawls):
    _, runs, _ = crawls
    assert runs["revalidate"].result.returncode == 0 and runs["revalidate"].image_hits() == Counter()
    assert runs["revalidate rows"] == runs["first rows"]


def test_a_full_recrawl_finds_its_files_up_to_date_and_only_retries_the_failed_image(crawls):
    _, runs, truth = crawls
    missing = {urlsplit(image["url"]).path for record in truth.values() for image in record["images"] if image["status"] == 404}
    assert len(missing) == 1 and set(runs["full"].image_hits()) == missing  # nothing already downloaded
    for post_id, media in runs["first rows"].items():
        for url, row in media.items():
            again = runs["full rows"][post_id][url]
            if row["status"] == "downloaded":
                assert (again["status"], again["path"], again["checksum"], again["fetched_at"]) == (
                    "uptodate", row["path"], row["checksum"], row["fetched_at"])


def test_an_off_host_image_is_not_downloaded_unless_its_host_is_listed(crawls, without_opt_in):
    db, run, truth = without_opt_in
    assert run.result.returncode == 0, run.result.stderr
    static = [(post_id, image["url"]) for post_id, record in truth.items() for image in record["images"] if image["host"] == "static"]
    assert len(static) == 1 and run.hits[STATIC_PATH] == 0
    post_id, url = static[0]
    rows = media_rows(db)[post_id]
    assert url not in rows and any(row["status"] == "downloaded" for row in rows.values())
    opted_in = {urlsplit(url).path: row for url, row in crawls[1]["first rows"][post_id].items()}
    assert crawls[1]["first"].hits[STATIC_PATH] == 1 and opted_in[STATIC_PATH]["status"] == "downloaded"


def test_media_can_be_switched_off(image_site, tmp_path):
    db = tmp_path / "archive.db"
    with ReplicaServer(image_site) as server:
        run = crawl(server, db, "-s", "ARCHIVER_MEDIA=False", starts=image_categories(image_site))  # every post with images
    assert run.result.returncode == 0 and run.image_hits() == Counter()
    assert {record["id"] for record in load_ground_truth(image_site) if record.get("images")} <= set(media_rows(db))
    assert not media_store(db).exists() and all(media == {} for media in media_rows(db).values())


@pytest.mark.parametrize(("html", "expected"), [
    (None, []),
    ("<p>no image</p>", []),
    ('<img src="http://b.example/media/01/02/1.jpg"><img src="http://b.example/media/01/02/1.jpg">',
     ["http://b.example/media/01/02/1.jpg"]),
    ('<img src="//b.example/a.png" srcset="http://b.example/b.png 1x, http://b.example/c.png 2x">',
     ["http://b.example/a.png", "http://b.example/b.png"]),
    ('<img src="/media/01/02/1.jpg"><img src="x"><img srcset="/a.png 2x">',  # relative: against the post's address
     ["http://b.example/media/01/02/1.jpg", "http://b.example/archive/x", "http://b.example/a.png"]),
    ('<img src="data:image/gif;base64,R0lG"><img src="  "><img src="http://[::1"><img>', []),
    ('<p><img src="https://static.hautetfort.com/x.gif"></span></div>', ["https://static.hautetfort.com/x.gif"]),
])
def test_image_urls_are_extracted_absolute_once_each(html, expected):
    assert extract_image_urls(html, "http://b.example/archive/post.html") == expected


@pytest.mark.parametrize(("url", "allowed"), [
    ("http://b.example/media/1.jpg", True),
    ("http://www.b.example/media/1.jpg", True),
    ("http://static.hautetfort.com/1.jpg", True),
    ("http://other.example/1.jpg", False),
    ("http://evil.b.example/1.jpg", False),
])
def test_images_are_fetched_from_the_blog_and_the_listed_hosts_only(url, allowed):
    assert media_host_allowed(url, frozenset({"b.example", "www.b.example"}), frozenset({"static.hautetfort.com"})) is allowed


def test_the_media_folder_sits_next_to_the_archive():
    assert media_store("data/archive.db") == Path("data/archive-media")
    assert media_store("data/archive.db", "/srv/media") == Path("/srv/media")


def test_a_custom_domain_blogs_pictures_on_the_platforms_image_host_are_fetched_by_default():
    from archiver import settings

    blog = frozenset(urls.blog_hostnames("http://www.blogdevedjian.com/"))
    listed = frozenset(settings.ARCHIVER_MEDIA_HOSTS)
    assert media_host_allowed("http://size.blogspirit.net/www.blogdevedjian.com/www/773/media/00/01/2752630820.png",
                              blog, listed)
    assert media_host_allowed("http://blogdevedjian.com/media/01/02/777825822.JPG", blog, listed)
    assert not media_host_allowed("http://size.example.net/www.blogdevedjian.com/media/1.png", blog, listed)
