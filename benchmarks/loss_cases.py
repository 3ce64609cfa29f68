"""Benchmark (not a test): what a crawl loses, case by case, with the archiver of a given checkout.

    .venv/bin/python -m benchmarks.loss_cases [CHECKOUT]     # default: this one; e.g. a `git worktree` of an older commit

Each case (a malformed link on the home page, a category page or a post failing in one run, a maintenance page
at an archived post's URL, the hostile-content blog through the README's cron recipe) is served from this
checkout's replica over HTTP on 127.0.0.1 and crawled by `python -m archiver` run in CHECKOUT, with the tests'
local settings; each prints the posts archived, the exit status, the errors and the first INCOMPLETE lines.
"""

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from archiver.replica import build_site, load_ground_truth
from archiver.replica.fault_plan import Burst, FaultPlan
from archiver.replica.fault_server import FaultServer
from archiver.replica.hostile_content import build_hostile_content_site, hostile_content_plan

CHECKOUT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
PY = sys.executable
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
         "-s", "RETRY_TIMES=1", "-s", "ARCHIVER_RETRY_BACKOFF=0", "-s", "ARCHIVER_RETRY_AFTER_MAX=0"]


def archiver(*args):
    """`python -m archiver ARGS` with the code of CHECKOUT."""
    return subprocess.run([PY, "-m", "archiver", *args], cwd=CHECKOUT, capture_output=True, text=True, timeout=600)


def posts(db):
    try:
        return sqlite3.connect(db).execute("select count(*) from posts").fetchone()[0]
    except sqlite3.Error:
        return 0


def said(result):
    out = result.stdout.strip().splitlines()
    summary = next((line for line in out if line.startswith("Crawl ")), "")
    errors = re.search(r"(\d+) errors", summary)
    lines = [line[:110] for line in out if line.startswith("INCOMPLETE")][:2]
    tb = "traceback" if "Traceback" in result.stderr else ""
    return f"exit {result.returncode}, {errors.group(0) if errors else '?'} {tb} {lines}"


def crawl(server, db, start, *extra):
    return archiver("crawl", server.base_url + start, "--db", str(db), *LOCAL, *extra)


def main():
    """Run every case once and print its row."""
    tmp = Path(tempfile.mkdtemp())
    site = build_site(tmp / "site").root
    truth = load_ground_truth(site, "http://x")
    # 1. A malformed link in a post on the home page.
    own = shutil.copytree(site, tmp / "malformed")
    home = own / "index.html"
    home.write_text(home.read_text().replace("</h3>", '</h3><p><a href="http://www.example.org:80a/">x</a></p>', 1))
    with FaultServer(own) as server:
        r = crawl(server, tmp / "m.db", "/")
    print(f"malformed link, home crawl: {posts(tmp / 'm.db')}/76 posts, {said(r)}")
    # 2. A category's last page fails twice (one run), then answers.
    with FaultServer(site, FaultPlan(bursts={"/archives/category/mali/index-3.html": Burst("500", times=2)})) as server:
        r1 = crawl(server, tmp / "c.db", "/mali/")
        n1 = posts(tmp / "c.db")
        r2 = crawl(server, tmp / "c.db", "/mali/")
    print(f"category page failing once: run 1 {n1}/26 posts, {said(r1)}; run 2 {posts(tmp / 'c.db')}/26, {said(r2)}")
    # 3. A post that answers 500 in one run.
    path = urlsplit(next(t for t in truth if t["comments_count"])["url"]).path
    with FaultServer(site, FaultPlan(bursts={path: Burst("500", times=2)})) as server:
        r1 = crawl(server, tmp / "p.db", "/")
        r2 = crawl(server, tmp / "p.db", "/")
        hits = server.hits.get(path, 0)
    print(f"post failing once: run 2 asked it {hits - 2} time(s); {posts(tmp / 'p.db')}/76 posts; {said(r2)}")
    # 4. A maintenance page at a post's URL, then --revalidate.
    own = shutil.copytree(site, tmp / "maint")
    post = next(t for t in load_ground_truth(own, "http://x") if t["comments_count"])
    with FaultServer(own) as server:
        crawl(server, tmp / "x.db", "/")
        (own / urlsplit(post["url"]).path.lstrip("/")).write_text("<html><head><title>Maintenance</title></head><body><p>Le blog est en maintenance.</p></body></html>")
        r = crawl(server, tmp / "x.db", "/", "--revalidate")
    db = sqlite3.connect(tmp / "x.db")
    title, = db.execute("select title from posts where id = ?", [post["id"]]).fetchone()
    size, = db.execute("select size from pages where url like ?", ["%" + urlsplit(post["url"]).path]).fetchone()
    print(f"maintenance page, --revalidate: title {title[:30]!r}, stored page {size} bytes, {said(r)}")
    # 5. The hostile-content blog: the README's cron sequence (incremental, incremental, revalidate at step 1,
    # incremental at step 2, revalidate).
    hsite = tmp / "hostile"
    build_hostile_content_site(hsite, step=0)
    rows = []
    with FaultServer(hsite, hostile_content_plan(hsite)) as server:
        for step, mode in ((0, []), (0, []), (1, ["--revalidate"]), (2, []), (2, ["--revalidate"])):
            build_hostile_content_site(hsite, step=step)
            r = crawl(server, tmp / "h.db", "/", *mode)
            rows.append(f"step {step} {' '.join(mode) or 'incremental'}: {posts(tmp / 'h.db')} posts, {said(r)}")
        truth_n = len(load_ground_truth(hsite, server.base_url))
    print(f"hostile-content cron sequence (truth {truth_n} posts):")
    for row in rows:
        print("   ", row)


if __name__ == "__main__":
    main()
