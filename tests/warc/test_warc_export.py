"""`archiver export warc` and `export wacz` on one crawled replica (images, a latin-1 post, a post gone 404, a
--revalidate crawl's 304s): the files pass `warcio check` and `wacz validate`, and pywb (its own venv,
.venv/pywb) replays every post's permalink and its images with the stored bytes."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
import zlib
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver.cli import cli
from archiver.replica import build_site, load_ground_truth
from archiver.replica.fault_plan import Encoding, FaultPlan
from archiver.replica.fault_server import FaultHandler, FaultServer
from archiver.replica.server import ReplicaHandler
from archiver.store.media import media_store
from archiver.terminal import plural
from archiver.warc.records import REBUILT, replayable_headers, warc_date
from conftest import LOCAL, PROJECT, copy_archive, run_archiver

PYWB = PROJECT / ".venv" / "pywb" / "bin"
LATIN1 = Encoding("iso-8859-1", "header")
BIN = Path(sys.executable).parent


class Gzipping(ReplicaHandler):
    """Answers the server's `gzipped` paths gzip-encoded to a client that accepts it (after the fault server's
    own changes to the page: GzipHandler puts it between FaultHandler and ReplicaHandler)."""

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        if status == 200 and self.path in self.server.replica.gzipped and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, headers = gzip.compress(body, mtime=0), {**headers, "Content-Encoding": "gzip"}
        super().send(status, headers, body, head_only)


class GzipHandler(FaultHandler, Gzipping):
    """The fault server's handler, gzipping."""


class GzipFaultServer(FaultServer):
    """The fault server, `gzipped` paths gzip-encoded."""

    def __init__(self, site_dir: Path, plan: FaultPlan, gzipped: set[str]):
        super().__init__(site_dir, plan)
        self.gzipped = gzipped

    def start(self) -> "GzipFaultServer":
        super().start()
        self._httpd.RequestHandlerClass = GzipHandler
        return self


def plain_posts(root: Path) -> list[dict]:
    """The replica's ordinary posts without images, oldest first."""
    return [t for t in load_ground_truth(root) if t["reach"] == "listed" and not t["legacy"] and not t["images"]
            and not t["quirks"]]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The image replica served with one post in latin-1 and one gzip-encoded, crawled from the category of its
    posts with images; then one of its posts deleted and the category crawled again with --revalidate (304s, a
    404); then exported as WARC and WACZ with --with-history."""
    folder = tmp_path_factory.mktemp("warc-export")
    root, db = build_site(folder / "site", posts=60, images=True).root, folder / "archive.db"
    category, posts = category_with_images(root)
    latin1, gone, gzipped, edited = (urlsplit(post["url"]).path for post in posts[:4])
    with GzipFaultServer(root, FaultPlan(encodings={latin1: LATIN1}), {gzipped}) as server:
        media = ("-s", "ARCHIVER_MEDIA_HOSTS=localhost")
        first = run_archiver("crawl", server.base_url + category, "--db", str(db), *LOCAL, *media)
        (root / gone.lstrip("/")).unlink()
        page = root / edited.lstrip("/")
        page.write_bytes(page.read_bytes().replace(posts[3]["title"].encode(), f"{posts[3]['title']} (modifié)".encode()))
        time.sleep(1.01 - time.time() % 1)  # the next crawl's copies in a later second: replay tools tell seconds apart
        second = run_archiver("crawl", server.base_url + category, "--db", str(db), "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1", *LOCAL, *media)
        base = server.base_url
    assert first.returncode == 0, first.stderr[-2000:]
    warc, wacz = folder / "blog.warc.gz", folder / "blog.wacz"
    exports = {name: CliRunner().invoke(cli, ["export", name, str(path), "--db", str(db), "--with-history"])
               for name, path in (("warc", warc), ("wacz", wacz))}
    return {"db": db, "warc": warc, "wacz": wacz, "exports": exports, "second": second, "base": base,
            "latin1": base + latin1, "gone": base + gone, "gzipped": base + gzipped, "edited": base + edited,
            "folder": folder}


def category_with_images(root: Path) -> tuple[str, list[dict]]:
    """The path of the category whose posts show the most images (the smallest of those), and its ordinary posts."""
    truth = load_ground_truth(root)
    filed = {c["url"]: [t for t in truth if c["url"] in {d["url"] for d in t["categories"]}]
             for t in truth for c in t["categories"]}
    url = min(filed, key=lambda url: (-sum(len(t["images"]) for t in filed[url]), len(filed[url])))
    return urlsplit(url).path, [t for t in filed[url] if t in plain_posts(root)]


@pytest.fixture(scope="module")
def pywb(crawled):
    """pywb serving the exported WARC on 127.0.0.1: GET(url, timestamp) -> (status, headers, body) in id_ mode."""
    if not (PYWB / "wayback").exists():
        pytest.fail(f"pywb is not installed in {PYWB.parent}: run `make test` (or `make .venv/pywb/bin/wayback`)")
    home = crawled["folder"] / "pywb"
    home.mkdir()
    for command in (["wb-manager", "init", "c"], ["wb-manager", "add", "c", str(crawled["warc"])]):
        subprocess.run([str(PYWB / command[0]), *command[1:]], cwd=home, check=True, capture_output=True, timeout=60)
    port = free_port()
    process = subprocess.Popen([str(PYWB / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=home,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)

        def get(url: str, stamp: str) -> tuple[int, dict, bytes]:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/c/{stamp}id_/{url}", timeout=20) as answer:
                    return answer.status, dict(answer.headers), answer.read()
            except HTTPError as error:
                return error.code, dict(error.headers), error.read()
        yield get
    finally:
        process.terminate()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"pywb's wayback exited with status {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"pywb's wayback did not listen on port {port} within {seconds} s")


def stamp(iso: str) -> str:
    """A stored ISO time as pywb's 14-digit timestamp."""
    return "".join(ch for ch in iso[:19] if ch.isdigit())


