"""A readable word-level diff of two texts as HTML: words removed in <del>, words added in <ins>, long unchanged
stretches cut to a few words of context. Made at export time: the page needs no script to show it."""

from __future__ import annotations

import difflib
import re
from html import escape

TOKEN = re.compile(r"\n\s*\n\s*|\s+|\w+|[^\w\s]")  # a paragraph break, a space, a word or a punctuation mark
CONTEXT = 12  # words kept on each side of a change
GAP = " […] "


def tokens(text: str | None) -> list[str]:
    """The text's words, punctuation marks and the spaces between them: a run holding a blank line is a paragraph break ("\\n\\n"),
    any other run one space (layout alone is no change)."""
    found = []
    for token in TOKEN.findall((text or "").strip()):
        if token.isspace():
            token = "\n\n" if token.count("\n") > 1 else " "
        found.append(token)
    return found


def word_diff(before: str | None, after: str | None) -> str:
    """HTML (escaped) of `after` against `before`: removed words in <del>, added words in <ins>, unchanged words
    as text, an unchanged stretch longer than twice CONTEXT words cut in the middle ("[…]"). Paragraph breaks stay
    newlines: the page shows them with `white-space: pre-wrap` (the stylesheet's class "diff")."""
    old, new = tokens(before), tokens(after)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    parts = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(_context(old[i1:i2], first=number == 0, last=number == len(opcodes) - 1))
            continue
        if tag in ("replace", "delete"):
            parts.append(_marked("del", old[i1:i2]))
        if tag in ("replace", "insert"):
            parts.append(_marked("ins", new[j1:j2]))
    return "".join(parts)


def _marked(name: str, words: list[str]) -> str:
    """<del> or <ins> around words; the spaces at either end left outside (they read as unchanged)."""
    text = "".join(words)
    core = text.strip()
    if not core:
        return escape(text)
    start = text.index(core)
    return f"{escape(text[:start])}<{name}>{escape(core)}</{name}>{escape(text[start + len(core):])}"


def _context(words: list[str], *, first: bool, last: bool) -> str:
    """An unchanged stretch: whole when short, else the CONTEXT words next to each change around it (a word here
    is what spaces delimit: "l’état-major" is cut whole), the rest cut ("[…]")."""
    starts = [i for i, token in enumerate(words) if not token.isspace() and (i == 0 or words[i - 1].isspace())]
    head_words, tail_words = (0 if first else CONTEXT), (0 if last else CONTEXT)
    if len(starts) <= head_words + tail_words + 1:
        return escape("".join(words))
    head = "".join(words[:starts[head_words] - 1]) if head_words else ""  # up to the space before the next word
    tail = "".join(words[starts[-tail_words]:]) if tail_words else ""
    return escape(head) + (GAP if head else GAP.lstrip()) + escape(tail) if tail else escape(head) + GAP.rstrip()
