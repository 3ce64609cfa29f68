"""What the archiver prints: text and JSON with no control character a terminal would obey (no raw escapes)."""

from __future__ import annotations

import re

# C0 (but tab and newline), DEL and C1: the bytes a terminal reads as commands (ESC starts title, clipboard and
# screen sequences; CR rewrites a line; U+009B is a one-character CSI). A crawl removes them from every text
# field it stores (archiver.pipelines.clean.Clean), but an archive written by an earlier version may still hold them.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What json.dumps leaves raw in a string (it escapes C0 itself): DEL and C1.
JSON_CONTROL = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """Text for a terminal: each control character shown as its escape (`\\x1b`), never sent as it is."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def printable_json(text: str) -> str:
    """JSON text for a terminal: DEL and C1 written as `\\u009b` escapes (the same JSON value, nothing raw)."""
    return JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 page`, `2 pages`, `0 errors`; `many` for a noun whose plural is not noun + s (`1 category`, `2 categories`)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
