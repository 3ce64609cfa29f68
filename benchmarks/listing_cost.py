"""Benchmark (not a test): CPU cost of `extract_listing` and `extract_neighbours`, against a baseline revision.

    .venv/bin/python benchmarks/listing_cost.py --site /tmp/b/site5k [--baseline REV] [--step N] [--record PREFIX]

Reads every listing page of a built replica (home, /archives, category pages and their index-N pages, month
archives) and a drift replica (built here, 200 posts: every page of it), with the blog's URL put in as the
replica server does. Each page goes to the baseline's `archiver/extract/listing.py` and `archiver/urls.py`
(from `git show REV:...`, imported as other modules) and to the working tree's, in alternating order, each
call on a page parsed for it, with the page's theme profile and with none; post pages go to
`extract_neighbours`. Every result of the two is compared (any difference is listed and the exit status
is 1); the table gives CPU ms per page of each and the ratio, measured in the same run, and what the
page's chrome (`PostPage.chrome`, page.py, computed by both when a link needs it) costs alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import types
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

from archiver.extract import bundled_profiles, detect_profile, listing, page_selector
from archiver.extract.page import PostPage
from archiver.replica import BASE_TOKEN, build_site

PROJECT = Path(__file__).resolve().parent.parent
BLOG = "http://127.0.0.1:8000"


def baseline_listing(revision: str) -> types.ModuleType:
    """The listing module of a revision, over that revision's urls module (both imported under other names)."""
    modules = {}
    for name, path in (("urls", "archiver/urls.py"), ("listing", "archiver/extract/listing.py")):
        source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=PROJECT, check=True,
                                capture_output=True, text=True).stdout
        module = types.ModuleType(f"baseline_{name}")
        sys.modules[module.__name__] = module
        exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)  # noqa: S102 - our own history
        modules[name] = module
    modules["listing"].urls = modules["urls"]
    return modules["listing"]


def page_url(root: Path, file: Path) -> str:
    """The URL the crawl fetches a file of the replica at (a folder's index.html as the folder)."""
    path = "/" + file.relative_to(root).as_posix()
    return BLOG + (path[: -len("index.html")] if path.endswith("/index.html") else path)


def listing_files(root: Path) -> list[Path]:
    """A default replica's listing pages: home, /archives, categories and their pages, month archives."""
    return sorted({root / "index.html", root / "archives" / "index.html", *root.glob("*/index.html"),
                   *root.glob("archives/category/*/index-*.html"), *root.glob("archive/*/*/index*.html")})


def post_files(root: Path) -> list[Path]:
    """The post pages of a replica."""
    return sorted(root.glob("archive/*/*/*/*.html"))


def run(calls, timings: dict, label: str, page_number: int):
    """Each (name, call) once, the order alternating with the page; the results by name, the CPU time added up."""
    results = {}
    for name, call in (calls if page_number % 2 else calls[::-1]):
        start = time.thread_time()
        results[name] = call()
        timings[label][name] += time.thread_time() - start
    return results


def measure(pages, old: types.ModuleType, timings: dict, differences: list, records: dict) -> None:
    """Both versions over (group, file, url, what) pages: what is 'listing' or 'neighbours'.

    Each call gets a page parsed for it alone (a FastSelector keeps what its queries found)."""
    for number, (group, file, url, what) in enumerate(pages):
        html = file.read_text(encoding="utf-8").replace(BASE_TOKEN, BLOG)
        profile = detect_profile(page_selector(html, url), bundled_profiles())
        if what == "neighbours":
            variants = [(f"{group}: extract_neighbours", lambda module, page: module.extract_neighbours(page, url))]
        else:
            variants = [(f"{group}: extract_listing, {label}",
                         lambda module, page, chosen=chosen: asdict(module.extract_listing(page, url, chosen)))
                        for label, chosen in (("theme", profile), ("no profile", None))]
        for label, call in variants:
            timings.setdefault(label, {"old": 0.0, "new": 0.0, "pages": 0})["pages"] += 1
            old_page, new_page = page_selector(html, url), page_selector(html, url)
            results = run([("old", lambda: call(old, old_page)), ("new", lambda: call(listing, new_page))],
                          timings, label, number)
            if results["old"] != results["new"]:
                differences.append((label, url, results["old"], results["new"]))
            for name, record in records.items():
                record.write(json.dumps({"what": label, "url": url, "result": results[name]}) + "\n")
        if what == "listing":  # what both pay for the page's chrome (page.py), when a link needs it
            page, start = page_selector(html, url), time.thread_time()
            PostPage(page, url, profile).chrome
            chrome = timings.setdefault(f"{group}: PostPage.chrome alone", {"old": 0.0, "new": 0.0, "pages": 0})
            chrome["pages"] += 1
            chrome["old"] = chrome["new"] = chrome["old"] + time.thread_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("/tmp/b/site5k"), help="a built default replica")
    parser.add_argument("--baseline", default="HEAD", help="the revision to compare with (default HEAD)")
    parser.add_argument("--step", type=int, default=1, help="read one page in N of each kind (default all)")
    parser.add_argument("--record", help="write every result to PREFIX.before.jsonl and PREFIX.after.jsonl")
    args = parser.parse_args()
    old = baseline_listing(args.baseline)
    with tempfile.TemporaryDirectory() as folder:
        drift = Path(folder) / "drift"
        build_site(drift, posts=200, drift=True)
        site = [(file, page_url(args.site, file)) for file in listing_files(args.site)][::args.step]
        posts = [(file, page_url(args.site, file)) for file in post_files(args.site)][::10 * args.step]
        drift_pages = [(file, page_url(drift, file)) for file in sorted(drift.rglob("*.html"))][::args.step]
        drift_posts = [(file, page_url(drift, file)) for file in post_files(drift)][::args.step]
        pages = ([("site", *page, "listing") for page in site] + [("site", *page, "neighbours") for page in posts]
                 + [("drift", *page, "listing") for page in drift_pages]
                 + [("drift", *page, "neighbours") for page in drift_posts])
        timings, differences = {}, []
        with ExitStack() as stack:
            records = {name: stack.enter_context(open(f"{args.record}.{suffix}.jsonl", "w", encoding="utf-8"))
                       for name, suffix in (("old", "before"), ("new", "after"))} if args.record else {}
            measure(pages, old, timings, differences, records)
    print(f"{'what':55} {'pages':>6} {args.baseline + ' ms':>10} {'now ms':>8} {'ratio':>6}")
    for label, row in timings.items():
        before, after = 1000 * row["old"] / row["pages"], 1000 * row["new"] / row["pages"]
        print(f"{label:55} {row['pages']:6} {before:10.3f} {after:8.3f} {before / after:6.2f}")
    compared = {label: row for label, row in timings.items() if "chrome alone" not in label}
    total_old, total_new = (sum(row[name] for row in compared.values()) for name in ("old", "new"))
    print(f"{'all':55} {'':6} {total_old:9.1f}s {total_new:7.1f}s {total_old / total_new:6.2f}")
    print(f"results compared: {sum(row['pages'] for row in compared.values())}, differences: {len(differences)}")
    for label, url, before, after in differences[:10]:
        print(f"DIFFERENT {label} {url}\n  {args.baseline}: {before}\n  now: {after}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
