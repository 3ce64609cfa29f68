"""A post's body for the offline reader: its images pointed at their local copies, or turned into links to the
original when there is none (no request ever leaves the export)."""

from __future__ import annotations

import html

from lxml import html as lxml_html


def offline_body(body_html: str | None, local_images: dict[str, str]) -> str:
    """The sanitised body with each <img> whose URL has a local copy pointing there (`local_images`: original
    URL -> path relative to the page), and every other <img> replaced by a link to its original address."""
    if not body_html or not body_html.strip():
        return ""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for image in list(root.iter("img")):
        source = image.get("src") or ""
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
