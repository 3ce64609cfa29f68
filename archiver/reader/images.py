"""A post's body (or a comment) for the offline reader: its images pointed at their local copies, or turned into
links to their original address when there is none (no request ever leaves the export); its links made absolute,
or pointed at the reader's own page of a post or category it links to.

Namesake of archiver.replica.images: the replica makes image files for tests, this module points a post's images at
their copies.
"""

from __future__ import annotations

import html
from urllib.parse import urljoin

from lxml import html as lxml_html

from archiver import urls


def offline_body(body_html: str | None, base_url: str, local_images: dict[str, str],
                 local_pages: dict[str, str] | None = None) -> str:
    """The sanitised HTML with each <img> whose absolute URL has a local copy pointing there (`local_images`:
    original URL -> path relative to the page), every other <img> replaced by a link to its original address,
    and each link absolute (against `base_url`), or to the reader's page when `local_pages` (url key -> path)
    has the post or category it leads to."""
    if not body_html or not body_html.strip():
        return ""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for link in root.iter("a"):
        if link.get("href"):
            target = urljoin(base_url, link.get("href").strip())
            local = (local_pages or {}).get(urls.url_key(target)) if target.startswith(("http://", "https://")) else None
            link.set("href", local or target)
    for image in list(root.iter("img")):
        source = urljoin(base_url, (image.get("src") or "").strip()) if image.get("src") else ""
        image.attrib.pop("srcset", None)
        if source in local_images:
            image.set("src", local_images[source])
            image.set("data-original", source)
            continue
        link = lxml_html.fromstring(
            f'<a class="missing-image" href="{html.escape(source)}" rel="noopener noreferrer">'
            f"[image : {html.escape(image.get('alt') or source or 'sans adresse')}]</a>"
        )
        link.tail = image.tail
        image.getparent().replace(image, link)
    inner = (root.text and html.escape(root.text)) or ""
    return inner + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
