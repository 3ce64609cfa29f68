"""`archiver crawl --warc-dir DIR`: every response of the crawl written as it arrives into WARC files rolled at
--warc-size, that warcio checks; the next run writes files of its own; a bad --warc-dir or --warc-size is refused
before the crawl; a response the capture could not write is a named loss of the run (exit 4), never silent."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archiver import __version__
from archiver.cli import cli
from archiver.crawl.run_settings import parse_size
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archiver.extensions.warc_capture import WarcCapture, exchange_records, warcinfo_bytes
from archiver.replica import ReplicaServer, build_site
from archiver.replica.server import ReplicaHandler
from archiver.warc.records import REBUILT, warc_date
from archiver.warc.rolling import WarcFiles
from conftest import LOCAL, run_archiver

CATEGORY = "/relations-mozambique-russie/"  # 5 posts, one with an image (and the page's two pictos)
GONE = "/archive/2018/02/16/centrafrique-pekin-multiplie-des-exercices-militaires-6361100.html"  # one of the 5
SIZE = "8K"
IMAGES = ("-s", "ARCHIVER_MEDIA_HOSTS=localhost")
GZIPPED = "/archive/2020/05/14/la-cedeao-a-signe-la-securite-du-pays-passe-avant-tout-6361693.html"  # another
NAME = re.compile(r"archive-(\d+)-(\d{14})-(\d{5})\.warc\.gz")


class GzipHandler(ReplicaHandler):
    """The replica's handler, answering GZIPPED gzip-encoded to a client that accepts it."""

    def send(self, status: int, headers: dict[str, str], body: bytes, head_only: bool) -> None:
        if status == 200 and self.path == GZIPPED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, headers = gzip.compress(body, mtime=0), {**headers, "Content-Encoding": "gzip"}
        super().send(status, headers, body, head_only)


@dataclass
class Record:
    file: str
    type: str
    uri: str
    headers: dict[str, str]  # the WARC headers
    status: int | None
    http: list[tuple[str, str]]
    body: bytes


def read_records(files: list[Path]) -> list[Record]:
    """Every record of the files, in order, with its payload as the replay would give it."""
    found = []
    for path in files:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                http = record.http_headers
                status = int(http.get_statuscode()) if http is not None and record.rec_type != "request" else None
                found.append(Record(path.name, record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                                    dict(record.rec_headers.headers), status, list(http.headers) if http else [],
                                    record.content_stream().read()))
    return found


def run_files(folder: Path, run_id: int) -> list[Path]:
    return sorted(path for path in folder.iterdir() if (match := NAME.fullmatch(path.name)) and int(match[1]) == run_id)


def run_stats(db: Path, run_id: int) -> dict:
    with closing(sqlite3.connect(db)) as connection:
        return json.loads(connection.execute("SELECT stats FROM crawl_runs WHERE id = ?", [run_id]).fetchone()[0])


@dataclass
class Capture:
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    first_digests: dict[str, str]  # file name -> sha1, right after the first run
    folder: Path
    db: Path
    base_url: str