def stored_pages(db: Path) -> dict[str, dict]:
    """Each post's stored page: url -> {body, content_type, at}."""
    archive = sqlite_utils.Database(db)
    rows = archive.query("SELECT p.url, p.html, p.content_type, coalesce(p.received_at, p.fetched_at) AS at"
                         " FROM posts JOIN pages p ON p.url = posts.url")
    return {row["url"]: {"body": zlib.decompress(row["html"]), "content_type": row["content_type"], "at": row["at"]}
            for row in rows}


def records(path: Path) -> list:
    with path.open("rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(stream)]


def post_count(db: Path) -> int:
    return sqlite_utils.Database(db).execute("SELECT count(*) FROM posts").fetchone()[0]


def test_both_exports_succeed_and_say_what_they_wrote(crawled):
    images = plural(sqlite_utils.Database(crawled["db"]).execute(
        "SELECT count(DISTINCT url) FROM post_media WHERE path IS NOT NULL").fetchone()[0], "image")
    for name, result in crawled["exports"].items():
        assert result.exit_code == 0, (name, result.output)
        assert f"Exported {post_count(crawled['db'])} posts (" in result.stderr
        assert f" {images}, " in result.stderr


def test_warcio_check_passes(crawled):
    checked = subprocess.run([str(BIN / "warcio"), "check", "-v", str(crawled["warc"])], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:]
    assert "digest pass" in checked.stdout and "fail" not in checked.stdout


def test_wacz_validate_passes_and_its_pages_list_every_post_once_with_its_title(crawled):
    checked = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(crawled["wacz"])], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with zipfile.ZipFile(crawled["wacz"]) as package:
        assert package.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        assert package.getinfo("indexes/index.cdx.gz").compress_type == zipfile.ZIP_STORED
        header, *pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
    assert header["format"] == "json-pages-1.0"
    titles = {row["url"]: row["title"] for row in sqlite_utils.Database(crawled["db"]).query("SELECT url, title FROM posts")}
    assert sorted(page["url"] for page in pages) == sorted(titles)
    assert all(page["title"] == titles[page["url"]] and page["ts"].endswith("Z") and page["text"] for page in pages)


def test_every_post_replays_in_pywb_with_its_stored_bytes(crawled, pywb):
    pages = stored_pages(crawled["db"])
    assert len(pages) == post_count(crawled["db"]) > 6
    for url, page in pages.items():
        status, headers, body = pywb(url, stamp(page["at"]))
        assert (url, status) == (url, 200)
        assert body == page["body"], url
        assert "Content-Encoding" not in headers and headers["Content-Length"] == str(len(body))


def test_the_latin1_post_replays_with_its_bytes_and_charset(crawled, pywb):
    page = stored_pages(crawled["db"])[crawled["latin1"]]
    assert b"\xe9" in page["body"]  # é in latin-1: not re-encoded
    status, headers, body = pywb(crawled["latin1"], stamp(page["at"]))
    assert status == 200 and body == page["body"]
    assert "charset=iso-8859-1" in headers["Content-Type"].lower()


def test_the_gzip_encoded_post_replays_its_stored_bytes_without_content_encoding(crawled, pywb):
    (http,) = [http for kind, headers, http, _ in records(crawled["warc"])
               if kind == "response" and headers.get_header("WARC-Target-URI") == crawled["gzipped"]]
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip" and http.get_header("Content-Encoding") is None
    page = stored_pages(crawled["db"])[crawled["gzipped"]]
    assert page["body"].startswith(b"<!DOCTYPE") or page["body"].lstrip().startswith(b"<")  # stored inflated
    status, headers, body = pywb(crawled["gzipped"], stamp(page["at"]))
    assert (status, body) == (200, page["body"]) and "Content-Encoding" not in headers
    assert headers["Content-Length"] == str(len(page["body"]))


