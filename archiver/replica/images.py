"""The images of `build_site(..., images=True)`: a few posts gain pictures, one on the blog's host, one on a
"static" host, one that answers 404, one shared by two posts; the ground truth lists them per post.

The static host is the same server under another name: STATIC_TOKEN in the pages, served as
http://localhost:PORT (the blog is http://127.0.0.1:PORT), so a crawler sees another host and fetches its
image only when told to (archiver's ARCHIVER_MEDIA_HOSTS). Every file is a 1x1 picture made here, a few
dozen bytes, each of its own colour (its own checksum).

Namesake of archiver.reader.images: this module makes the replica's image files, that one points a post's images at
their copies in the offline reader.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

from .model import BASE_TOKEN, STATIC_TOKEN, Block, Post
from .pages import GIF
from .plan import Site

QUIRK = "images"
STATIC_PATH = "/static/replica/pictos/sahel.gif"


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 1x1 PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) \
        + chunk(b"IEND", b"")


def gif(rgb: tuple[int, int, int]) -> bytes:
    """A 1x1 GIF of one colour (the replica's transparent GIF with another first palette entry)."""
    return GIF[:13] + bytes(rgb) + GIF[16:]


def image_block(url: str, alt: str) -> Block:
    """A centred picture with no text: the reader's text is unchanged."""
    return Block(f'<p style="text-align: center;"><img src="{url}" alt="{alt}" width="400" height="250" /></p>', "")


def chosen_posts(site: Site) -> list[Post]:
    """Three ordinary posts (listed, with an id in their URL, no quirk), far apart in the blog's history."""
    plain = [post for post in site.posts if post.reach == "listed" and not post.legacy and not post.quirks
             and not post.aliases and not post.seed]
    return [plain[3], plain[len(plain) // 2], plain[-3]]


def add_images(site: Site) -> dict[str, bytes]:
    """Give three posts their pictures (every post's truth gets an "images" list); the files to write, by path."""
    first, second, third = chosen_posts(site)
    shared = f"/media/01/02/{first.id}01.png"
    files = {shared: png((200, 40, 40)), f"/media/02/03/{second.id}02.png": png((40, 160, 60)),
             STATIC_PATH: gif((30, 60, 200))}
    plan = [
        (first, [(BASE_TOKEN, shared, 200), (STATIC_TOKEN, STATIC_PATH, 200)]),
        (second, [(BASE_TOKEN, f"/media/02/03/{second.id}02.png", 200), (BASE_TOKEN, f"/media/02/03/{second.id}99.png", 404)]),
        (third, [(BASE_TOKEN, shared, 200)]),
    ]
    for post in site.posts:
        post.images = []
    for post, pictures in plan:
        post.quirks.append(QUIRK)
        for number, (host, path, status) in enumerate(pictures, start=1):
            post.blocks.append(image_block(host + path, f"illustration {number}"))
            body = files.get(path)
            post.images.append({"url": host + path, "status": status, "host": "static" if host == STATIC_TOKEN else "blog",
                                "md5": hashlib.md5(body).hexdigest() if body else None})
    return files
