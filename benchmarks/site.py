"""The replica a benchmark serves: built once, then rewritten for its final address, its hidden files set apart."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

from archiver.replica import build_site, load_ground_truth
from archiver.replica.model import BASE_TOKEN, STATIC_TOKEN, static_url
from archiver.replica.truth import FAULTS_FILE, TRUTH_FILE

TEXT_SUFFIXES = {".html", ".xml", ".rss", ".txt", ".json", ".css"}  # the files ReplicaServer rewrites
HIDDEN_FILES = (TRUTH_FILE, FAULTS_FILE)


@dataclass
class ServedSite:
    """A replica ready for a static server: `root` is served as is, `hidden` keeps its truth and faults."""

    root: Path
    hidden: Path
    base_url: str
    posts: int
    categories: int
    listing_pages: int
    themes: dict = field(default_factory=dict)
    overrides: dict[str, int] = field(default_factory=dict)  # path -> status _faults.json forces

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def truth(self) -> list[dict]:
        """The ground truth, with the served address in its URLs."""
        return load_ground_truth(self.hidden, self.base_url)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def served_text(text: str, base_url: str) -> str:
    """A file's text as ReplicaServer serves it: the tokens replaced by the real addresses."""
    return text.replace(BASE_TOKEN, base_url).replace(STATIC_TOKEN, static_url(base_url))


def rewrite_for(root: Path, base_url: str) -> None:
    """Replace the address tokens in every text file under `root`, in place."""
    for path in root.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8")
            if BASE_TOKEN in text or STATIC_TOKEN in text:
                path.write_text(served_text(text, base_url), encoding="utf-8")


def build_served_site(folder: Path, posts: int, port: int | None = None) -> ServedSite:
    """Build a replica of `posts` posts under `folder`, its hidden files moved to `folder/hidden`, the rest
    rewritten for http://127.0.0.1:PORT (a free port unless given)."""
    info = build_site(folder / "www", posts=posts)
    hidden = folder / "hidden"
    hidden.mkdir(parents=True, exist_ok=True)
    for name in HIDDEN_FILES:
        (info.root / name).replace(hidden / name)
    base_url = f"http://127.0.0.1:{port or free_port()}"
    rewrite_for(info.root, base_url)
    faults = json.loads((hidden / FAULTS_FILE).read_text(encoding="utf-8"))
    return ServedSite(info.root, hidden, base_url, info.post_count, info.category_count, info.listing_page_count,
                      dict(info.themes), dict(faults.get("overrides", {})))
