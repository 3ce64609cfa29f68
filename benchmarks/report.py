"""What each section of the benchmark hands back: its tables as Markdown lines and its targets, met or missed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Target:
    """One of the issue's targets: what it asks, whether it is met (None: not measured) and the numbers."""

    goal: str
    met: bool | None
    figures: str

    def line(self) -> str:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[self.met]
        return f"| {self.goal} | {verdict} | {self.figures} |"


@dataclass
class Section:
    """A section of RESULTS.md: a heading, its lines (tables, notes), its targets."""

    title: str
    lines: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def markdown(self) -> str:
        return "\n".join([f"## {self.title}", "", *self.lines, ""])


def not_measured(title: str, reason: str, goals: tuple[str, ...] = ()) -> Section:
    """A section that could not run: it says why, and its targets are "not measured"."""
    return Section(title, [f"Not measured: {reason}."], [Target(goal, None, reason) for goal in goals])


def table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table; the first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "--:|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def targets_table(targets: list[Target]) -> list[str]:
    """Every target with its verdict and numbers."""
    return ["| target | verdict | figures |", "|---|---|---|", *(target.line() for target in targets)]
