"""A crawl keeps each answer's HTTP exchange as received (archiver.middlewares.http_exchanges): the response's headers
and protocol, the request's headers, the exact time; a gzip-encoded answer's headers say so while its stored bytes are
inflated; a 304 is kept as a revisit of the copy it confirmed; an archive of version 10 still crawls."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import urllib.request
import zlib
from contextlib import closing
from pathlib import Path

import pytest

from archiver import store
from archiver.replica import ReplicaServer, build_site
from archiver.replica.server import ReplicaHandler
from conftest import LOCAL, copy_archive, run_archiver
from old_archives import back_to_version_10

CATEGORY = "/mozambique/"  # 3 posts, one with an image of the blog's and one that answers 404
GZIPPED = "/archive/2021/05/29/pourquoi-le-gouvernement-centrafricain-a-annonce-l-6362015.html"
IMAGE = "/media/02/03/636201502.png"
MICROSECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


class GzipHandler(ReplicaHandler):
    """The replica's handler, answering the server's `gzipped` paths gzip-encoded to a client that accepts it."""

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        path = self.path.split("?", 1)[0]
        if status == 200 and path in self.server.replica.gzipped and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, headers = gzip.compress(body, mtime=0), {**headers, "Content-Encoding": "gzip"}
        super().send(status, headers, body, head_only)


class GzipReplica(ReplicaServer):
    """The replica served on 127.0.0.1, `gzipped` paths gzip-encoded."""

    def __init__(self, site_dir: Path, gzipped: set[str]):
        super().__init__(site_dir)
        self.gzipped = gzipped

    def start(self) -> "GzipReplica":
        super().start()
        self._httpd.RequestHandlerClass = GzipHandler
        return self


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The image replica (60 posts), served with one post gzip-encoded."""
    root = build_site(tmp_path_factory.mktemp("replica-exchanges") / "site", posts=60, images=True).root
    with GzipReplica(root, {GZIPPED}) as server:
        yield server


def crawl(server: ReplicaServer, db: Path, *extra: str):
    result = run_archiver("crawl", server.base_url + CATEGORY, "--db", str(db), *LOCAL, *extra)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def archives(served, tmp_path_factory):
    """The category crawled once (`first`: a copy as it was then), then again with --revalidate (`db`: its posts
    answer 304)."""
    folder = tmp_path_factory.mktemp("exchanges")
    crawl(served, folder / "archive.db")
    first = copy_archive(folder / "archive.db", folder / "first.db")
    crawl(served, folder / "archive.db", "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    return {"first": first, "db": folder / "archive.db"}


def rows(db: Path, sql: str, *params) -> list[dict]:
    with closing(sqlite3.connect(db)) as reader:
        reader.row_factory = sqlite3.Row
        return [dict(row) for row in reader.execute(sql, params)]


def page(db: Path, path: str, served) -> dict:
    (row,) = rows(db, "SELECT * FROM pages WHERE url = ?", served.base_url + path)
    return row


def test_a_post_keeps_its_response_headers_the_request_as_sent_and_the_time_to_the_microsecond(archives, served):
    row = page(archives["first"], GZIPPED, served)
    headers, sent = json.loads(row["headers"]), dict(json.loads(row["request_headers"]))
    assert ["Content-Type", "text/html; charset=utf-8"] in headers
    assert [name for name, _ in headers if name in ("Etag", "Last-Modified", "Date", "Server")] != []
    assert sent["User-Agent"].startswith("blog-archiver/") and "gzip" in sent["Accept-Encoding"]
    assert (row["protocol"], row["headers_cut"]) == ("HTTP/1.1", 0)
    assert MICROSECONDS.match(row["received_at"]) and row["received_at"][:19] <= row["fetched_at"][:19]


def test_a_gzip_encoded_answer_keeps_content_encoding_and_its_bytes_inflated(archives, served):
    row = page(archives["first"], GZIPPED, served)
    headers = json.loads(row["headers"])
    plain = urllib.request.urlopen(served.base_url + GZIPPED).read()  # asked without Accept-Encoding
    assert ["Content-Encoding", "gzip"] in headers
    assert zlib.decompress(row["html"]) == plain and row["size"] == len(plain)
    assert int(dict(headers)["Content-Length"]) == len(gzip.compress(plain, mtime=0)) != len(plain)


def test_every_page_of_the_crawl_keeps_its_exchange(archives):
    assert rows(archives["first"], "SELECT url FROM pages WHERE received_at IS NULL OR headers IS NULL") == []


def test_a_downloaded_image_keeps_its_headers_and_type(archives, served):
    (image,) = rows(archives["first"], "SELECT * FROM post_media WHERE url = ?", served.base_url + IMAGE)
    assert (image["content_type"], image["protocol"], image["headers_cut"]) == ("image/png", "HTTP/1.1", 0)
    assert ["Content-Type", "image/png"] in json.loads(image["headers"])
    assert MICROSECONDS.match(image["received_at"])


def test_a_304_adds_a_revisit_and_leaves_the_copys_received_at(archives, served):
    before, after = page(archives["first"], GZIPPED, served), page(archives["db"], GZIPPED, served)
    assert (after["received_at"], after["headers"]) == (before["received_at"], before["headers"])
    assert after["fetched_at"] > before["fetched_at"] or after["last_run_id"] > before["last_run_id"]
    (revisit,) = rows(archives["db"], "SELECT * FROM page_revisits WHERE url = ?", served.base_url + GZIPPED)
    assert (revisit["status"], revisit["refers_to_date"], revisit["fetched_at"]) == (304, before["received_at"], after["fetched_at"])
    assert MICROSECONDS.match(revisit["received_at"]) and revisit["received_at"] > before["received_at"]
    assert "If-None-Match" in dict(json.loads(revisit["request_headers"]))


def undo_version_11(path: Path) -> None:
    """Make an archive what version 10 kept: no exchange columns, no copies, no revisits."""
    db = store.open_archive(path)
    try:
        back_to_version_10(db)
        db.conn.commit()
    finally:
        db.close()


def test_an_archive_of_version_10_gets_null_exchanges_and_still_crawls(archives, served, tmp_path):
    old = copy_archive(archives["first"], tmp_path / "v10.db")
    undo_version_11(old)
    crawl(served, old, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    post = page(old, GZIPPED, served)
    assert (post["status"], post["received_at"], post["headers"]) == (200, None, None)  # confirmed by a 304
    (revisit,) = rows(old, "SELECT * FROM page_revisits WHERE url = ?", served.base_url + GZIPPED)
    assert revisit["refers_to_date"] == page(archives["first"], GZIPPED, served)["fetched_at"]
    assert rows(old, "SELECT count(*) AS n FROM pages WHERE received_at IS NOT NULL")[0]["n"] > 0  # the feeds, asked again
