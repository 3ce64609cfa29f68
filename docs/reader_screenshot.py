"""Takes docs/reader.png, the README's picture of the offline reader: `.venv/bin/python docs/reader_screenshot.py`.

It runs `archiver demo` into a temporary folder (the sample blog, served on 127.0.0.1, nothing from the
internet), opens one post of its offline reader in Debian's Chromium driven by Playwright, the way the
browser tests do (tests/browser.py: never a browser of `playwright install`, every request kept on the
machine), checks the page is clean, and writes a PNG of its top part (under 150 KB). Run it again after a
change to the reader's look; `--post ID` and `--out FILE` choose another post or file.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

from browser import assert_clean, broken_images, launch, open_page  # noqa: E402  (tests/browser.py)

VIEWPORT = {"width": 900, "height": 640}
MAX_BYTES = 150_000


def take(post_id: str, out: Path) -> int:
    """Demo archive, its reader, one post's page in Chromium, its PNG at `out`; returns the PNG's size."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        demo = subprocess.run([sys.executable, "-m", "archiver", "demo", "--db", str(Path(tmp) / "demo.db")],
                              capture_output=True, text=True, timeout=300)
        if demo.returncode != 0:
            raise SystemExit(f"archiver demo failed ({demo.returncode}):\n{demo.stderr}")
        reader = Path(tmp) / "demo-reader"
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page, log = open_page(browser)
            page.set_viewport_size(VIEWPORT)
            page.goto((reader / "posts" / f"{post_id}.html").as_uri())
            assert not broken_images(page), broken_images(page)
            assert_clean(log, reader)
            page.screenshot(path=str(out), full_page=False)
            browser.close()
    size = out.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{out} is {size} bytes, over {MAX_BYTES}: take a smaller viewport")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--post", default="6362153", help="the post to show (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "reader.png", help="the PNG to write")
    args = parser.parse_args()
    print(f"{args.out}: {take(args.post, args.out)} bytes")


if __name__ == "__main__":
    main()
