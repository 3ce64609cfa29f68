"""The WACZ export opened in ReplayWeb.page (the npm package `make test` installs) in headless Chromium, everything
served on 127.0.0.1: a post's permalink replays from the WACZ with its title, and no request leaves the server."""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from browser import PageLog
from conftest import FIXTURES, export_records, run_archiver
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
            except PlaywrightError as error:  # the frame navigated or was replaced meanwhile: look again
                shown = (frame.url, f"({type(error).__name__})")
            if expected in shown[1]:
                break
        page.wait_for_timeout(100)
    return shown


def listed_pages(page, replayed: str) -> list[tuple[str, str]]:
    """The pages (URL, title) that ReplayWeb.page lists for the archive shown in the frame at `replayed`: what it read
    from the WACZ's pages/pages.jsonl, as its service worker's API gives them to its app frame."""
    collection = re.search(r"/replay/w/([\w-]+)/", replayed)[1]
    app = next(frame for frame in page.frames if "/replay/?source=" in frame.url)
    found = app.evaluate("collection => fetch(`w/api/c/${collection}?all=1`).then(answer => answer.json())", collection)
    return sorted((listed["url"], listed["title"]) for listed in found["pages"])


def wacz_urls(wacz: Path) -> set[str]:
    """The URLs a WACZ's CDXJ indexes hold (plain or gzipped, as the wacz library writes them)."""
    with zipfile.ZipFile(wacz) as package:
        indexes = [package.read(name) for name in package.namelist() if re.fullmatch(r"indexes/.+\.cdxj?(\.gz)?", name)]
    lines = b"".join(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data for data in indexes).decode().splitlines()
    return {json.loads(line.split(" ", 2)[2])["url"] for line in lines if line.strip()}


@dataclass
class Archive:
    """A WACZ export, the URLs its indexes hold, the archive's posts (their ground truth) and the one to replay."""

    wacz: Path
    urls: set[str]
    posts: list[dict]
    post: dict


@pytest.fixture(scope="module")
def archive(one_page_crawl, tmp_path_factory) -> Archive:
    """The WACZ of the one-page category's crawl (4 posts); the post to replay has accents in its title."""
    assert one_page_crawl.result.returncode == 0, one_page_crawl.result.stderr
    wacz = tmp_path_factory.mktemp("wacz") / "archive.wacz"
    result = run_archiver("export", "wacz", str(wacz), "--db", str(one_page_crawl.db))
    assert result.returncode == 0, result.stderr
    truth = one_page_crawl.truth_by_id()
    posts = [truth[record["id"]] for record in export_records(one_page_crawl.db)]  # URLs and titles as the replica has them
    return Archive(wacz, wacz_urls(wacz), posts, next(post for post in posts if not post["title"].isascii()))


@dataclass
class Replay:
    """The replay server's address and what it served; the browser page, what happened in it, its answers >= 400."""

    base: str
    seen: list[tuple[str, str]]
    page: object
    log: PageLog
    errors: list[str]

    def leaving(self) -> list[str]:
        """The requested URLs that were not the replay server's."""
        return [url for url in self.log.requests if not url.startswith(self.base)]


@pytest.fixture
def replay(browser, archive) -> Replay:
    """The replay server on 127.0.0.1 and a page in a fresh browser context (so a fresh service worker) whose requests
    go to that server only: any other is aborted before it leaves, and recorded."""
    seen: list[tuple[str, str]] = []
    with tiny_server(file_server(replay_files(archive.wacz), seen)) as base:
        context = browser.new_context()
        context.set_default_timeout(REPLAY_SECONDS * 1000)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort("blockedbyclient"))
        log, errors = PageLog(), []
        log.watch(context)
        context.on("response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"))
        yield Replay(base, seen, context.new_page(), log, errors)
        context.close()


def test_a_post_replays_from_the_wacz_in_replaywebpage_with_its_title(replay, archive):
    post = archive.post
    replay.page.goto(f"{replay.base}index.html#url={quote(post['url'], safe=':/')}")
    where, text = replayed_text(replay.page, post["url"], post["title"])
    assert post["title"] in text, (f"not replayed in {REPLAY_SECONDS} s: {where or [f.url for f in replay.page.frames]} "
                                   f"shows {text[:300]!r}\nconsole errors: {replay.log.console_errors}\n"
                                   f"page errors: {replay.log.page_errors}\nserved: {replay.seen}")
    assert listed_pages(replay.page, where) == sorted((post["url"], post["title"]) for post in archive.posts)
    assert replay.leaving() == []
    assert replay.log.page_errors == []
    assert [error for error in replay.errors if not (COLLECTION_PROBE.search(error) or not_archived(error, archive.urls))] == []
    assert any(asked.startswith("GET /archive.wacz bytes=") and status == "206" for asked, status in replay.seen), replay.seen


def test_a_request_for_another_address_is_stopped_and_listed(replay):
    # the check above has something to check: what a replayed page asks of the network never leaves the machine
    replay.page.goto(f"{replay.base}index.html")
    replay.page.evaluate("() => fetch('http://127.0.0.2:9/elsewhere').catch(() => null)")
    assert replay.leaving() == ["http://127.0.0.2:9/elsewhere"]
    blocked = [entry for entry in replay.log.failed_requests if "(net::ERR_BLOCKED_BY_CLIENT" in entry]  # ".Inspector"
    assert [entry.split(" ")[0] for entry in blocked] == ["http://127.0.0.2:9/elsewhere"]
