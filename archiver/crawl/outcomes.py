"""A crawl's outcome and its exit status: the one table that the README, `crawl --help` and the tests share."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from archiver import urls
from archiver.errors import ArchiveLocked, ConfigError, ExtractionError, Unresolvable, UsageError
from archiver.store.retries import GONE_STATUSES, LISTING_KINDS
from archiver.store.runs import DRIFT, FAILED, FINISHED, INTERRUPTED, PARTIAL

if TYPE_CHECKING:
    from archiver.crawl.run import CrawlSummary

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # click's own
EXIT_DRIFT = 3
EXIT_PARTIAL = 4
EXIT_UNREACHABLE = 5
EXIT_BLOCKED = 6
EXIT_CONFIG = 7
EXIT_INTERRUPTED = 8
EXIT_NOT_THE_BLOG = 9
EXIT_LOCKED = 75  # EX_TEMPFAIL of sysexits.h: "try again later", as the issue fixes it

# Failures that mean the crawl lost something it was asked for, wherever they happen: a request refused
# (robots.txt, another host), a listing cut at the page limit, a category whose pages list more posts
# than the crawl could read ("short"), a post the archive refused ("unwritable"), a page at a post's
# URL that is not the post (the archived post kept, not refreshed), a response the WARC capture could not write
# ("warc": `crawl --warc-dir`).
LOST_KINDS = ("robots", "offsite", "truncated", "short", "unwritable", "not-the-post", "warc")
# Failures of a listing page (category, month, home...) that mean it was not read, or read only in part:
# the posts it lists may be missing. 404/410 are the blog saying the page is no more.
LISTING_FAILURES = ("http", "download", "spider-error", "pipeline-error", "extraction", "ignored")
# A run is "not-the-blog" when at least this many post URLs answered a page that is not the post, and they
# are as many as the posts it archived or more (a maintenance page, a parked domain, a captive portal).
NOT_THE_BLOG_MIN = 3
IMPOSTOR_KINDS = ("not-the-post", "extraction")
# Answers that say "not you" or "not now"; a crawl is blocked when they are half its answers or more.
REFUSING_STATUSES = (403, 429)


@dataclass(frozen=True)
class Outcome:
    """One outcome of `archiver crawl`: its exit status, the run status it leaves, its stderr line's prefix."""

    name: str
    exit_status: int
    run_status: str | None  # None: no run is written (the crawl never started)
    prefix: str
    meaning: str


OUTCOMES = {outcome.name: outcome for outcome in (
    Outcome("ok", EXIT_OK, FINISHED, "", "finished, archived what it was asked for, nothing drifted"),
    Outcome("error", EXIT_ERROR, FAILED, "Error", "the archive could not be opened or written"),
    Outcome("usage", EXIT_USAGE, None, "Error", "a bad argument: an unknown option, a missing or non-archive --db file, a bad date or search query"),
    Outcome("drift", EXIT_DRIFT, DRIFT, "Drift", "finished, but extraction drifted (a theme change?)"),
    Outcome("partial", EXIT_PARTIAL, PARTIAL, "Incomplete", "finished, but lost something it was asked for"),
    Outcome("unreachable", EXIT_UNREACHABLE, FAILED, "Unreachable", "nothing answered (connection refused, DNS, timeouts)"),
    Outcome("blocked", EXIT_BLOCKED, FAILED, "Blocked", "rate-limited or refused: 429 / 403 were half the answers or more"),
    Outcome("config", EXIT_CONFIG, None, "Configuration error", "a bad setting or option value, a bad theme file"),
    Outcome("interrupted", EXIT_INTERRUPTED, INTERRUPTED, "Interrupted", "stopped before its end (SIGTERM, Ctrl-C)"),
    Outcome("not-the-blog", EXIT_NOT_THE_BLOG, PARTIAL, "Not the blog",
            "post URLs answered pages that are not the posts (maintenance? parked domain?); nothing was overwritten"),
    Outcome("locked", EXIT_LOCKED, None, "Locked", "another crawl holds the archive; nothing was touched"),
)}


@dataclass
class RunFacts:
    """What judging a finished crawl needs: how it ended, what answered, what was lost, what drifted."""

    finish_reason: str
    start_urls: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # crawl_failures rows: url, kind, reason
    pending: list[dict] = field(default_factory=list)  # listing pages still unread from earlier runs: url, reason
    responses: int = 0  # HTTP answers of any status, robots.txt and retries included
    refusals: int = 0  # of which 403 or 429
    archived: int = 0  # posts stored: new, updated or unchanged
    listings: int = 0  # listing pages that answered
    drifting: list[str] = field(default_factory=list)  # fields that drifted
    write_failed: bool = False

    @classmethod
    def from_stats(cls, stats: dict, **facts) -> RunFacts:
        """Facts read from a crawl's Scrapy stats (`downloader/response_status_count/429`...), plus `facts`."""
        refusals = sum(stats.get(f"downloader/response_status_count/{status}", 0) for status in REFUSING_STATUSES)
        archived = sum(stats.get(f"archiver/posts/{kind}", 0) for kind in ("inserted", "updated", "unchanged"))
        return cls(responses=stats.get("downloader/response_count", 0), refusals=refusals, archived=archived,
                   listings=stats.get("archiver/pages/listings", 0), pending=stats.get("archiver/retries/waiting", []),
                   **facts)


