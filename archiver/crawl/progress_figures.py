"""The progress line's arithmetic: pages and images apart, the pages still to fetch, a recent rate and the time left.

Pure functions of counts and clock readings, so the line (archiver/extensions/progress.py) stays a thin redraw
and each figure is tested without a crawl. A total is shown only when the crawl knows one (the spider publishes
the pages it has decided to fetch as the stat `archiver/plan/pages_expected` once it has read a listing); it may
grow as listings are read, and it is never shown smaller than the pages already fetched.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from archiver.terminal import plural

RECENT_PAGES = 20  # the rate is the mean over the last pages fetched, not the whole run's


class RecentRate:
    """Pages a second over the last `size` pages fetched (a moving window: a slow start or a pause is forgotten)."""

    def __init__(self, size: int = RECENT_PAGES):
        self.times: deque[float] = deque(maxlen=size + 1)

    def tick(self, now: float) -> None:
        """A page was fetched at `now` (time.monotonic())."""
        self.times.append(now)

    def per_second(self, now: float) -> float | None:
        """The recent rate, counting the time since the last page (a stalled crawl slows down); None before two pages."""
        if len(self.times) < 2:
            return None
        elapsed = max(self.times[-1], now) - self.times[0]
        return (len(self.times) - 1) / elapsed if elapsed > 0 else None


@dataclass(frozen=True)
class Figures:
    """What the progress line shows at one moment."""

    pages: int
    images: int = 0
    posts: int = 0
    rate: float | None = None  # pages a second, recently
    expected: int | None = None  # the pages the crawl has decided to fetch, when it knows

    def pages_left(self) -> int | None:
        """Pages still to fetch, when the crawl knows its total and has not gone past it (else None, never negative)."""
        if self.expected is None or self.expected <= self.pages:
            return None
        return self.expected - self.pages


def time_left(pages_left: int, rate: float | None) -> str | None:
    """`about 3 min left` for the pages left at the rate; None without a rate."""
    if not rate or rate <= 0:
        return None
    seconds = pages_left / rate
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


def progress_text(figures: Figures, final: bool = False) -> str:
    """`21 of 80 pages, 5 images, 12 posts, 1.3 pages/s, about 1 min left`; the total and the time left only when
    known, images only when there are some; `final` (the crawl is over) drops the total and the time left."""
    left = None if final else figures.pages_left()
    pages = plural(figures.pages, "page") if left is None else f"{figures.pages} of {figures.expected} pages"
    parts = [pages] + ([plural(figures.images, "image")] if figures.images else []) + [plural(figures.posts, "post")]
    rate = figures.rate or 0.0
    parts.append(f"{rate:.1f} pages/s")
    remaining = time_left(left, figures.rate) if left is not None else None
    return ", ".join(parts + ([remaining] if remaining else []))
