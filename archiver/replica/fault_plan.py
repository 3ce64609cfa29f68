"""FaultPlan: what the fault server makes go wrong, and where (by path), as plain dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALWAYS = 1_000_000  # Burst.times of a path that never recovers
FAULT_KINDS = ("500", "502", "503", "429", "reset", "timeout", "truncate")
POST_ID = re.compile(r"-(\d{5,})\.html$")


@dataclass(frozen=True)
class Burst:
    """A path's first `times` answers are the fault `kind` (one of FAULT_KINDS), then it answers normally.

    "reset" closes the connection unanswered (TCP RST), "timeout" answers after FaultPlan.slow_seconds,
    "truncate" sends half the body under the whole body's Content-Length. `retry_after` goes in a 429's or
    503's Retry-After header: seconds ("2"), or "+N" for an HTTP date N seconds after the answer.
    """

    kind: str
    times: int = 1
    retry_after: str | None = None

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"a burst's kind is one of {', '.join(FAULT_KINDS)}, not {self.kind!r}")


@dataclass(frozen=True)
class RandomFaults:
    """Each request fails with probability `rate`, with a kind drawn from `kinds`, at most `most` times per path.

    Deterministic: the draw for a path's n-th request depends only on `seed`, the path and n.
    """

    rate: float
    seed: int = 0
    most: int = 2
    kinds: tuple[str, ...] = ("500", "502", "503", "reset", "timeout")


@dataclass(frozen=True)
class Encoding:
    """A page served in `charset`, said in `place` (fault_pages.CHARSET_PLACES), claiming `label` if given."""

    charset: str
    place: str
    label: str | None = None


@dataclass(frozen=True)
class LongCategory:
    """A category whose listing is `pages` pages long, made up from its posts in the ground truth.

    Its last page's "Suivant" leads to `loop_back` (page 1 under another spelling), when given.
    """

    slug: str
    pages: int = 200
    loop_back: str | None = None


@dataclass
class FaultPlan:
    """What goes wrong, by path (decoded, as in the replica: "/archive/2022/02/04/titre-6362153.html")."""

    bursts: dict[str, Burst] = field(default_factory=dict)
    chains: dict[str, int] = field(default_factory=dict)  # a page -> redirects every link to it now goes through
    loops: list[tuple[str, ...]] = field(default_factory=list)  # paths redirecting in a cycle, linked from "/"
    away: dict[str, str] = field(default_factory=dict)  # a path -> the absolute URL (another host or port) it 301s to
    encodings: dict[str, Encoding] = field(default_factory=dict)
    malformed: dict[str, str] = field(default_factory=dict)  # path -> one of fault_pages.MALFORMATIONS
    padded: dict[str, int] = field(default_factory=dict)  # post path -> size of its page in bytes
    long_category: LongCategory | None = None
    loop_backs: dict[str, str] = field(default_factory=dict)  # listing path -> a "Suivant" link it gains
    links: list[str] = field(default_factory=list)  # foreign links on every page; "{port}" is this server's
    random: RandomFaults | None = None
    slow_seconds: float = 3.0  # how late a "timeout" answers: more than the crawl's DOWNLOAD_TIMEOUT


def hop_path(target: str, number: int) -> str:
    """The `number`-th old address of a page: ".../slug-v1-ID.html" for a post, "/slug-v1/" for a listing."""
    if target.endswith("/"):
        return f"{target.rstrip('/')}-v{number}/"
    found = POST_ID.search(target)
    cut = found.start() if found else len(target) - len(".html")
    return f"{target[:cut]}-v{number}{target[cut:]}"