@pytest.fixture(scope="module")
def capture(tmp_path_factory) -> Capture:
    """The image replica's smallest category crawled twice into one archive and one --warc-dir: a first crawl, then
    a --revalidate (304s) once one of its posts is gone (404)."""
    root = tmp_path_factory.mktemp("warc-capture")
    site = build_site(root / "site", images=True).root
    folder, db = root / "warc" / "new", root / "archive.db"  # the folder does not exist yet
    with ReplicaServer(site) as server:
        server._httpd.RequestHandlerClass = GzipHandler
        crawl = lambda *extra: run_archiver("crawl", *extra, "--db", str(db), *LOCAL, *IMAGES,  # noqa: E731
                                            "--warc-dir", str(folder), "--warc-size", SIZE)
        first = crawl(server.base_url + CATEGORY)
        digests = {path.name: hashlib.sha1(path.read_bytes()).hexdigest() for path in folder.iterdir()}
        (site / GONE.lstrip("/")).unlink()
        second = crawl(server.base_url + CATEGORY, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1")
    return Capture(first, second, digests, folder, db, server.base_url)


def test_warcio_check_accepts_every_file_the_crawls_wrote(capture):
    assert capture.first.returncode == 0, capture.first.stderr
    files = sorted(capture.folder.iterdir())
    assert files and all(NAME.fullmatch(path.name) for path in files), files  # no `.open` left, no other file
    checked = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", "-v", *map(str, files)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("digest pass") > 2 * len(files)


def test_each_response_the_crawl_received_is_one_response_record_with_its_request(capture):
    records = read_records(run_files(capture.folder, 1))
    responses = [record for record in records if record.type == "response"]
    assert len(responses) == run_stats(capture.db, 1)["response_received_count"]  # robots.txt, feed, pages, images
    requests = {record.headers["WARC-Concurrent-To"]: record for record in records if record.type == "request"}
    assert len(requests) == len(responses)
    for response in responses:
        request = requests[response.headers["WARC-Record-ID"]]
        assert (request.uri, request.headers["WARC-Date"]) == (response.uri, response.headers["WARC-Date"])
    uris = {record.uri for record in responses}
    assert {f"{capture.base_url}/robots.txt", capture.base_url + CATEGORY} <= uris
    assert any("/media/" in uri for uri in uris)  # the images the media pipeline downloads pass through too


def test_each_page_is_captured_with_the_exact_bytes_the_archive_stored(capture):
    with closing(sqlite3.connect(capture.db)) as connection:
        stored = {url: zlib.decompress(html) for url, html in connection.execute(
            "SELECT url, html FROM pages WHERE status BETWEEN 200 AND 299")}  # the second run's 304s kept them
    captured = {record.uri: record for record in read_records(run_files(capture.folder, 1)) if record.type == "response"}
    assert len(stored) >= 7
    for url, body in stored.items():
        record = captured[url]
        assert record.body == body, url
        lengths = [value for name, value in record.http if name.lower() == "content-length"]
        assert lengths == [str(len(body))], url  # the decompressed body's, whatever the server sent
        assert not [name for name, _ in record.http if name.lower() in ("content-encoding", "transfer-encoding")]


def test_files_roll_at_the_size_each_beginning_with_its_warcinfo(capture):
    files = run_files(capture.folder, 1)
    assert [int(NAME.fullmatch(path.name)[3]) for path in files] == list(range(1, len(files) + 1))
    assert len(files) >= 3, files
    assert all(path.stat().st_size >= 8 * 1024 for path in files[:-1])  # rolled once past the size, not before
    assert len({NAME.fullmatch(path.name)[2] for path in files}) == 1  # the run's start, in each name
    for path in files:
        first, *others = read_records([path])
        fields = dict(line.split(": ", 1) for line in first.body.decode().splitlines())
        assert first.type == "warcinfo" and first.headers["WARC-Filename"] == path.name
        assert fields["software"] == f"blog-archiver/{__version__}"
        assert (fields["run-id"], fields["start-urls"]) == ("1", capture.base_url + CATEGORY)
        assert fields["blog"] == capture.base_url + "/"
        assert others and all(record.type != "warcinfo" for record in others)


def test_the_summary_says_how_many_files_and_where(capture):
    lines = [line for line in capture.first.stdout.splitlines() if line.startswith("WARC:")]
    count = len(run_files(capture.folder, 1))
    assert lines == [f"WARC: {count} files, {lines[0].split(', ')[1].split(' in ')[0]} in {capture.folder}"], capture.first.stdout
    size = sum(path.stat().st_size for path in run_files(capture.folder, 1))
    assert lines[0].split(", ")[1].startswith(f"{size / 1e3:.1f} kB")


def test_the_next_run_writes_files_of_its_own_and_leaves_the_earlier_ones_alone(capture):
    assert capture.second.returncode == 0, capture.second.stderr
    assert {path.name: hashlib.sha1(path.read_bytes()).hexdigest() for path in run_files(capture.folder, 1)} == capture.first_digests
    second = read_records(run_files(capture.folder, 2))
    assert second[0].type == "warcinfo"
    statuses = {record.uri: record.status for record in second if record.type in ("response", "revisit")}
    assert statuses[capture.base_url + GONE] == 404
    assert len(statuses) == run_stats(capture.db, 2)["response_received_count"]


def test_a_gzip_encoded_page_is_captured_decoded_with_the_headers_received(capture):
    with closing(sqlite3.connect(capture.db)) as connection:
        html, received_at, headers = connection.execute("SELECT html, received_at, headers FROM pages WHERE url = ?",
                                                        [capture.base_url + GZIPPED]).fetchone()
    assert ["Content-Encoding", "gzip"] in json.loads(headers)
    [record] = [record for record in read_records(run_files(capture.folder, 1))
                if record.type == "response" and record.uri == capture.base_url + GZIPPED]
    assert record.body == zlib.decompress(html) and record.body.startswith(b"<!DOCTYPE html")
    assert ("X-Archive-Orig-Content-Encoding", "gzip") in record.http
    assert ("Content-Length", str(len(record.body))) in record.http
    assert record.headers["WARC-Date"] == warc_date(received_at)  # the exchange the archive kept: one time, to the µs
    assert REBUILT not in record.headers


def test_a_304_is_a_revisit_of_the_copy_it_confirmed_that_replays_it(capture):
    """A 304 whose stored copy has its time (received_at) is a revisit record: the copy's 200 headers, its payload
    digest, WARC-Refers-To-Date the time of the copy's own response record, written by the first run."""
    first = {record.uri: record for record in read_records(run_files(capture.folder, 1)) if record.type == "response"}
    revisits = [record for record in read_records(run_files(capture.folder, 2)) if record.type == "revisit"]
    assert len(revisits) == run_stats(capture.db, 2)["downloader/response_status_count/304"] >= 4
    with closing(sqlite3.connect(capture.db)) as connection:
        times = dict(connection.execute("SELECT url, received_at FROM page_revisits WHERE run_id = 2"))
    for revisit in revisits:
        original = first[revisit.uri]
        assert revisit.headers["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
        assert revisit.headers["WARC-Refers-To-Target-URI"] == revisit.uri
        assert revisit.headers["WARC-Refers-To-Date"] == original.headers["WARC-Date"]
        assert revisit.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        assert revisit.status == 200 and revisit.body == b""  # the copy's status line, no body of its own
        assert revisit.headers["WARC-Date"] == warc_date(times[revisit.uri])


def test_a_304_whose_copy_has_no_time_is_kept_as_received_and_headers_rebuilt_say_so():
    """Without the stored copy's time (a row kept before schema 11) a 304 is a response record of the 304 as it
    came; without the exchange the middleware records, the headers are Scrapy's, and the record says "rebuilt"."""
    url = "http://blog.invalid/archive/2022/02/04/x-1.html"
    request = Request(url, meta={"download_latency": 0.01})
    old_copy = {"url": url, "status": 200, "body": b"<html>", "exchange": None, "fetched_at": "2025-01-01T00:00:00+00:00"}
    records, kind = exchange_records(Response(url, status=304, headers={"ETag": '"a"'}, request=request), request, old_copy)
    response, sent = records
    assert (kind, response.rec_type, response.http_headers.get_statuscode()) == ("responses", "response", "304")
    assert response.rec_headers.get_header(REBUILT) == "headers" and sent.rec_type == "request"
    assert response.http_headers.get_header("ETag") == '"a"'


def test_a_bad_warc_dir_is_refused_before_the_crawl_with_one_error_line(tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--warc-dir", str(taken))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"Error: cannot write WARC files in {taken} (--warc-dir): File exists"]
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("size, expected", [("100M", 100 * 2**20), ("1G", 2**30), ("1.5G", 3 * 2**29), ("500k", 500 * 1024),
                                            ("2GB", 2 * 2**30), ("4096", 4096)])
def test_a_warc_size_is_bytes_or_a_number_with_its_unit(size, expected):
    assert parse_size(size) == expected


@pytest.mark.parametrize("size, why", [("0", "outside 1K..1T"), ("5T", "outside 1K..1T"), ("big", "is not a size")])
def test_an_absurd_warc_size_is_a_usage_error(size, why, tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"),
                                      "--warc-dir", str(tmp_path / "w"), "--warc-size", size])
    assert result.exit_code == 2 and why in result.output, result.output
    assert not (tmp_path / "w").exists()


def test_a_bad_warc_size_setting_is_a_configuration_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", "ARCHIVER_WARC_SIZE=big"])
    assert result.exit_code == 7, result.output
    assert "Configuration error: setting ARCHIVER_WARC_SIZE: 'big' is not a size" in result.output


def test_warc_size_alone_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--warc-size", "1G"])
    assert result.exit_code == 2 and "--warc-size goes with --warc-dir" in result.output, result.output


def test_a_capture_that_cannot_be_written_is_a_named_loss_of_the_run(tmp_path):
    """The folder removed while the crawl runs (each page a file of its own, a page every 0.1 s): every response
    after is named as lost, the run exits 4 and is recorded partial; the archive itself has every post."""
    site = build_site(tmp_path / "site").root
    folder = tmp_path / "warc"
    removed = threading.Event()

    def remove_once_written():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (folder.is_dir() and any(folder.glob("*.warc.gz"))):
            time.sleep(0.002)
        shutil.rmtree(folder, ignore_errors=True)
        removed.set()

    with ReplicaServer(site) as server:
        watcher = threading.Thread(target=remove_once_written, daemon=True)
        watcher.start()
        result = run_archiver("crawl", server.base_url + "/relations-mali-russie/", "--db", str(tmp_path / "a.db"), *LOCAL,
                              "-s", "DOWNLOAD_DELAY=0.1", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
                              "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--warc-dir", str(folder), "--warc-size", "1K")
        watcher.join()
    assert removed.is_set()
    assert result.returncode == 4, result.stdout + result.stderr
    lost = [line for line in result.stdout.splitlines() if line.startswith("INCOMPLETE") and "WARC" in line]
    assert len(lost) >= 3, result.stdout  # of the category page, its feed, its 4 posts: all after robots.txt's file
    stats = run_stats(tmp_path / "a.db", 1)
    assert stats["warc/responses"] + stats["warc/write_errors"] == stats["response_received_count"]  # none unaccounted
    assert stats["warc/write_errors"] == len(lost)
    assert all(f"not written to the WARC files in {folder}: No such file or directory" in line for line in lost)
    assert re.search(r"^WARC: \d+ files?, .* in .*; \d+ responses NOT WRITTEN", result.stdout, re.M), result.stdout
    with closing(sqlite3.connect(tmp_path / "a.db")) as connection:
        assert connection.execute("SELECT status FROM crawl_runs").fetchone()[0] == "partial"
        assert connection.execute("SELECT count(*) FROM crawl_failures WHERE kind = 'warc'").fetchone()[0] == len(lost)
        assert connection.execute("SELECT count(*) FROM posts").fetchone()[0] == 4


def test_a_killed_crawl_leaves_its_file_open_with_whole_records_and_the_next_never_appends(tmp_path):
    """What a SIGKILL leaves: the file never closed keeps its `.open` name and every record written before (each
    written whole and flushed); a new WarcFiles (the next run) starts a file of its own."""
    info = lambda name: warcinfo_bytes(name, 1, ["http://blog.invalid/"])  # noqa: E731
    files = WarcFiles(tmp_path, "archive-1-20260101000000", 10**6, info)
    record = warcinfo_bytes("x", 1, [])  # any whole gzip member stands for an exchange here
    for _ in range(3):
        files.write(record)
    left = tmp_path / "archive-1-20260101000000-00001.warc.gz.open"
    assert [path.name for path in tmp_path.iterdir()] == [left.name]
    assert len(read_records([left])) == 4  # its warcinfo and the three
    again = WarcFiles(tmp_path, "archive-2-20260101000100", 10**6, info)
    again.write(record)
    again.close()
    assert len(read_records([left])) == 4
    assert sorted(path.name for path in tmp_path.iterdir()) == [left.name, "archive-2-20260101000100-00001.warc.gz"]


def test_a_response_that_arrives_after_the_close_is_written_to_a_file_closed_at_once(tmp_path):
    """The second Ctrl-C closes the capture before the reactor stops; a response still in flight then is written
    whole into a file of its own, closed at once: none is left `.open`, none is lost."""
    settings = {"ARCHIVER_WARC_DIR": str(tmp_path / "w"), "ARCHIVER_WARC_SIZE": "1G", "ARCHIVE_DB": str(tmp_path / "archive.db")}
    capture = WarcCapture.from_crawler(get_crawler(settings_dict=settings))
    capture.spider_opened()
    capture.spider_closed()
    url = "http://blog.invalid/archive/2022/02/04/x-1.html"
    request = Request(url)
    capture.response_received(HtmlResponse(url, body=b"<html>late</html>", request=request), request)
    [file] = (tmp_path / "w").iterdir()
    assert NAME.fullmatch(file.name)
    assert [(record.type, record.uri) for record in read_records([file])][1:] == [("response", url), ("request", url)]
