"""Drift: whether a run's extraction found each field as often as the archive usually does (pure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from archiver.field_counts import COMMENTED_ONLY
from archiver.items import CHECKED_FIELDS
from archiver.terminal import plural

SHARE_DROP = 0.10  # a field drifts when found on more than 10 points fewer posts than usual...
MIN_POSTS = 20  # ...judged only when the run (and the archive) have this many posts it applies to
WARNING_SHARE = 0.02  # a field drifts when 2% or more of the run's posts carry a warning on it
FIRST_CRAWL_COMMENTS = 0.90  # with no usual figure: comments found on 90% of the posts counting some
EPSILON = 1e-9  # shares are ratios of counts: 0.9 - 0.8 must not exceed 0.1


@dataclass
class FieldReport:
    """One field of a run beside the archive's usual figures, and why it drifts (None: it does not)."""

    field: str
    posts: int  # this run's checked posts the field applies to
    found: int
    warned: int  # this run's posts with a warning on the field
    run_posts: int  # every post of this run (the base of the warnings rule)
    usual_share: float | None  # None: the archive has no usual figure for it (first crawl)
    usual_rule: str | None
    example: str | None  # a post missing it (or, for the warnings rule, warned on it)
    drift: str | None = None  # "share", "first crawl" or "warnings"

    @property
    def share(self) -> float | None:
        return self.found / self.posts if self.posts else None


def drift_report(run: dict, usual: dict) -> list[FieldReport]:
    """Judge each checked field of a run's figures (figures.RunFigures.as_dict()) against the
    archive's usual ones (store.usual_figures, taken before the run wrote anything)."""
    return [_judge(name, run, usual["fields"][name]) for name in CHECKED_FIELDS]


def _judge(name: str, run: dict, usual: dict) -> FieldReport:
    """One field's report: the share rule, the first-crawl rule for comments, the warnings rule."""
    figures = run["fields"][name]
    usual_share = usual["found"] / usual["posts"] if usual["posts"] >= MIN_POSTS else None
    report = FieldReport(
        name, figures["posts"], figures["found"], figures["warned"], run["posts"],
        usual_share, usual["rule"], figures["missing_example"],
    )
    share = report.share
    if share is not None and usual_share is not None and report.posts >= MIN_POSTS:
        report.drift = "share" if usual_share - share > SHARE_DROP + EPSILON else None
    elif share is not None and usual_share is None and name in COMMENTED_ONLY:
        report.drift = "first crawl" if share < FIRST_CRAWL_COMMENTS - EPSILON else None
    if report.drift is None and run["posts"] and report.warned / run["posts"] >= WARNING_SHARE - EPSILON:
        report.drift, report.example = "warnings", figures["warned_example"]
    return report


def drifting(reports: list[FieldReport]) -> list[FieldReport]:
    """The fields that drift, in CHECKED_FIELDS order."""
    return [report for report in reports if report.drift]


def field_stats(reports) -> dict:
    """Namespaced stats of the per-field figures (`archiver/fields/print_url/found`) and the drifting fields."""
    stats = {"archiver/drift": ", ".join(report.field for report in drifting(reports))}
    for report in reports:
        for name in ("posts", "found", "warned"):
            stats[f"archiver/fields/{report.field}/{name}"] = getattr(report, name)
    return stats


def reports_as_json(reports: list[FieldReport]) -> dict:
    """{field: report fields and share} for the crawl_runs row and Scrapy's stats."""
    return {report.field: asdict(report) | {"share": report.share} for report in reports}


def reports_from_json(fields: dict | None) -> list[FieldReport]:
    """The reports a crawl_runs row keeps (None: a run from before drift reports)."""
    return [
        FieldReport(**{key: value for key, value in values.items() if key != "share"})
        for values in (fields or {}).values()
    ]


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def _posts(report: FieldReport) -> str:
    return "posts counting comments" if report.field in COMMENTED_ONLY else "posts"


def _usual(report: FieldReport) -> str:
    """The archive's side of the comparison, as the drift line shows it."""
    if report.usual_share is None:
        expected = f", expected on {_percent(FIRST_CRAWL_COMMENTS)} or more" if report.field in COMMENTED_ONLY else ""
        return "archive: no usual figure yet" + expected
    return f"archive: {_percent(report.usual_share)}, usually by \"{report.usual_rule or '-'}\""


def drift_line(report: FieldReport) -> str:
    """`DRIFT print_url: found on 41% of this run's 76 posts (archive: 98%, usually by "..."); ...`"""
    warned = plural(report.warned, "warning")
    if report.drift == "warnings":
        warned += f" ({_percent(report.warned / report.run_posts)} of {report.run_posts} posts)"
    return (
        f"DRIFT {report.field}: found on {_percent(report.share)} of this run's {report.posts} {_posts(report)}"
        f" ({_usual(report)}); {warned}; e.g. {report.example or '-'}"
    )


def field_table(reports: list[FieldReport]) -> list[str]:
    """One line per field under a header: found on this run's posts (count, share), the archive's share,
    warnings, the usual rule. Each column is as wide as its widest cell (names to the left, figures to the
    right), so every value sits under its header whatever the size of the figures."""
    rows = [["field", "found", "this run", "archive", "warned"]] + [
        [report.field, f"{report.found}/{report.posts}", _percent(report.share), _percent(report.usual_share), str(report.warned)]
        for report in reports
    ]
    rules = ["usual rule"] + [(report.usual_rule or "-") + (f"  DRIFT ({report.drift})" if report.drift else "") for report in reports]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  " + "  ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:])), rule])
        for row, rule in zip(rows, rules)
    ]
