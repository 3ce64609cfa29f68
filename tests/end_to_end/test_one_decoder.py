"""One decoder: the same bytes give the same text through the crawl, `inspect` and `reextract`."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

from conftest import crawl_site, export_records, run_archiver
from archiver.replica import ReplicaServer, load_ground_truth


def latin1_page(site, tmp_path):
    """A copy of the replica where one post is encoded in ISO-8859-1, declared only by a <meta> charset."""
    copy = shutil.copytree(site, tmp_path / "site")
    truth = next(t for t in load_ground_truth(copy) if t["theme"] == "classic" and "é" in t["body_text"])
    path = urlsplit(truth["url"]).path
    page = copy / path.lstrip("/")
    html = page.read_text(encoding="utf-8").replace("charset=utf-8", "charset=iso-8859-1")
    page.write_bytes(html.encode("iso-8859-1", errors="xmlcharrefreplace"))
    faults = json.loads((copy / "_faults.json").read_text(encoding="utf-8"))
    faults["content_types"] = {path: "text/html"}  # no charset in the HTTP header
    (copy / "_faults.json").write_text(json.dumps(faults), encoding="utf-8")
    return copy, truth, path


def test_a_latin1_page_reads_the_same_through_crawl_inspect_and_reextract(site, tmp_path):
    copy, truth, path = latin1_page(site, tmp_path)
    db = tmp_path / "archive.db"
    crawl_site(copy, [urlsplit(truth["categories"][0]["url"]).path], db)  # the post's category
    crawled = next(r for r in export_records(db) if r["id"] == truth["id"])
    with ReplicaServer(copy) as server:
        inspected = json.loads(run_archiver("inspect", server.base_url + path, "--json").stdout)
    reextracted = run_archiver("reextract", "--db", str(db))
    assert reextracted.returncode == 0, reextracted.stderr
    after = next(r for r in export_records(db) if r["id"] == truth["id"])
    assert " ".join(crawled["body_text"].split()) == " ".join(truth["body_text"].split())
    assert inspected["fields"]["body_text"] == crawled["body_text"] == after["body_text"]
    assert "Ã" not in crawled["body_text"] and after["updated"] == crawled["updated"]


def test_a_page_that_declares_no_charset_is_read_as_utf8_when_it_is_and_as_windows_1252_otherwise():
    from archiver.extract.decode import page_text

    text = "<html><body><p>L’Élysée, le cœur – « été »</p></body></html>"
    assert page_text(text.encode("cp1252")) == text
    assert page_text(text.encode("utf-8")) == text