def test_the_post_gone_404_replays_its_last_good_copy(crawled, pywb):
    archive = sqlite_utils.Database(crawled["db"])
    assert archive.execute("SELECT gone FROM posts WHERE url = ?", [crawled["gone"]]).fetchone()[0]
    page = stored_pages(crawled["db"])[crawled["gone"]]
    assert pywb(crawled["gone"], stamp(page["at"]))[::2] == (200, page["body"])


def test_every_downloaded_image_replays_with_its_file(crawled, pywb):
    archive = sqlite_utils.Database(crawled["db"])
    images = list(archive.query("SELECT url, path, fetched_at FROM post_media WHERE path IS NOT NULL GROUP BY url"))
    assert len(images) >= 3 and any(urlsplit(image["url"]).hostname == "localhost" for image in images)
    for image in images:
        status, headers, body = pywb(image["url"], stamp(image["fetched_at"]))
        assert status == 200 and body == (media_store(crawled["db"]) / image["path"]).read_bytes()
        assert headers["Content-Type"].startswith("image/")


def test_a_304_is_a_revisit_that_replays_the_original_body_not_an_empty_304(crawled, pywb):
    revisits = [(headers, http) for kind, headers, http, _ in records(crawled["warc"]) if kind == "revisit"]
    assert revisits, "the --revalidate crawl's 304s are revisit records"
    pages = stored_pages(crawled["db"])
    checked = 0
    for headers, http in revisits:
        url = headers.get_header("WARC-Target-URI")
        if url in pages:
            at = "".join(filter(str.isdigit, headers.get_header("WARC-Date")))[:14]
            status, replayed, body = pywb(url, at)
            assert (status, body) == (200, pages[url]["body"]), url
            assert replayed["Memento-Datetime"] == format_datetime(  # the revisit itself, not the copy it refers to
                datetime.strptime(at, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc), usegmt=True)
            assert http.get_statuscode() == "200"
            checked += 1
    assert checked


def test_each_post_has_a_metadata_record_pointing_at_its_response(crawled):
    written = records(crawled["warc"])
    responses = {h.get_header("WARC-Record-ID"): h.get_header("WARC-Target-URI") for kind, h, _, _ in written
                 if kind == "response"}
    metadata = [json.loads(body) | {"refers": responses.get(h.get_header("WARC-Refers-To"))}
                for kind, h, _, body in written if kind == "metadata"]
    assert len(metadata) == post_count(crawled["db"]) and all(m["refers"] == m["url"] and m["id"] and m["categories"] for m in metadata)
    assert written[0][0] == "warcinfo" and b"blog-archiver/" in written[0][3]


def test_a_category_export_holds_its_posts_and_their_images_only(crawled, tmp_path):
    archive = sqlite_utils.Database(crawled["db"])
    name, count = archive.execute("SELECT c.name, count(*) FROM categories c JOIN post_categories pc"
                                  " ON pc.category_slug = c.slug GROUP BY c.slug ORDER BY 2 DESC LIMIT 1").fetchone()
    result = CliRunner().invoke(cli, ["export", "warc", str(tmp_path / "c.warc.gz"), "--db", str(crawled["db"]),
                                      "--category", name])
    assert result.exit_code == 0, result.output
    responses = [h.get_header("WARC-Target-URI") for kind, h, _, _ in records(tmp_path / "c.warc.gz") if kind == "response"]
    posts = {url for (url,) in archive.execute("SELECT url FROM posts")}
    assert len([url for url in responses if url in posts]) == count
    images = {url for (url,) in archive.execute("SELECT url FROM post_media")}
    assert all(url in posts or url in images for url in responses)


def test_an_unreadable_copy_or_a_missing_image_is_named_the_rest_written_and_the_command_fails(crawled, tmp_path):
    db = copy_archive(crawled["db"], tmp_path / "damaged.db")
    shutil.copytree(media_store(crawled["db"]), media_store(db))
    url = next(iter(stored_pages(db)))
    image, path = sqlite_utils.Database(db).execute("SELECT url, path FROM post_media WHERE path IS NOT NULL").fetchone()
    sqlite_utils.Database(db).execute("UPDATE pages SET html = ? WHERE url = ?", [b"not zlib", url]).connection.commit()
    (media_store(db) / path).unlink()
    result = CliRunner().invoke(cli, ["export", "warc", str(tmp_path / "d.warc.gz"), "--db", str(db)])
    assert result.exit_code == 1
    assert f"Not exported: the stored copy of {url} is damaged" in result.stderr
    assert f"Not exported: image {image}: its file " in result.stderr
    assert "Error: 2 copies could not be exported (named above); the rest is in " in result.stderr
    targets = [h.get_header("WARC-Target-URI") for kind, h, _, _ in records(tmp_path / "d.warc.gz") if kind == "response"]
    assert url not in targets and image not in targets and len(targets) > post_count(db)


