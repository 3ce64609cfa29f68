"""Section 3, storage: posts/s through Validate, Clean, Deduplicate and the store into a new archive, against
sqlite-utils' insert_all with FTS triggers on the same rows; the archive's size per post with and without raw pages."""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from scrapy.exceptions import DropItem

from archiver import store
from archiver.store.connection import write_batch
from archiver.store.crawl_items import save_items
from archiver.pipelines.clean import Clean
from archiver.pipelines.deduplicate import Deduplicate
from archiver.pipelines.validate import Validate
from archiver.extract import extract_post, page_selector
from archiver.items import Post
from archiver.crawl.reextract import DropCounts
from benchmarks.crawls import copy_archive
from benchmarks.report import Section, table
from benchmarks.site import ServedSite, build_served_site
from benchmarks.spread import ratio, spread

TITLE = "3. Storage"
BATCH = 50  # posts per transaction, as the Store pipeline's ARCHIVE_BATCH_SIZE


def extracted_posts(pages: list[dict]) -> list[Post]:
    """The posts of `pages` as the spider yields them: extracted, before any pipeline."""
    posts = []
    for page in pages:
        extraction = extract_post(page_selector(page["body"], page["url"], page["content_type"]), page["url"])
        if extraction is not None:
            posts.append(Post(**extraction.fields, fetched_url=page["url"]))
    return posts


def through_pipelines(posts: list[Post], path: Path) -> float:
    """Seconds to put `posts` through Validate, Clean, Deduplicate and the crawl's writer (store.crawl_items'
    save_items, what archiver.store.writer does with a batch), BATCH per transaction, in one run."""
    stats = DropCounts()
    stages = [Validate(stats).process_item, Clean().process_item, Deduplicate(stats).process_item]
    db = store.open_archive(path)
    started = time.perf_counter()
    try:
        run_id = write_batch(db, lambda db: store.start_run(db, ["storage section"]))
        for start in range(0, len(posts), BATCH):
            batch = []
            for post in posts[start:start + BATCH]:
                try:
                    for stage in stages:
                        post = stage(post)
                except DropItem:
                    continue
                batch.append(post)
            write_batch(db, lambda db, batch=batch: save_items(db, batch, run_id))
        return time.perf_counter() - started
    finally:
        db.close()


def plain_row(post: Post) -> dict:
    """A post as one flat row (categories and comments as JSON), for the baseline."""
    return {"id": post.id, "url": post.url, "title": post.title, "published": post.published.isoformat(),
            "author": post.author, "body_html": post.body_html, "body_text": post.body_text,
            "print_url": post.print_url, "comments_count": post.comments_count,
            "categories": json.dumps([category.name for category in post.categories]),
            "comments": json.dumps([comment.body_text for comment in post.comments])}


def sqlite_utils_baseline(rows: list[dict], path: Path) -> float:
    """Seconds for sqlite-utils' insert_all of `rows` into a table with FTS5 triggers on title and body_text."""
    db = sqlite_utils.Database(path)
    table = db["posts"].create({key: type(value) if value is not None else str for key, value in rows[0].items()},
                               pk="id")
    table.enable_fts(["title", "body_text"], create_triggers=True, fts_version="FTS5")
    started = time.perf_counter()
    table.insert_all(rows, batch_size=BATCH)
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def sizes_per_post(archive: Path, folder: Path, posts: int) -> list[list[str]]:
    """KB per post of the crawled archive: as it is, vacuumed, and vacuumed without the raw page bodies."""
    copy = copy_archive(archive, folder / "size-check.db")
    rows = [["as crawled (backup copy)", copy.stat().st_size]]
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # the copy's VACUUMs then shrink the file itself, not a WAL
        conn.execute("VACUUM")
        rows.append(["vacuumed, raw pages kept", copy.stat().st_size])
        conn.execute("UPDATE pages SET html = NULL")
        conn.commit()
        conn.execute("VACUUM")
        rows.append(["vacuumed, raw page bodies dropped", copy.stat().st_size])
    copy.unlink()
    return [[label, f"{size / 2**20:.1f}", f"{size / 1024 / posts:.1f}"] for label, size in rows]


def storage_section(pages: list[dict], archive: Path, folder: Path, runs: int) -> Section:
    """The throughput table (interleaved runs, each into a new file) and the size table."""
    posts = extracted_posts(pages)
    lines = [*throughput_lines(posts, folder, runs), "",
             *table(["archive of the crawl", "MB", "KB/post"], sizes_per_post(archive, folder, len(posts)))]
    return Section(TITLE, lines)


def throughput_lines(posts: list[Post], folder: Path, runs: int) -> list[str]:
    """Ours against sqlite-utils on the same posts: interleaved runs, each into a new file under `folder`."""
    rows = [plain_row(post) for post in posts]
    seconds = {"ours": [], "baseline": []}
    for i in range(runs):
        for name in ["ours", "baseline"][:: 1 if i % 2 == 0 else -1]:
            path = folder / f"storage-{name}-{i}.db"
            seconds[name].append(through_pipelines(copy.deepcopy(posts), path) if name == "ours"
                                 else sqlite_utils_baseline(rows, path))
            for leftover in folder.glob(path.name + "*"):
                leftover.unlink()
    rates = {name: spread(len(posts) / s for s in values) for name, values in seconds.items()}
    return [f"{len(posts)} extracted posts, {BATCH} per transaction, each run into a new file.", "",
            *table(["writer", "posts/s", "ratio"], [
                ["ours: Validate, Clean, Deduplicate, the writer's save_items (posts, categories, tags, comments, FTS)",
                 rates["ours"].show(0), "1.00"],
                ["sqlite-utils insert_all, FTS5 triggers on (one flat row per post)", rates["baseline"].show(0),
                 f"{ratio(rates['baseline'], rates['ours']):.2f}"]])]


def replica_pages(site: ServedSite) -> list[dict]:
    """A replica's post pages as its crawl saves them (those its server answers 200), read from its files."""
    pages = []
    for record in site.truth():
        path = urlsplit(record["url"]).path
        file = site.root / path.lstrip("/")
        if path not in site.overrides and file.is_file():
            pages.append({"url": record["url"], "content_type": "text/html", "body": file.read_bytes()})
    return sorted(pages, key=lambda page: page["url"])


def main(argv: list[str] | None = None) -> None:
    """`python -m benchmarks.storage --posts 5000 --runs 3`: the throughput table alone, on a replica's files
    (no server, no crawl: the same posts as the section's, in a few seconds; the size table needs the crawl)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--posts", type=int, default=5000, help="generated posts of the replica (>= 60)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each writer (the median is shown)")
    args = parser.parse_args(argv)
    folder = Path("data/bench") / f"storage-{args.posts}"
    shutil.rmtree(folder / "replica", ignore_errors=True)  # a replica served once has its truth set apart: build anew
    posts = extracted_posts(replica_pages(build_served_site(folder / "replica", args.posts)))
    print("\n".join(throughput_lines(posts, folder, args.runs)))


if __name__ == "__main__":
    main()
