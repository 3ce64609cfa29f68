"""The WACZ export opened in ReplayWeb.page (the npm package `make test` installs) in headless Chromium, everything
served on 127.0.0.1: a post's permalink replays from the WACZ with its title, and no request leaves the server."""

from __future__ import annotations

import gzip
import json
import re
import sys
import zipfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from browser import PageLog
from conftest import FIXTURES
from local_servers import tiny_server

REPLAYWEBPAGE = Path(sys.prefix) / "replaywebpage" / "node_modules" / "replaywebpage"  # make replaywebpage
PAGES = FIXTURES / "replaywebpage"
REPLAY_SECONDS = 10
# What ReplayWeb.page's service worker answers 404 and rightly so: the collection asked for before the archive is
# loaded, and a page's resource that the archive does not hold (the replica's stylesheet: the crawl keeps no CSS).
COLLECTION_PROBE = re.compile(r"/replay/w/api/c/[\w-]+\?all=1$")
REPLAYED_URL = re.compile(r"/replay/w/[\w-]+/(?::\w+/)?\d{14}\w*_/(.+)$")
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wacz": "application/wacz+zip"}


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range: bytes=...` header asks of `size` bytes; None for the whole file; ValueError
    when the range cannot be satisfied (a suffix longer than the file is the whole file)."""
    if header is None:
        return None
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not match or match[1] == match[2] == "":
        raise ValueError(header)
    if match[1] == "":
        return max(size - int(match[2]), 0), size - 1
    first, last = int(match[1]), min(int(match[2] or size - 1), size - 1)
    if first > last:
        raise ValueError(header)
    return first, last


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("bytes=0-", (0, 99)), ("bytes=10-19", (10, 19)), ("bytes=90-200", (90, 99)),
    ("bytes=-10", (90, 99)), ("bytes=-65558", (0, 99)),
])
def test_the_server_answers_the_ranges_replaywebpage_asks(header, expected):
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=20-10", "bytes=-", "items=0-1"])
def test_the_server_refuses_a_range_it_cannot_satisfy(header):
    with pytest.raises(ValueError):
        byte_range(header, 100)


def replay_files(wacz: Path) -> dict[str, Path]:
    """What the server serves at each path: the embedding page, ReplayWeb.page's ui.js and sw.js, the WACZ."""
    for name in ("ui.js", "sw.js"):
        if not (REPLAYWEBPAGE / name).is_file():
            pytest.fail(f"{REPLAYWEBPAGE / name} is missing: `make test` (or `make replaywebpage`) installs it")
    app = PAGES / "replay" / "index.html"
    return {"/index.html": PAGES / "index.html", "/ui.js": REPLAYWEBPAGE / "ui.js", "/replay/": app,
            "/replay/index.html": app, "/replay/ui.js": REPLAYWEBPAGE / "ui.js",
            "/replay/sw.js": REPLAYWEBPAGE / "sw.js", "/archive.wacz": wacz}


def file_server(files: dict[str, Path], seen: list[tuple[str, str]]) -> type[BaseHTTPRequestHandler]:
    """A handler serving `files` by path (query strings ignored), with byte ranges; it notes each request and the
    status it got in `seen`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.answer(body=True)

        def do_HEAD(self) -> None:
            self.answer(body=False)

        def answer(self, body: bool) -> None:
            path = files.get(urlsplit(self.path).path)
            data = path.read_bytes() if path else b""
            try:
                span = byte_range(self.headers["Range"], len(data)) if path else None
            except ValueError:
                return self.reply(416, b"", [("Content-Range", f"bytes */{len(data)}")], body)
            if path is None:
                return self.reply(404, b"not served here\n", [("Content-Type", "text/plain")], body)
            headers = [("Content-Type", TYPES[path.suffix]), ("Accept-Ranges", "bytes"), ("Cache-Control", "no-store")]
            if span is None:
                return self.reply(200, data, headers, body)
            first, last = span
            self.reply(206, data[first:last + 1], [*headers, ("Content-Range", f"bytes {first}-{last}/{len(data)}")], body)

        def reply(self, status: int, data: bytes, headers: list[tuple[str, str]], body: bool) -> None:
            seen.append((f"{self.command} {self.path} {self.headers['Range'] or ''}".strip(), str(status)))
            self.send_response(status)
            for name, value in [*headers, ("Content-Length", str(len(data)))]:
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler


def not_archived(error: str, archived: set[str]) -> bool:
    """Whether a 404 is the service worker's for a replayed URL that the archive does not hold."""
    match = REPLAYED_URL.search(error)
    return error.startswith("404 ") and match is not None and match[1] not in archived


def replay_frame(page, url: str):
    """The frame in which ReplayWeb.page shows its replay of `url` (inside its own frame, in shadow DOM), or None."""
    return next((frame for frame in page.frames if frame.url.endswith(f"mp_/{url}")), None)


def replayed_text(page, url: str, expected: str) -> tuple[str, str]:
    """The replayed page's URL and text once the text holds `expected` (or whatever it shows when time is up)."""
    deadline, shown = time.monotonic() + REPLAY_SECONDS, ("", "")
    while time.monotonic() < deadline:
        frame = replay_frame(page, url)
        if frame is not None:
            try:
                shown = (frame.url, " ".join(frame.locator("body").inner_text(timeout=1000).split()))
            except Exception as error:  # the frame navigated or was replaced meanwhile: look again
                shown = (frame.url, f"({type(error).__name__})")
            if expected in shown[1]:
                break
        page.wait_for_timeout(100)
    return shown


def interim_wacz(db: Path, out: Path) -> Path:
    """The posts' stored pages as a WACZ, written with warcio and the wacz library, until `archiver export wacz`."""
    import io
    import subprocess
    import zlib

    import sqlite_utils
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rows = list(sqlite_utils.Database(db).query(
        "SELECT p.url, p.content_type, p.fetched_at, p.html, posts.title, posts.id FROM posts JOIN pages p ON p.url = posts.url"))
    warc = out.with_suffix(".warc.gz")
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for row in rows:
            body = zlib.decompress(row["html"])
            headers = StatusAndHeaders("200 OK", [("Content-Type", row["content_type"]), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(row["url"], "response", payload=io.BytesIO(body), http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": row["fetched_at"].replace("+00:00", "Z")}))
    pages = out.with_name("pages.jsonl")
    pages.write_text("\n".join(json.dumps(line) for line in [{"format": "json-pages-1.0", "id": "pages", "title": "Posts"}, *(
        {"id": row["id"], "url": row["url"], "ts": row["fetched_at"].replace("+00:00", "Z"), "title": row["title"]} for row in rows)]) + "\n")
    subprocess.run([str(Path(sys.executable).with_name("wacz")), "create", "-o", str(out), str(warc), "-p", str(pages)], check=True, capture_output=True)
    return out


def wacz_urls(wacz: Path) -> set[str]:
    """The URLs a WACZ's CDXJ indexes hold (plain or gzipped, as the wacz library writes them)."""
    with zipfile.ZipFile(wacz) as package:
        indexes = [package.read(name) for name in package.namelist() if re.fullmatch(r"indexes/.+\.cdxj?(\.gz)?", name)]
    lines = b"".join(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data for data in indexes).decode().splitlines()
    return {json.loads(line.split(" ", 2)[2])["url"] for line in lines if line.strip()}


@pytest.fixture(scope="module")
def archive(one_page_crawl, tmp_path_factory) -> tuple[Path, dict, set[str]]:
    """The WACZ of the one-page category's crawl (4 posts), the post to replay (one with accents in its title) and
    the URLs the WACZ holds."""
    assert one_page_crawl.result.returncode == 0, one_page_crawl.result.stderr
    wacz = interim_wacz(one_page_crawl.db, tmp_path_factory.mktemp("wacz") / "archive.wacz")
    archived = wacz_urls(wacz)
    post = next(post for post in one_page_crawl.truth if post["url"] in archived and not post["title"].isascii())
    return wacz, post, archived


@pytest.fixture
def replay_page(browser):
    """A page in a fresh context (so a fresh service worker) whose requests stay on 127.0.0.1's replay server: any
    other is aborted before it leaves, and recorded in the `PageLog`, with every answer of status 400 or more."""
    context = browser.new_context()
    context.set_default_timeout(REPLAY_SECONDS * 1000)
    log, errors = PageLog(), []
    log.watch(context)
    context.on("response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"))
    yield context, log, errors
    context.close()


def test_a_post_replays_from_the_wacz_in_replaywebpage_with_its_title(replay_page, archive):
    wacz, post, archived = archive
    context, log, errors = replay_page
    seen: list[tuple[str, str]] = []
    with tiny_server(file_server(replay_files(wacz), seen)) as base:
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort("blockedbyclient"))
        page = context.new_page()
        page.goto(f"{base}index.html#url={quote(post['url'], safe=':/')}")
        where, text = replayed_text(page, post["url"], post["title"])
        assert post["title"] in text, f"not replayed in {REPLAY_SECONDS} s: {where or [f.url for f in page.frames]} shows {text[:300]!r}\n" \
                                      f"console errors: {log.console_errors}\npage errors: {log.page_errors}\nserved: {seen}"
    assert [url for url in log.requests if not url.startswith(base)] == []
    assert log.page_errors == []
    assert [error for error in errors if not (COLLECTION_PROBE.search(error) or not_archived(error, archived))] == []
    assert any(request.startswith("GET /archive.wacz bytes=") and status == "206" for request, status in seen), seen
