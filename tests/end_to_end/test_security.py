"""Hostile pages crawled for real: the hostile post's payloads reach no archived HTML and no export, the crawl
fetches nothing a page names (scripts, images, frames, stylesheets), and no secret of the environment is stored or logged."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from scrapy.settings import Settings

from archiver.replica import ReplicaServer, build_site, load_ground_truth
from archiver.replica.hostile import BODY, QUIRK
from conftest import LOCAL, PROJECT, crawl_site, export_records, run_archiver
from xss_checks import executable_constructs

PAYLOADS = ("<script", "onerror", "onclick", "onmouseover", "javascript:", "alert(")
# Resources a browser would fetch or run; a crawler must not. Each path names the construct that asks for it.
HEAD_CANARIES = ('<link rel="prefetch" href="/canary-link-head">', '<link rel="stylesheet" href="/canary-stylesheet.css">',
                 '<script src="/canary-script-src.js"></script>', "<style>body { background: url(/canary-css-head) }</style>")
BODY_CANARIES = ("<script>fetch('/canary-script')</script>", """<img src="/canary-img.png" onerror="fetch('/canary-onerror')">""",
                 '<img srcset="/canary-srcset.png 2x" alt="">', '<link rel="prefetch" href="/canary-link">',
                 '<iframe src="/canary-frame"></iframe>', '<p style="background: url(/canary-css)"></p>',
                 "<style>.carte { background: url(/canary-css-block) }</style>", '<object data="/canary-object"></object>',
                 '<embed src="/canary-embed">', '<video src="/canary-video" poster="/canary-poster.png"></video>')
END_CANARIES = ('<iframe src="/canary-frame-end" srcdoc="<script>fetch(\'/canary-srcdoc\')</script>"></iframe>',
                "<script>new Image().src = '/canary-script-image'</script>")
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKE0123456789XY", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzFAKEkey1",
    "GITHUB_TOKEN": "ghp_FAKEfakeFAKE0123456789abcdefABCDEFgh", "DATABASE_URL": "postgres://archiver:Pa55-w0rd-s3cr3t@db.invalid:5432/blog",
    "SMTP_PASSWORD": "hunter2-but-much-longer-0451", "ARCHIVER_TOKEN": "arch-tok-7f3c9e1b5d", "SCRAPY_API_KEY": "scrapy-key-5e8d2a6f",
}
NEEDLES = [*SECRETS.values(), "Pa55-w0rd-s3cr3t"]
CONTACT = "veille@example.invalid"  # ARCHIVER_CONTACT: not a secret (it goes out in the User-Agent), nor kept
RUN_FACTS = {"archiver/db", "archiver/mode", "archiver/mode/effective"}  # what the run was: its archive and mode


def inject(page: Path, before: str, markup: tuple[str, ...], *, after: bool = False) -> None:
    """Put `markup` into a built page just before (or after) the first `before`."""
    html = page.read_text(encoding="utf-8")
    assert before in html, f"{before!r} not in {page}"
    added = "\n".join(markup)
    page.write_text(html.replace(before, before + added if after else added + "\n" + before, 1), encoding="utf-8")


def page_of(root: Path, url: str) -> Path:
    return root / urlsplit(url).path.lstrip("/")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The replica with its hostile post, whose page also asks for canary resources in its head, body and end."""
    root = build_site(tmp_path_factory.mktemp("hostile") / "site", hostile=True).root
    page = page_of(root, hostile_record(load_ground_truth(root))["url"])
    inject(page, "</head>", HEAD_CANARIES)
    inject(page, "</div></div></div>\n<div style=\"clear:both;\">", BODY_CANARIES)
    inject(page, '<div id="footer">', END_CANARIES)
    return root


def hostile_record(truth: list[dict]) -> dict:
    return next(record for record in truth if QUIRK in record["quirks"])


@pytest.fixture(scope="module")
def crawl(hostile_site, tmp_path_factory):
    crawl = crawl_site(hostile_site, ["/desinformation/"], tmp_path_factory.mktemp("hostile-crawl") / "a.db")
    assert crawl.result.returncode == 0, crawl.result.stderr
    return crawl


def assert_harmless(markup: str) -> None:
    assert executable_constructs(markup) == []
    assert not [payload for payload in PAYLOADS if payload in markup.lower()], markup


def test_the_hostile_post_is_archived_with_its_text_and_none_of_its_payloads(crawl):
    truth = hostile_record(crawl.truth)
    with sqlite3.connect(crawl.db) as conn:
        post = conn.execute("SELECT title, body_text, body_html FROM posts WHERE id = ?", [truth["id"]]).fetchone()
        comments = conn.execute("SELECT author, author_url, body_text, body_html FROM comments WHERE post_id = ? ORDER BY position",
                                [truth["id"]]).fetchall()
    assert post[:2] == (truth["title"], truth["body_text"])  # "<script>" in the title is text, as the page shows it
    assert [row[:3] for row in comments] == [(c["author"], c["author_url"], c["body_text"]) for c in truth["comments"]]
    for markup in (post[2], *(row[3] for row in comments)):
        assert_harmless(markup)
    assert Selector(text=post[2]).xpath("string(//body)").get().split() == " ".join(text for _, text in BODY).split()
    assert "<p>Avant l’image <img" in post[2] and ">lien piégé</a> au milieu du texte.</p>" in post[2]


