"""Medians with their spread (min-max) over the runs of a benchmark, and how they print."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """The median of some runs' figures and the lowest and highest of them."""

    median: float
    low: float
    high: float
    runs: int

    def show(self, digits: int = 1) -> str:
        """"12.3 (11.9-13.0)"; a single run, or runs that print alike, show only the figure."""
        median, low, high = (f"{value:,.{digits}f}" for value in (self.median, self.low, self.high))
        return median if low == high else f"{median} ({low}-{high})"


def spread(values) -> Spread:
    """The median and range of `values` (at least one)."""
    values = [float(value) for value in values]
    if not values:
        raise ValueError("no runs to summarise")
    return Spread(statistics.median(values), min(values), max(values), len(values))


def ratio(top: Spread, bottom: Spread) -> float:
    """The ratio of two medians (0.0 when the bottom one is 0)."""
    return top.median / bottom.median if bottom.median else 0.0


def per_run(runs: list[dict], key: str) -> Spread:
    """The spread of one figure over runs given as dicts."""
    return spread(run[key] for run in runs)
