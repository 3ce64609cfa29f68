"""What `archiver crawl` prints when it ends: the summary paragraph, in words (stdout), and its one-line outcome (stderr)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archiver.crawl.drift import drift_line, field_table
from archiver.crawl.outcomes import IMPOSTOR_KINDS, OUTCOMES, losses
from archiver.terminal import plural

if TYPE_CHECKING:
    from archiver.crawl.run import CrawlSummary

# How a crawl that was stopped says why, for Scrapy's finish reasons that are not words (others are shown as they are).
STOP_REASONS = {"shutdown": "Ctrl-C or SIGTERM", "unknown": "it was stopped before it could close"}


def headline(summary: CrawlSummary) -> str:
    """What happened, in words: `Crawl finished in 12.3 s`, `Crawl stopped (interrupted) after 26.4 s`..."""
    seconds = f"{summary.seconds:.1f} s"
    if summary.outcome in ("ok", "drift"):
        return f"Crawl finished in {seconds}"
    if summary.outcome == "partial":
        return f"Crawl finished with losses in {seconds}"
    if summary.outcome == "interrupted":
        return f"Crawl stopped (interrupted) after {seconds}"
    if summary.outcome == "unreachable":
        return f"Crawl failed: the blog did not answer, after {seconds}"
    if summary.outcome == "blocked":
        return f"Crawl failed: the blog refused to answer (403, 429), after {seconds}"
    if summary.outcome == "not-the-blog":
        return f"Crawl failed: the post pages were not the blog's posts, after {seconds}"
    if summary.run_id is None:
        return f"Crawl failed: it could not start, after {seconds}"
    if summary.write_error:
        return f"Crawl failed: the archive could not be written after {seconds}"
    return f"Crawl failed: its run could not be closed in the archive after {seconds}"


def summary_text(summary: CrawlSummary, max_failures: int = 10, *, verbose: bool = False) -> str:
    """The one-paragraph report of a crawl, then the failures with their URL and reason, then drift.

    `verbose` adds one line per checked field (found on this run's posts, the archive's share, warnings).
    """
    c = summary.counts
    methods = ", ".join(f"{n} {name}" for name, n in sorted(summary.methods.items()))
    mode = f" ({summary.mode})" if summary.mode else ""
    gone = f"{summary.gone} gone, " if summary.gone else ""
    lines = [
        f"{headline(summary)}{mode}: {plural(c['pages_fetched'], 'page')} fetched; "
        f"posts: {c['posts_new']} new, {c['posts_updated']} updated, {c['posts_unchanged']} unchanged, "
        f"{gone}{c['posts_dropped']} dropped; {plural(c['errors'], 'error')}. {plural(c['warnings'], 'warning')}."
        + unwritten_text(summary.unwritten)
        + malformed_text(summary.malformed, summary.malformed_examples)
        + media_text(summary.media, summary.media_failed)
        + (f" Extraction: {methods}." if methods else "")
        + f" Archive: {summary.db_path} ({plural(summary.archive.get('posts', 0), 'post')}, "
        f"{plural(summary.archive.get('categories', 0), 'category', 'categories')})."
    ]
    if summary.revalidation:
        lines.append(revalidation_line(summary.revalidation))
    if summary.warc.get("dir"):
        lines.append(warc_line(summary.warc))
    for failure in summary.failures[:max_failures]:
        lines.append(f"  {failure['kind']}: {failure['url']} ({failure['reason']})")
    if len(summary.failures) > max_failures:
        lines.append(f"  ... and {len(summary.failures) - max_failures} more (see the crawl_failures table)")
    lines += [f"INCOMPLETE {loss}" for loss in losses(summary)]
    lines += [drift_line(report) for report in summary.drifting]
    if verbose and summary.fields:
        lines += ["Fields found on this run's posts, beside the archive's usual share:", *field_table(summary.fields)]
    return "\n".join(lines)


def revalidation_line(seen: dict) -> str:
    """`Revalidation: 5,004 posts listed, 14 changed on their listings (10 comments, 3 text, 1 title), 1 left its
    listings, 626 checked in full (every post within 8 runs).`: what --revalidate saw (spiders/revalidation.py)."""
    changes = seen.get("changes", {})
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(changes.items(), key=lambda item: (-item[1], item[0])))
    left = seen.get("left", 0)
    parts = [f"{seen.get('listed', 0):,} posts listed",
             f"{seen.get('changed', 0):,} changed on their listings" + (f" ({kinds})" if kinds else ""),
             f"{left:,} left {'its' if left == 1 else 'their'} listings"]
    if seen.get("unread_count"):
        parts.append(f"{plural(seen['unread_count'], 'listing page')} NOT READ (first: {seen['unread_listings'][0]}): "
                     f"{seen.get('unlisted', 0):,} posts no listing showed asked again")
    runs = seen.get("runs", 1)
    every = "every post every run" if runs == 1 else f"every post within {runs} runs"
    parts.append(f"{seen.get('full_checks', 0):,} checked in full ({every})")
    return "Revalidation: " + ", ".join(parts) + "."


def warc_line(warc: dict) -> str:
    """`WARC: 3 files, 12.4 MB in data/warc` (the capture of `crawl --warc-dir`), with the responses it could not write."""
    lost = warc.get("write_errors", 0)
    lost_text = f"; {plural(lost, 'response')} NOT WRITTEN (see the warc failures)" if lost else ""
    size = warc.get("bytes", 0)
    size_text = f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"
    return f"WARC: {plural(warc.get('files', 0), 'file')}, {size_text} in {warc['dir']}{lost_text}"


def malformed_text(count: int, examples: list[dict]) -> str:
    """` 2 malformed links skipped ('http://x:80a/' on https://blog/...).`, or "" for none."""
    if not count:
        return ""
    first = f" ({examples[0]['href']} on {examples[0]['page']}{', ...' if count > 1 else ''})" if examples else ""
    return f" {plural(count, 'malformed link')} skipped{first}."


def media_text(media: dict[str, int], failed_examples: list[dict] = ()) -> str:
    """` Images: 12 downloaded, 30 already archived, 1 NOT DOWNLOADED: http://.../x.jpg (http 404).`, or "" for none.
    Several missing: the first, and where to find the others."""
    if not media:
        return ""
    failed = media.get("failed", 0)
    text = f" Images: {media.get('downloaded', 0)} downloaded, {media.get('uptodate', 0)} already archived"
    if not failed:
        return text + "."
    first = failed_examples[0] if failed_examples else None
    named = f": {first['url']} ({first['reason']})" if first else ""
    more = f" and {failed - 1} more: archiver show / the post_media table" if failed > 1 else ""
    return f"{text}, {failed} NOT DOWNLOADED{named}{more}."


def unwritten_text(unwritten: dict[str, int]) -> str:
    """` 12 items NOT WRITTEN to the archive (8 posts, 4 pages).`, or "" when nothing was lost."""
    if not unwritten:
        return ""
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(unwritten.items()))
    return f" {plural(sum(unwritten.values()), 'item')} NOT WRITTEN to the archive ({kinds})."


def incomplete_message(summary: CrawlSummary) -> str | None:
    """The one `Incomplete:` line for stderr when the crawl lost something it was asked for, else None."""
    lost = losses(summary)
    if not lost:
        return None
    more = f" (and {len(lost) - 1} more: see the INCOMPLETE lines above)" if len(lost) > 1 else ""
    return f"Incomplete: {lost[0]}{more}"


def drift_message(summary: CrawlSummary) -> str | None:
    """The one `Drift:` line for stderr when extraction drifted, else None."""
    if not summary.drifting:
        return None
    names = ", ".join(report.field for report in summary.drifting)
    return f"Drift: extraction found less than usual, or doubted it, on {names} (see DRIFT lines above)"


def stderr_lines(summary: CrawlSummary) -> list[str]:
    """What stderr says after the summary: nothing when all went well; else the `Drift:` line when
    fields drifted, then the outcome's one line (`Incomplete: ...`, `Unreachable: ...`), last."""
    outcome = OUTCOMES[summary.outcome]
    if outcome.name == "ok":
        return []
    drift = drift_message(summary)
    own = {"drift": drift, "partial": incomplete_message(summary)}.get(outcome.name)
    own = own or f"{outcome.prefix}: {failure_reason(summary)}"
    return ([drift] if drift and drift != own else []) + [own]


