"""What in some markup a browser would run, load or submit: the test of every sanitised text."""

from __future__ import annotations

import html
import re

from parsel import Selector


# Elements that run, load or submit something, or that switch the parser into a foreign mode.
FORBIDDEN_TAGS = frozenset(
    "script style iframe frame frameset object embed applet param form input button select textarea isindex "
    "meta base link svg math template noscript noembed noframes portal xmp plaintext".split()
)


# No attribute's value may start with these, once entities are decoded, spaces and controls removed.
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")


# No style attribute may hold these (ammonia drops style attributes; this says why that matters).
FORBIDDEN_IN_STYLE = ("expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "url(")


SPACES_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def executable_constructs(markup: str) -> list[str]:
    """What in `markup` a browser would run, load or submit, as lxml parses it (empty when safe)."""
    found = []
    for element in Selector(text=markup or "<p></p>").xpath("//*"):
        tag = element.root.tag.lower() if isinstance(element.root.tag, str) else ""
        if tag.split(":")[-1] in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in element.root.attrib.items():
            name = name.lower()
            plain = SPACES_AND_CONTROLS.sub("", html.unescape(value)).lower()
            if name.startswith("on") or name == "srcdoc":
                found.append(f"{tag} {name}=")
            if plain.startswith(FORBIDDEN_SCHEMES):
                found.append(f"{tag} {name}={plain[:20]}")
            if name == "style" and any(bad in plain for bad in FORBIDDEN_IN_STYLE):
                found.append(f"{tag} style={plain[:30]}")
    return found
