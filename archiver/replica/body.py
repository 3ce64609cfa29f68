"""Post bodies as blocks of markup paired with the text a reader sees (the ground truth's source).

Namesake of archiver.extract.fields.body: this module writes the replica's bodies, that one reads a body from a
page.
"""

from __future__ import annotations

import html
import random

from .model import Block, Post

NBSP_BEFORE = frozenset({":", ";", "!", "?", "»"})
MORE_MARKER = '<a id="more"></a>'
IMAGES = ("carte-sahel.gif", "lavrov-bamako.gif", "convoi-bangui.gif")
SCRIPT_BLOCK = Block("<script>alert(1)</script>", "")


def plain(text: str) -> str:
    """The ground truth's form of a text: runs of whitespace (nbsp included) -> one space."""
    return " ".join(text.split())


def esc(text: str) -> str:
    """Escape a text node."""
    return html.escape(text, quote=False)


def words_html(words: list[str], nbsp: bool, spans: dict[int, tuple[int, str, str]]) -> str:
    """Join escaped words; spans maps a start index to (end index, opening tag, closing tag)."""
    parts, closing = [], {}
    for i, word in enumerate(words):
        if i:
            tight = nbsp and (word[:1] in NBSP_BEFORE or words[i - 1] == "«")
            parts.append("&nbsp;" if tight else " ")
        if i in spans:
            end, opening, close = spans[i]
            parts.append(opening)
            closing[end] = closing.get(end, "") + close
        parts.append(esc(word))
        parts.append(closing.pop(i, ""))
    return "".join(parts)


def pick_span(rng: random.Random, words: list[str], taken: set[int]) -> tuple[int, int] | None:
    """A run of 1-3 ordinary words not yet decorated, or None."""
    for _ in range(8):
        start = rng.randrange(len(words))
        end = min(len(words) - 1, start + rng.randint(0, 2))
        run = range(start, end + 1)
        if not taken.intersection(run) and all(w.strip("«»:;!?,.") for w in words[start:end + 1]):
            taken.update(range(start - 1, end + 2))
            return start, end
    return None


def paragraph(rng: random.Random, text: str, *, nbsp: bool = False, emphasis: bool = False,
              links: tuple[str, ...] = (), attrs: str = "") -> Block:
    """One <p>: the words of `text`, with optional emphasis, links and non-breaking spaces."""
    words, spans, taken = text.split(" "), {}, set()
    for href in links:
        found = pick_span(rng, words, taken)
        if found:
            spans[found[0]] = (found[1], f'<a href="{html.escape(href)}">', "</a>")
    if emphasis and (found := pick_span(rng, words, taken)):
        tag = rng.choice(("em", "strong"))
        spans[found[0]] = (found[1], f"<{tag}>", f"</{tag}>")
    return Block(f"<p{attrs}>{words_html(words, nbsp, spans)}</p>", plain(text))


def broken_line(text: str, nbsp: bool) -> Block:
    """A paragraph split in two lines by <br />; the truth keeps the line break as "\\n"."""
    sentences = text.split(". ")
    if len(sentences) < 2:
        return paragraph(random.Random(0), text, nbsp=nbsp)
    cut = len(sentences) // 2
    first, second = ". ".join(sentences[:cut]) + ".", ". ".join(sentences[cut:])
    markup = f"{words_html(first.split(' '), nbsp, {})}<br />\n{words_html(second.split(' '), nbsp, {})}"
    return Block(f"<p>{markup}</p>", f"{plain(first)}\n{plain(second)}")


def image(rng: random.Random, inline_with: Block | None = None) -> Block:
    """An <img>: alone in a centred paragraph (no text), or floated at the start of a paragraph."""
    name = rng.choice(IMAGES)
    attrs = f'src="/images/{name}" alt="{name[:-4]}" width="400" height="250"'
    if inline_with is None:
        return Block(f'<p style="text-align: center;"><img {attrs} /></p>', "")
    opening, rest = inline_with.html.split(">", 1)
    return Block(f'{opening}><img {attrs} style="float: left;" /> {rest}', inline_with.text)


def unsafe_paragraph(text: str) -> Block:
    """A paragraph with an onclick handler and a javascript: link, which the sanitiser must drop."""
    words = text.split(" ")
    head, link, tail = " ".join(words[:3]), " ".join(words[3:5]), " ".join(words[5:])
    markup = (f'<span onclick="alert(2)">{esc(head)}</span> <a href="javascript:alert(3)">{esc(link)}</a>'
              f" {esc(tail)}")
    return Block(f"<p>{markup}</p>", plain(text))


def sloppy(paragraphs: list[str]) -> list[Block]:
    """Blocks with unclosed <p>, a <p> closed by its <div>, and a stray </span> (lxml recovers)."""
    blocks = []
    for i, text in enumerate(paragraphs):
        if i % 3 == 1:
            blocks.append(Block(f'<div class="encadre"><p>{esc(text)}</div>\n', plain(text)))
        elif i % 3 == 2:
            blocks.append(Block(f"<p>{esc(text)}</span>\n", plain(text)))
        else:
            blocks.append(Block(f"<p>{esc(text)}\n", plain(text)))
    return blocks


def body_html(post: Post, truncated: bool = False) -> str:
    """The body markup; truncated bodies stop at the "more" marker (the caller adds "Lire la suite")."""
    parts = []
    for i, block in enumerate(post.blocks):
        if i == post.more_at:
            if truncated:
                break
            parts.append(MORE_MARKER)
        parts.append(block.html)
    return "\n".join(parts)
