"""One decoder for every page: its text from its bytes and headers (as Scrapy and browsers decide it), then its Selector."""

from __future__ import annotations

import re

from parsel import Selector
from w3lib.encoding import html_to_unicode

from archiver.extract.fast_selector import FastSelector

# A character reference to a lone surrogate (&#xD800; to &#xDFFF;, 55296 to 57343): lxml's XML parser keeps its
# bytes, then fails to decode any text that holds them. The HTML parser reads one as U+FFFD, as browsers do.
_SURROGATE = (r"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}"
              r"|0*(?:5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));")
SURROGATE_REFERENCE = re.compile(_SURROGATE)
SURROGATE_REFERENCE_BYTES = re.compile(_SURROGATE.encode())
XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # what makes parsel read a text as XML


def page_selector(html: str | bytes, url: str = "", content_type: str | None = None) -> Selector:
    """The Selector extraction reads a page through: its text (`page_text`) as HTML, in a FastSelector.

    A text parsel reads as XML is left to parsel; a JSON text (an API's error answer at a post's URL) is read
    as HTML, a page with no post, as every page is.
    """
    text = _encodable(page_text(html, content_type)) or "<html></html>"
    if XML_DECLARATION.match(text):
        return Selector(text=xml_readable(text), base_url=url)
    return FastSelector.from_html(text, url)


def _encodable(text: str) -> str:
    """A text lxml can read: a lone surrogate (only a str given as the page can hold one) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


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


def xml_readable(document: str | bytes) -> str | bytes:
    """An XML document with its lone-surrogate character references read as U+FFFD (see SURROGATE_REFERENCE)."""
    if isinstance(document, bytes):
        return SURROGATE_REFERENCE_BYTES.sub(b"&#xFFFD;", document) if b"&#" in document else document
    return SURROGATE_REFERENCE.sub("&#xFFFD;", document) if "&#" in document else document