def test_no_export_carries_the_payloads(crawl):
    truth = hostile_record(crawl.truth)
    as_json = run_archiver("export", "json", "--db", str(crawl.db))
    for records in (export_records(crawl.db), json.loads(as_json.stdout)):
        record = next(r for r in records if r["id"] == truth["id"])
        for markup in (record["body_html"], *(comment["body_html"] for comment in record["comments"])):
            assert_harmless(markup)
    page = run_archiver("show", truth["id"], "--html", "--db", str(crawl.db)).stdout
    assert executable_constructs("".join(Selector(text=page).css("body").getall())) == []
    assert "<script" not in page and "alert(" not in page
    assert "<h1>Anatomie d&#x27;une page piégée : &lt;script&gt;, onerror et javascript:</h1>" in page


def test_the_crawl_fetches_nothing_a_page_names_but_its_images(crawl):
    """Scripts, frames, stylesheets, prefetch links, CSS url(), objects, videos and what a script would ask for
    are never requested. The body's images are, once, for the offline copy (archiver.pipelines.media): as files, never run."""
    post = urlsplit(hostile_record(crawl.truth)["url"]).path
    assert crawl.hits.get(post) == 1  # the page with every canary was read
    requested = sorted(path for path in crawl.hits if "canary" in path)
    assert set(requested) <= {"/canary-img.png", "/canary-srcset.png"}, requested
    assert all(crawl.hits[path] == 1 for path in requested)


def test_a_meta_refresh_in_a_post_body_is_not_followed(hostile_site, tmp_path):
    root = shutil.copytree(hostile_site, tmp_path / "site")
    truth = next(r for r in load_ground_truth(root) if r["theme"] == "modern" and "Désinformation" in [c["name"] for c in r["categories"]])
    inject(page_of(root, truth["url"]), 'itemprop="articleBody">', ('<meta http-equiv="refresh" content="0;url=/canary-refresh">',),
           after=True)
    refreshed = crawl_site(root, ["/desinformation/"], tmp_path / "a.db")
    assert "/canary-refresh" not in refreshed.hits
    assert truth["id"] in refreshed.records_by_id()


@pytest.fixture(scope="module")
def secretive_crawl(hostile_site, tmp_path_factory):
    """A verbose crawl with a log file, its environment holding secrets (no proxy variables: they would route it);
    the archive is named by ARCHIVER_DB, so the environment demonstrably reached the crawl."""
    folder = tmp_path_factory.mktemp("secrets")
    db, log = folder / "a.db", folder / "crawl.log"
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"}
    env |= SECRETS | {"ARCHIVER_CONTACT": CONTACT, "ARCHIVER_DB": str(db)}
    with ReplicaServer(hostile_site) as server:
        result = subprocess.run([sys.executable, "-m", "archiver", "crawl", server.base_url + "/desinformation/", "-v",
                                 "--log-file", str(log), *LOCAL], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stats = json.loads(conn.execute("SELECT stats FROM crawl_runs").fetchone()[0])
    return result, db, log, stats


def test_no_secret_of_the_environment_is_stored_logged_or_printed(secretive_crawl):
    result, db, log, _ = secretive_crawl
    stored = b"".join(path.read_bytes() for path in db.parent.glob(db.name + "*"))
    logged = log.read_text(encoding="utf-8")
    assert "Spider closed (finished)" in logged and b"Anatomie d'une page" in stored
    for needle in NEEDLES:
        assert needle.encode() not in stored and needle not in logged and needle not in result.stdout + result.stderr, needle


def test_the_runs_stats_hold_no_settings(secretive_crawl):
    *_, stats = secretive_crawl
    settings = Settings()
    settings.setmodule("archiver.settings")
    values = {str(value) for _, value in settings.items() if isinstance(value, str) and len(value) > 2}
    assert not [key for key in stats if key.upper() in settings or key.lower().startswith("settings")]
    assert {key: value for key, value in stats.items() if key not in RUN_FACTS and str(value) in values} == {}
    text = json.dumps(stats, ensure_ascii=False)
    assert CONTACT not in text and "blog-archiver/" not in text and not [needle for needle in NEEDLES if needle in text]


def test_the_hostile_option_adds_one_post_and_changes_no_other(site, hostile_site):
    default, hostile = load_ground_truth(site), load_ground_truth(hostile_site)
    assert hostile[:-1] == default and hostile[-1]["quirks"] == [QUIRK] and hostile[-1]["comments_count"] == 2