def test_options_of_other_formats_are_refused(tmp_path):
    for args in (["--out", "x"], ["--with-revisions"], ["--force"]):
        result = CliRunner().invoke(cli, ["export", "warc", str(tmp_path / "x.warc.gz"), *args])
        assert result.exit_code == 2 and "export warc" in result.output
    assert CliRunner().invoke(cli, ["export", "jsonl", "--with-history"]).exit_code == 2
    assert "needs the file to write" in CliRunner().invoke(cli, ["export", "wacz"]).output


def test_a_response_keeps_the_headers_as_received_and_the_request_as_sent(crawled):
    archive = sqlite_utils.Database(crawled["db"])
    url, headers, sent, received_at, size = archive.execute(
        "SELECT url, headers, request_headers, received_at, size FROM pages WHERE url = ?", [crawled["latin1"]]).fetchone()
    written = records(crawled["warc"])
    (warc, http), = [(h, http) for kind, h, http, _ in written if kind == "response" and h.get_header("WARC-Target-URI") == url]
    assert http.headers == replayable_headers(json.loads(headers), size)
    assert warc.get_header("WARC-Date") == warc_date(received_at) and warc.get_header(REBUILT) is None
    (request,) = [http for kind, h, http, _ in written if kind == "request"
                  and h.get_header("WARC-Concurrent-To") == warc.get_header("WARC-Record-ID")]
    assert [(name, value) for name, value in request.headers if name != "Host"] == [tuple(pair) for pair in json.loads(sent)]


def test_pages_kept_before_exchanges_were_export_with_rebuilt_headers_and_say_so(crawled, tmp_path):
    db = copy_archive(crawled["db"], tmp_path / "old.db")
    shutil.copytree(media_store(crawled["db"]), media_store(db))
    archive = sqlite_utils.Database(db)
    for table in ("pages", "post_media"):
        archive.execute(f"UPDATE {table} SET protocol = NULL, headers = NULL, headers_cut = NULL,"
                        " request_headers = NULL, received_at = NULL")
    archive.execute("UPDATE post_media SET content_type = NULL").connection.commit()
    images = {url for (url,) in archive.execute("SELECT url FROM post_media WHERE path IS NOT NULL")}
    unseen = set(images)
    result = CliRunner().invoke(cli, ["export", "warc", str(tmp_path / "old.warc.gz"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "; rebuilt (not kept by the archive): date of " in result.stderr
    pages = stored_pages(db)
    for kind, warc, http, body in records(tmp_path / "old.warc.gz"):
        if kind == "response" and warc.get_header("WARC-Target-URI") in pages:
            page = pages[warc.get_header("WARC-Target-URI")]
            assert warc.get_header(REBUILT) == "headers, date" and body == page["body"]
            assert http.get_header("Content-Type") == page["content_type"]
            assert http.get_header("Content-Length") == str(len(body))
        elif kind == "response" and warc.get_header("WARC-Target-URI") in images:
            unseen.discard(warc.get_header("WARC-Target-URI"))
            assert warc.get_header(REBUILT) == "headers, date"
            assert http.get_header("Content-Type") in ("image/png", "image/gif"), http.get_header("Content-Type")
    assert unseen == set()
    checked = subprocess.run([str(BIN / "warcio"), "check", str(tmp_path / "old.warc.gz")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:]


def test_an_edited_posts_earlier_copy_replays_at_its_own_date(crawled, pywb):
    (body, received_at), = sqlite_utils.Database(crawled["db"]).execute(
        "SELECT html, received_at FROM page_copies WHERE url = ?", [crawled["edited"]]).fetchall()
    earlier, now = zlib.decompress(body), stored_pages(crawled["db"])[crawled["edited"]]
    assert b"(modifi" not in earlier and "(modifié)".encode() in now["body"]
    dates = [h.get_header("WARC-Date") for kind, h, _, _ in records(crawled["warc"])
             if kind == "response" and h.get_header("WARC-Target-URI") == crawled["edited"]]
    assert dates == [warc_date(now["at"]), warc_date(received_at)]
    assert pywb(crawled["edited"], stamp(received_at))[::2] == (200, earlier)
    assert pywb(crawled["edited"], stamp(now["at"]))[::2] == (200, now["body"])
