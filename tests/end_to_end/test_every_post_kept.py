"""Every real post is kept: a note that is only an image has a title and no text, and is archived."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

from conftest import crawl_site, export_records
from archiver.replica import load_ground_truth

IMAGE_ONLY = '<div class="posttext-decorator2">\n<p><img src="/images/photo.gif" alt="" /></p>\n</div>'


def test_an_image_only_note_is_archived_with_its_image_and_no_text(site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "site")
    truth = next(t for t in load_ground_truth(copy) if t["theme"] == "classic" and not t["seed"])
    page = copy / urlsplit(truth["url"]).path.lstrip("/")
    html = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'<div class="posttext-decorator2">.*?</div>', IMAGE_ONLY, html, count=1, flags=re.S),
                    encoding="utf-8")
    crawl = crawl_site(copy, [urlsplit(truth["categories"][0]["url"]).path], tmp_path / "archive.db")  # its category
    record = next(r for r in export_records(tmp_path / "archive.db") if r["id"] == truth["id"])
    assert record["title"] == truth["title"]
    assert record["body_text"] == "" and "photo.gif" in record["body_html"]
    assert truth["url"].replace("http://blog.replica.invalid", "") not in crawl.result.stdout