def judge(facts: RunFacts) -> Outcome:
    """The outcome of a crawl that ran: error, interrupted, unreachable, blocked, partial, drift or ok, the
    first that applies."""
    if facts.write_failed:
        return OUTCOMES["error"]
    if facts.finish_reason != "finished":
        return OUTCOMES["interrupted"]
    if facts.responses == 0 and not facts.archived:
        return OUTCOMES["unreachable"]
    if was_blocked(facts):
        return OUTCOMES["blocked"]
    if was_not_the_blog(facts):
        return OUTCOMES["not-the-blog"]
    if losses(facts):
        return OUTCOMES["partial"]
    return OUTCOMES["drift" if facts.drifting else "ok"]


def was_blocked(facts: RunFacts) -> bool:
    """Whether 403s and 429s were half the answers or more."""
    return facts.refusals > 0 and 2 * facts.refusals >= facts.responses


def was_not_the_blog(facts: RunFacts) -> bool:
    """Whether so many post URLs answered pages that are not the posts (an archived post's replacement
    refused, or a page with no post) that the blog itself was not there."""
    impostors = sum(1 for failure in facts.failures if failure["kind"] in IMPOSTOR_KINDS)
    return impostors >= NOT_THE_BLOG_MIN and impostors >= facts.archived


def losses(run: RunFacts | CrawlSummary) -> list[str]:
    """What a crawl was asked for and did not archive, one line each naming the URL (`run`: the facts the
    Store judges, or the summary of a finished crawl; both have failures, start_urls, archived, listings,
    pending): a start URL that failed; a listing page not read, or read only in part (its posts may be
    missing); a request refused by robots.txt or redirected off-site, a listing cut by the page limit, a
    category still short after its walk, a post the archive refused, a page that was not the post; a listing
    page an earlier run could not read and that is still unread (`pending`); or, when none of these explains
    it, a crawl from start URLs that archived no post and no listing page. A crawl that never started (no
    run, no start URL recorded) lost nothing: its failure is an error."""
    starts = set(run.start_urls)
    lines = list(dict.fromkeys(
        ("start URL " if failure["url"] in starts and failure["kind"] not in LOST_KINDS else "")
        + f"{failure['url']}: {failure['reason']}"
        for failure in run.failures if is_loss(failure, starts)
    ))
    lines += [f"{retry['url']}: not read since {retry['first_failed'][:10]} ({retry['reason']}); asked again "
              + (f"in {retry['wait']} runs" if retry.get("wait") else "by the next crawl") for retry in run.pending or ()]
    if not lines and run.start_urls and not run.archived and not run.listings:
        lines.append(f"nothing archived from {', '.join(run.start_urls)}: no post, no listing page answered")
    return lines


def is_loss(failure: dict, starts: set[str]) -> bool:
    """Whether one recorded failure is a loss of the run (see `losses`)."""
    if failure["kind"] in LOST_KINDS or failure["url"] in starts:
        return True
    return (failure["kind"] in LISTING_FAILURES and failure.get("status") not in GONE_STATUSES
            and urls.page_kind(failure["url"]) in LISTING_KINDS)


def error_outcome(error: Exception) -> Outcome:
    """The outcome of a command that raised: locked (ArchiveLocked), config (a bad setting, option
    value or theme file), usage (a bad argument: a missing or non-archive file, a bad date or query)
    or error (any other)."""
    if isinstance(error, ArchiveLocked):
        return OUTCOMES["locked"]
    if isinstance(error, Unresolvable):  # found before the crawl starts: an `Error:` line, unreachable's status
        return replace(OUTCOMES["unreachable"], prefix="Error")
    if isinstance(error, (ConfigError, ExtractionError)):
        return OUTCOMES["config"]
    return OUTCOMES["usage" if isinstance(error, UsageError) else "error"]


def exit_statuses_help() -> str:
    """The exit statuses as `archiver crawl --help` lists them (click keeps a `\\b` paragraph as it is)."""
    rows = sorted(OUTCOMES.values(), key=lambda outcome: outcome.exit_status)
    return "\b\nExit statuses:\n" + "\n".join(f"  {o.exit_status:>2}  {o.name}: {o.meaning}" for o in rows)
