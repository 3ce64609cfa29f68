"""Browser fixtures: `browser` (one headless Chromium per test process) and `page` with its `page_log`."""

from __future__ import annotations

import pytest

from browser import launch, open_page


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; fails (never skips) when either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: `make test` installs it (the `test` extra)")
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except RuntimeError as error:
            pytest.fail(str(error))
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page and its PageLog, closed after the test."""
    page, log = open_page(browser)
    yield page, log
    page.context.close()


@pytest.fixture
def page(browser_page):
    """A fresh page whose console errors, page errors, dialogs and requests are in `page_log`."""
    return browser_page[0]


@pytest.fixture
def page_log(browser_page):
    """What happened in `page` (and any popup it opened)."""
    return browser_page[1]
