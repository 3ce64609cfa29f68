"""Hostile versions of the replica's pages: re-encoded, malformed, padded, with foreign links, and long listings.

Pure functions of a page's text (or of ground-truth records): the fault server applies them as it serves.
"""

from __future__ import annotations

import re
from html import escape

# Where a re-encoded page says its charset: in the HTTP header only, in a <meta> only, or nowhere.
CHARSET_PLACES = ("header", "meta", "sniffed")
MALFORMATIONS = ("unclosed", "stray", "nul")
META_CHARSET = re.compile(
    r"""<meta\s+(?:charset=["']?[\w-]+["']?|http-equiv=["']?content-type["']?\s+content=["'][^"']*["'])\s*/?>\s*""",
    re.IGNORECASE,
)
PAD_WORDS = ("Éléments de contexte", "l’armée malienne", "« coopération »", "Ségou", "Kidal", "déçu", "œuvre")
# The footer line every post page of the platform shows: the body ends before it.
FOOTER_MARK = ">Lien permanent<"


def reencoded(html: str, charset: str, place: str, label: str | None = None) -> tuple[bytes, str]:
    """The page in `charset` (characters it lacks as &#NNNN;), said in `place`; and its Content-Type.

    `label` is the charset the page claims when it differs from its bytes (windows-1252 bytes labelled
    ISO-8859-1, the web's most common lie).
    """
    if place not in CHARSET_PLACES:
        raise ValueError(f"place must be one of {CHARSET_PLACES}, not {place!r}")
    said = label or charset
    text = META_CHARSET.sub("", html)
    if place == "meta":
        text = re.sub(r"(<head[^>]*>)", rf'\1\n<meta http-equiv="Content-Type" content="text/html; charset={said}" />',
                      text, count=1, flags=re.IGNORECASE)
    content_type = f"text/html; charset={said}" if place == "header" else "text/html"
    return text.encode(charset, errors="xmlcharrefreplace"), content_type


def malformed(html: str, how: str) -> str:
    """The page broken one way: every </p> and </li> left out and the document unclosed ("unclosed"),
    stray </div> and </span> closing nothing ("stray"), or a NUL byte inside the body's text ("nul")."""
    if how == "unclosed":
        cut = re.sub(r"</(?:p|li)>", "", html)
        return re.sub(r"</body>\s*</html>\s*$", "", cut)
    if how == "stray":
        html = re.sub(r"(<body[^>]*>)", r"\1</div></span></div>", html, count=1).replace("</head>", "</div></head>", 1)
        end = html.find(FOOTER_MARK)
        last = html.rfind("</p>", 0, end if end >= 0 else len(html))
        return html[:last] + "</span></font>" + html[last:]
    if how == "nul":
        end = html.find(FOOTER_MARK)
        last = html.rfind("</p>", 0, end if end >= 0 else len(html))
        return html[:last] + " \x00" + html[last:]
    raise ValueError(f"how must be one of {MALFORMATIONS}, not {how!r}")


def padding_paragraphs(size: int) -> list[str]:
    """Plain-text paragraphs of about `size` bytes in UTF-8 (accented, with typographic quotes)."""
    paragraphs, total, number = [], 0, 0
    while total < size:
        number += 1
        words = " ".join(PAD_WORDS[(number + i) % len(PAD_WORDS)] for i in range(120))
        paragraph = f"Remplissage nº {number} : {words}."
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 7
    return paragraphs


def padded(html: str, size: int) -> str:
    """The post page with paragraphs added at the end of its body until the page weighs about `size` bytes."""
    extra = max(size - len(html.encode("utf-8")), 0)
    end = html.find(FOOTER_MARK)
    last = html.rfind("</p>", 0, end if end >= 0 else len(html)) + len("</p>")
    block = "".join(f"\n<p>{escape(p, quote=False)}</p>" for p in padding_paragraphs(extra))
    return html[:last] + block + html[last:]


def with_links(html: str, links: list[str]) -> str:
    """A listing page offering `links` every way a listing can: list entries, a "Catégories" box, "Suivant"."""
    if not links:
        return html
    items = "".join(f'<li><a href="{escape(link)}">Suivant</a></li>' for link in links)
    block = f'<div class="box"><div class="boxtitle">Catégories</div><div class="boxcontent"><ul>{items}</ul></div></div>\n'
    return html.replace("</body>", block + "</body>", 1) if "</body>" in html else html + block


def with_head_links(html: str, links: list[str]) -> str:
    """A post page whose <head> names `links` as its previous notes (rel=prev), its text untouched."""
    tags = "".join(f'<link rel="prev" href="{escape(link)}" />\n' for link in links)
    return html.replace("</head>", tags + "</head>", 1)


def relinked(html: str, old: str, new: str) -> str:
    """The page with its links to `old` (absolute URL or path) pointing to `new` instead."""
    return html.replace(f'"{old}"', f'"{new}"')


def listing_page(name: str, number: int, last: int, entries: list[dict], href) -> str:
    """Page `number` of a long category listing (classic-like markup): its posts, then "Précédent" / "Suivant".

    `entries` are ground-truth records (url, title); `href(n)` is the address of page n (page last+1 may be
    a loop back to page 1 under another spelling).
    """
    items = "".join(f'<li><h3><a href="{escape(e["url"])}">{escape(e["title"])}</a></h3></li>\n' for e in entries)
    pager = []
    if number > 1:
        pager.append(f'<a href="{escape(href(number - 1))}" rel="prev">Précédent</a>')
    if href(number + 1):
        pager.append(f'<a href="{escape(href(number + 1))}" rel="next">Suivant</a>')
    title = escape(name) + (f" - Page {number}" if number > 1 else "")
    return (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>\n'
            f'<body><div id="center"><h2 class="catname">{escape(name)}</h2>\n<ul class="entries">\n{items}</ul>\n'
            f'<div class="pager">{" | ".join(pager)}</div></div></body></html>\n')
