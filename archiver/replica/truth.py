"""The ground truth (_truth.jsonl) and fault list (_faults.json), made from the generator's own data."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .body import plain
from .model import BASE_TOKEN, STATIC_TOKEN, Post, static_url
from .plan import Site

TRUTH_FILE = "_truth.jsonl"
FAULTS_FILE = "_faults.json"
FAULT_STATUS = {"missing": 404, "server_error": 500, "broken": 200, "untitled": 200}


def comment_record(comment) -> dict:
    """One comment as the ground truth states it (an author link that is not http(s) is no author_url)."""
    url = comment.author_url if (comment.author_url or "").startswith(("http://", "https://")) else None
    return {"author": comment.author, "author_url": url,
            "published": comment.published.isoformat(),
            "body_text": "\n\n".join(plain(p) for p in comment.paragraphs)}


def truth_record(post: Post, look=None) -> dict:
    """What a perfect extractor returns for `post` (URLs still carry BASE_TOKEN), and how the post is shown.

    A legacy post's id is null unless its page reveals it (a real print link); `look` is its drift variants.
    """
    return {
        "id": str(post.id) if not post.legacy or post.print_real else None,
        "url": post.url,
        "title": plain(post.title),
        "published": post.published.isoformat(),
        "author": post.author,
        "body_text": post.body_text,
        "print_url": BASE_TOKEN + post.print_path if post.print_real else None,
        "categories": [{"name": c.name, "url": BASE_TOKEN + c.path} for c in post.categories],
        "tags": [] if look else [{"name": t.name, "url": BASE_TOKEN + t.path} for t in post.tags],  # drifted looks show none
        "comments_count": len(post.comments) if post.comments_open else None,
        "comments": [comment_record(c) for c in post.comments],
        "theme": "drift" if look else post.theme,
        "quirks": list(post.quirks),
        "seed": post.seed,
        "legacy": post.legacy,
        "reach": post.reach,
        "aliases": [BASE_TOKEN + path for path in post.aliases],
        "url_day_differs": post.created is not None and post.created != post.published.date(),
        "drift": asdict(look) if look else None,
    } | ({"images": post.images} if post.images is not None else {})


def fault_record(post: Post) -> dict:
    """A fault post: what it is, where it is, what it answers and which category pages list it."""
    return {"kind": post.fault, "url": post.url, "path": post.path, "status": FAULT_STATUS[post.fault],
            "listed_in": [BASE_TOKEN + c.path for c in post.categories]}


def write_truth(root: Path, site: Site, drift=None) -> None:
    """Write _truth.jsonl (one post per line, oldest first) and _faults.json (with `drift`'s redirects)."""
    looks = drift.posts if drift else {}
    lines = [json.dumps(truth_record(p, looks.get(p.id)), ensure_ascii=False, sort_keys=True) for p in site.posts]
    (root / TRUTH_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    faults = [fault_record(p) for p in site.faults]
    overrides = {f["path"]: f["status"] for f in faults if f["kind"] == "server_error"}
    redirects = drift.moves.redirects if drift else {}
    document = {"overrides": overrides, "faults": faults, "redirects": redirects}
    (root / FAULTS_FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")


def _read(path: Path, base_url: str) -> str:
    """A file's text with BASE_TOKEN replaced by the real base URL (and STATIC_TOKEN by its static twin)."""
    text = path.read_text(encoding="utf-8").replace(STATIC_TOKEN, static_url(base_url))
    return text.replace(BASE_TOKEN, base_url.rstrip("/"))


def load_ground_truth(site_dir, base_url: str = BASE_TOKEN) -> list[dict]:
    """The ground-truth records of a built site, with URLs under `base_url`."""
    text = _read(Path(site_dir) / TRUTH_FILE, base_url)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_faults(site_dir, base_url: str = BASE_TOKEN) -> list[dict]:
    """The fault posts of a built site: kind, url, path, status and listed_in (category URLs)."""
    return json.loads(_read(Path(site_dir) / FAULTS_FILE, base_url))["faults"]
