"""One decoder for every page: its text from its bytes and headers, the way Scrapy and browsers decide it."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode


def page_text(body: bytes | str, content_type: str | None = None) -> str:
    """A page's text: the byte-order mark, then the HTTP charset, then a <meta> charset, then `sniff`.

    The crawl, `reextract` and `inspect` all decode through here, so identical bytes give identical text
    (and `iso-8859-1` is read as windows-1252, as browsers do).
    """
    if isinstance(body, str):
        return body
    return html_to_unicode(content_type, body, auto_detect_fun=sniff)[1]


def sniff(body: bytes) -> str:
    """The charset of a page that declares none: UTF-8 when its bytes are UTF-8, else windows-1252, what a
    French page of before UTF-8 was written in (Latin-1's superset, and a browser's guess for French)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"