def failure_reason(summary: CrawlSummary) -> str:
    """Why a crawl failed or stopped (error, interrupted, unreachable, blocked), in one line."""
    first = summary.failures[0] if summary.failures else None
    if summary.outcome == "unreachable":
        return "nothing answered" + (f": {first['url']}: {first['reason']}" if first else "")
    if summary.outcome == "blocked":
        return (f"{summary.refusals} of {summary.responses} answers were 403 or 429 (refused, or too many requests); "
                "try later, or slower (DOWNLOAD_DELAY, AUTOTHROTTLE_TARGET_CONCURRENCY)")
    if summary.outcome == "not-the-blog":
        impostors = [failure for failure in summary.failures if failure["kind"] in IMPOSTOR_KINDS]
        first = f" (first: {impostors[0]['url']}: {impostors[0]['reason']})" if impostors else ""
        return (f"{len(impostors)} post pages answered a page that is not the post{first}; maintenance, a parked "
                "domain or a captive portal? The archived posts were kept; the next crawl asks them again")
    if summary.outcome == "interrupted":
        why = STOP_REASONS.get(summary.finish_reason, summary.finish_reason)
        return f"the crawl stopped before its end ({why}); what it fetched is archived, and the next crawl completes the rest"
    if summary.run_id is None:
        return f"the crawl could not start: {summary.write_error or summary.finish_reason}"
    if summary.write_error:
        closed = f"its run could not be closed: {summary.close_error}" if summary.close_error else f"run {summary.run_id} marked failed"
        return (f"the archive could not be written, the crawl stopped: {summary.write_error}; "
                f"{plural(sum(summary.unwritten.values()), 'item')} not archived; {closed}")
    return f"run {summary.run_id} could not be closed in the archive: {summary.close_error}"
