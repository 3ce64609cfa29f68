"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright, every page watched.

`launch(playwright)` starts Debian's Chromium (never a browser downloaded by `playwright install`) with the
flags this closed network needs; Playwright's `launch()` gives it a fresh, temporary profile of its own
(it refuses a `--user-data-dir` flag). `open_page(browser)` opens a page in a new context and returns it
with a `PageLog` that records, for that context and any popup it opens: console messages of type error,
uncaught page errors, dialogs (dismissed at once), every request URL and every failed request.
`assert_clean(log, root)` then asserts that none of these went wrong and that every request was a
file:// URL inside `root` (a `data:` URL never makes a request event, so it needs no allowance).
Requests that are not file:// are aborted by a route before they leave the machine, but still recorded.

What Chromium 156 and Playwright 1.65 report under file:// (checked by tests/test_browser_harness.py):
- An image, script or stylesheet blocked by the page's CSP still fires a `request` event, then
  `requestfailed` with failure "csp", and a console error "Loading the image '...' violates the following
  Content Security Policy directive ...": it is caught as a request leaving the directory.
- A frame blocked by CSP fires no request at all, only a console error ("Framing '...' violates ...").
- Inline script, an inline event handler (onerror=), a style attribute and a javascript: link that CSP
  blocks fire no request: each is a console error ("Executing inline script violates ...", "Running the
  JavaScript URL violates ..."). Without a CSP they run, and alert() is a dialog. So a page that carries
  hostile markup is never clean, CSP or not: the exporter must remove it, CSP is the second line.
- 'self' on a file:// page matches every file: URL, not only the export directory: the CSP cannot
  confine reads to the directory; `assert_clean` does. "default-src 'none'; script-src 'self';
  style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'" loads ./assets/reader.js,
  ./assets/reader.css and local images, and forbids everything else ("file:" in place of 'self' works too).
  frame-ancestors must not be in a <meta> CSP: Chromium ignores it there with a console error.
- fetch() of a local file fails under file:// ("blocked by CORS policy", TypeError: Failed to fetch), so
  data such as a search index must be a .js file that assigns a global, loaded by <script src>.
- A missing local file (a broken image) is a failed request (net::ERR_FILE_NOT_FOUND) and a console error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000
# A request aborted because the page went elsewhere meanwhile: not a fault of the page.
HARMLESS_FAILURES = ("(net::ERR_ABORTED)",)


@dataclass
class PageLog:
    """What went on in one browser context: errors, dialogs and requests, in order."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        """Record the context's events from now on; dismiss its dialogs."""
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))
        context.on("dialog", self._on_dialog)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("requestfailed", lambda request: self.failed_requests.append(f"{request.url} ({request.failure})"))

    def clear(self) -> None:
        """Forget everything recorded so far (to check one step at a time)."""
        for entries in (self.console_errors, self.page_errors, self.dialogs, self.requests, self.failed_requests):
            entries.clear()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


def launch(playwright):
    """Debian's Chromium, headless, with a fresh profile and no background networking."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` (or `make browser`) installs Debian's chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)


def open_page(browser):
    """A new page in its own context, and the `PageLog` that records what happens in it."""
    log = PageLog()
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", _keep_on_machine)
    log.watch(context)
    return context.new_page(), log


def _keep_on_machine(route) -> None:
    """Let file:// requests through; abort any other before it leaves (it is still recorded)."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def leaving_requests(log: PageLog, allowed_root: Path) -> list[str]:
    """The requested URLs that are not file:// URLs inside `allowed_root`."""
    root = allowed_root.resolve()
    return [url for url in log.requests if not _inside(url, root)]


def _inside(url: str, root: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    return _file_path(url).is_relative_to(root)


def _file_path(url: str) -> Path:
    return Path(url2pathname(urlsplit(url).path)).resolve()


def assert_clean(log: PageLog, allowed_root: Path) -> None:
    """No console error, page error, dialog or failed request, and no request outside `allowed_root`."""
    problems = {
        "console errors": log.console_errors,
        "page errors": log.page_errors,
        "dialogs": log.dialogs,
        "failed requests": [entry for entry in log.failed_requests if not entry.endswith(HARMLESS_FAILURES)],
        f"requests leaving {allowed_root}": leaving_requests(log, allowed_root),
    }
    found = {kind: entries for kind, entries in problems.items() if entries}
    assert not found, "the page is not clean:\n" + "\n".join(f"  {kind}: {entries}" for kind, entries in found.items())


def broken_images(page) -> list[str]:
    """The sources of the page's images that did not load (incomplete or of zero width)."""
    return page.evaluate("() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")


def dead_links(page, root: Path) -> list[str]:
    """The page's file:// links that lead outside `root` or to no file (links to other schemes are not checked)."""
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.href)")
    inside = root.resolve()
    return [href for href in hrefs if urlsplit(href).scheme == "file"
            and not (_inside(href, inside) and _file_path(href).is_file())]


def screenshot(page, directory: Path, name: str, full_page: bool = True) -> Path:
    """A PNG of the whole page (or of the window only: `full_page=False`), written as DIRECTORY/NAME.png (the test's tmp_path)."""
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 0, f"empty screenshot {path}"
    return path
