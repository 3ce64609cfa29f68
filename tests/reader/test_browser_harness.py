"""The browser harness on hand-written pages: what it catches, and what Chromium does with CSP under file://."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from browser import assert_clean, broken_images, dead_links, leaving_requests, screenshot

# The CSP we recommend to the HTML reader: its own script, stylesheet and images, nothing else.
READER_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
REMOTE_IMAGE = "http://198.51.100.1/x.png"  # TEST-NET-2: aborted by the harness before it leaves


@pytest.fixture
def site(tmp_path) -> Path:
    """An export-like directory: assets/reader.js, assets/reader.css, assets/search-index.js, a picture."""
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "reader.js").write_text("window.READER_RAN = true;\n")
    (root / "assets" / "reader.css").write_text("body { background-color: rgb(1, 2, 3); }\n")
    (root / "assets" / "search-index.js").write_text('window.SEARCH_INDEX = [{"title": "Été"}];\n')
    (root / "assets" / "data.json").write_text('[{"title": "Été"}]\n')
    (root / "pixel.png").write_bytes(PIXEL)
    return root


def write_page(root: Path, body: str, csp: str | None = READER_CSP, name: str = "page.html") -> str:
    """Write a page that loads the reader's script and stylesheet under `csp`; return its file:// URL."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' if csp else ""
    head = f'<meta charset="utf-8">{meta}<link rel="stylesheet" href="assets/reader.css"><script src="assets/reader.js"></script>'
    path = root / name
    path.write_text(f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>", encoding="utf-8")
    return path.as_uri()


def reader_state(page) -> dict:
    return page.evaluate("""() => ({script: window.READER_RAN === true, inline: window.INLINE === true,
        style: getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'})""")


def test_a_clean_page_passes(page, page_log, site, tmp_path):
    page.goto(write_page(site, '<p>Bonjour</p><img src="pixel.png" alt="">'))
    assert reader_state(page) == {"script": True, "inline": False, "style": True}
    assert broken_images(page) == []
    assert_clean(page_log, site)
    assert screenshot(page, tmp_path, "clean").exists()


def test_a_console_error_is_not_clean(page, page_log, site):
    page.goto(write_page(site, "<script>console.error('oops')</script>", csp=None))
    assert "oops" in page_log.console_errors
    with pytest.raises(AssertionError, match="console errors"):
        assert_clean(page_log, site)


def test_an_uncaught_exception_is_a_page_error(page, page_log, site):
    page.goto(write_page(site, "<script>throw new Error('boom')</script>", csp=None))
    assert page_log.page_errors == ["boom"]
    with pytest.raises(AssertionError, match="page errors"):
        assert_clean(page_log, site)


def test_an_alert_is_caught_as_a_dialog(page, page_log, site):
    page.goto(write_page(site, "<script>alert(1)</script>", csp=None))
    assert page_log.dialogs == ["alert: 1"]
    with pytest.raises(AssertionError, match="dialogs"):
        assert_clean(page_log, site)


def test_a_remote_image_is_a_request_leaving_the_directory(page, page_log, site):
    page.goto(write_page(site, f'<img src="{REMOTE_IMAGE}">', csp=None))
    assert leaving_requests(page_log, site) == [REMOTE_IMAGE]
    assert page_log.failed_requests == [f"{REMOTE_IMAGE} (net::ERR_BLOCKED_BY_CLIENT.Inspector)"]  # aborted by the harness
    with pytest.raises(AssertionError, match="requests leaving"):
        assert_clean(page_log, site)


def test_a_local_file_outside_the_directory_is_leaving_it(page, page_log, site):
    (site.parent / "outside.png").write_bytes(PIXEL)
    page.goto(write_page(site, '<img src="../outside.png">'))
    assert broken_images(page) == []  # 'self' under file:// is every file: URL, not the directory
    assert leaving_requests(page_log, site) == [(site.parent / "outside.png").as_uri()]


def test_a_missing_image_is_not_clean(page, page_log, site):
    page.goto(write_page(site, '<img src="missing.png">'))
    assert broken_images(page) == [(site / "missing.png").as_uri()]
    with pytest.raises(AssertionError, match="net::ERR_FILE_NOT_FOUND"):
        assert_clean(page_log, site)


def test_dead_links_are_file_links_to_nothing_or_outside_the_directory(page, site):
    links = ['pixel.png#top', 'missing.html', '../page.html', '/images/x.gif', 'http://198.51.100.1/', '#here']
    page.goto(write_page(site, "".join(f'<a href="{href}">x</a>' for href in links)))
    assert dead_links(page, site) == [(site / "missing.html").as_uri(), (site.parent / "page.html").as_uri(), "file:///images/x.gif"]


def test_csp_blocked_image_and_script_are_still_seen_as_requests(page, page_log, site):
    page.goto(write_page(site, f'<img src="{REMOTE_IMAGE}"><script src="http://198.51.100.1/x.js"></script>'))
    assert leaving_requests(page_log, site) == [REMOTE_IMAGE, "http://198.51.100.1/x.js"]
    assert page_log.failed_requests == [f"{REMOTE_IMAGE} (csp)", "http://198.51.100.1/x.js (csp)"]
    assert any("violates the following Content Security Policy" in error for error in page_log.console_errors)


def test_csp_forbids_inline_script_event_handlers_and_javascript_links(page, page_log, site):
    body = '<script>window.INLINE = true</script><img src="pixel.png" onload="alert(2)"><a id="js" href="javascript:alert(1)">x</a>'
    page.goto(write_page(site, body))
    with page.expect_console_message(lambda message: "JavaScript URL" in message.text):
        page.click("#js")  # the javascript: URL runs (or not) after the click returns
    assert reader_state(page)["inline"] is False
    assert page_log.dialogs == []
    violations = " ".join(page_log.console_errors)
    assert "Executing inline script violates" in violations
    assert "Executing inline event handler violates" in violations
    assert "Running the JavaScript URL violates" in violations
    assert not any(url.startswith("javascript:") for url in page_log.requests)


def test_without_csp_a_javascript_link_is_a_dialog_not_a_request(page, page_log, site):
    page.goto(write_page(site, '<a id="js" href="javascript:alert(1)">x</a>', csp=None))
    with page.expect_event("dialog"):
        page.click("#js")  # the javascript: URL runs after the click returns
    assert page_log.dialogs == ["alert: 1"]
    assert leaving_requests(page_log, site) == []


@pytest.mark.parametrize("csp", [
    READER_CSP,
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    "default-src 'none'; script-src file:; style-src file:; img-src file: data:",
])
def test_the_reader_csp_loads_our_assets_and_blocks_the_rest(page, page_log, site, csp):
    page.goto(write_page(site, '<img src="pixel.png" alt=""><img alt="" src="data:image/png;base64,'
                         + base64.b64encode(PIXEL).decode() + '">', csp=csp))
    assert reader_state(page) == {"script": True, "inline": False, "style": True}
    assert broken_images(page) == []
    assert_clean(page_log, site)
    page.goto(write_page(site, f'<img src="{REMOTE_IMAGE}"><p style="color: red">x</p>', csp=csp, name="hostile.html"))
    assert page_log.failed_requests == [f"{REMOTE_IMAGE} (csp)"]
    assert any("Applying inline style violates" in error for error in page_log.console_errors)


def test_frame_ancestors_in_a_meta_csp_is_a_console_error(page, page_log, site):
    page.goto(write_page(site, "", csp=READER_CSP + "; frame-ancestors 'none'"))
    assert any("frame-ancestors' is ignored" in error for error in page_log.console_errors)


def test_fetch_of_local_json_fails_but_a_script_index_loads(page, page_log, site):
    page.goto(write_page(site, '<script src="assets/search-index.js"></script>', csp=None))
    assert page.evaluate("() => window.SEARCH_INDEX[0].title") == "Été"
    assert_clean(page_log, site)
    outcome = page.evaluate("() => fetch('assets/data.json').then(r => r.json()).then(() => 'ok', e => String(e))")
    assert outcome == "TypeError: Failed to fetch"
    assert any("blocked by CORS policy" in error for error in page_log.console_errors)
