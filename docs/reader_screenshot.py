"""Takes the README's pictures of the offline reader: `.venv/bin/python docs/reader_screenshot.py`.

docs/reader-home.png (its home page), docs/reader-post.png (a post the blog edited twice) and
docs/reader-history.png (that post's history). It builds the replica blog into a temporary folder, serves it on
127.0.0.1 (nothing from the internet), archives it, then edits one post as its blogger would (a new title and a
paragraph; then a reworded sentence and a comment taken off) with a `--revalidate` crawl after each edit, and
writes the archive's offline reader. Each page is opened in Debian's Chromium driven by Playwright, the way the
browser tests do (tests/browser.py: never a browser of `playwright install`, every request kept on the machine),
checked clean, and its top part written as a PNG (under 150 KB). Run it again after a change to the reader's look;
`--out DIR` writes the pictures elsewhere.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

from archiver.crawl.run_settings import LOCAL_SETTINGS  # noqa: E402
from archiver.replica import ReplicaServer, build_site  # noqa: E402
from browser import assert_clean, broken_images, launch, open_page  # noqa: E402  (tests/browser.py)

WIDTH = 900
MAX_BYTES = 150_000
POST = "6361679"  # a post of the replica with four comments, edited twice below
EDITS = (  # what its blogger changes, one crawl after each line
    (("un partenariat énergétique", "un accord énergétique"),
     ("</div></div></div>\n<div style", "<p>Mise à jour : les ministres ont confirmé la signature.</p>\n</div></div></div>\n<div style")),
    (("les ministres ont confirmé", "les deux ministres ont démenti"), (">4 commentaires<", ">3 commentaires<")),
)
TAKEN_OFF = '<div class="commentparent" id="c1480334">'  # the comment the second edit removes
PICTURES = {  # file -> the reader's page and the height of its top part shown
    "reader-home.png": ("index.html", 640), "reader-post.png": (f"posts/{POST}.html", 640),
    "reader-history.png": (f"history/{POST}.html", 980),
}


def archiver(*args: str) -> None:
    """Run `archiver ARGS...`; stop with its error output if it fails."""
    result = subprocess.run([sys.executable, "-m", "archiver", *args], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"archiver {args[0]} failed ({result.returncode}):\n{result.stderr}")


def edited(text: str, replacements: tuple[tuple[str, str], ...], *, take_off: str | None = None) -> str:
    """A page's text with each replacement made (each must apply) and a comment's block taken off."""
    for old, new in replacements:
        if old not in text:
            raise SystemExit(f"the replica changed: {old!r} is not on post {POST}'s page")
        text = text.replace(old, new)
    if take_off:
        start = text.index(take_off)
        text = text[:start] + text[text.index("</p></div>", start) + len("</p></div>"):]
    return text


def reader_with_history(folder: Path) -> Path:
    """The replica archived, its post POST edited twice (a crawl after each edit), exported as a reader."""
    root, db = build_site(folder / "blog", posts=60).root, folder / "archive.db"
    page = next(root.glob(f"archive/*/*/*/*-{POST}.html"))
    settings = [part for name, value in LOCAL_SETTINGS.items() for part in ("-s", f"{name}={value}")]
    with ReplicaServer(root) as server:
        archiver("crawl", server.base_url + "/", "--db", str(db), *settings)
        for number, replacements in enumerate(EDITS):
            text = edited(page.read_text(encoding="utf-8"), replacements, take_off=TAKEN_OFF if number else None)
            page.write_text(text, encoding="utf-8")
            archiver("crawl", server.base_url + "/", "--db", str(db), "--revalidate", *settings)
    archiver("export", "html", str(folder / "reader"), "--db", str(db))
    return folder / "reader"


def take(out: Path) -> dict[str, int]:
    """The pictures, written into `out`: file name -> size."""
    from playwright.sync_api import sync_playwright

    sizes = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        reader = reader_with_history(Path(tmp))
        browser = launch(playwright)
        page, log = open_page(browser)
        for name, (path, height) in PICTURES.items():
            page.set_viewport_size({"width": WIDTH, "height": height})
            page.goto((reader / path).as_uri())
            assert not broken_images(page), broken_images(page)
            assert_clean(log, reader)
            page.screenshot(path=str(out / name), full_page=False)
            sizes[name] = (out / name).stat().st_size
            if sizes[name] > MAX_BYTES:
                raise SystemExit(f"{out / name} is {sizes[name]} bytes, over {MAX_BYTES}: take a smaller viewport")
        browser.close()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "docs", help="the folder of the PNGs (default: docs/)")
    args = parser.parse_args()
    for name, size in take(args.out).items():
        print(f"{args.out / name}: {size} bytes")


if __name__ == "__main__":
    main()
