"""The `archiver` command line: the group, and the verbs that crawl, check, inspect, re-extract and demo; the
verbs that only read the archive are in archiver.cli_reading. Thin click verbs that delegate to the library."""

from __future__ import annotations

import os
import sqlite3
import sys

import click

from archiver.cli_options import db_option, theme_file_option
from archiver.cli_reading import READING_COMMANDS
from archiver.errors import ArchiverError
from archiver.outcomes import OUTCOMES, error_outcome, exit_statuses_help
from archiver.terminal import printable


# A reader that went away (`archiver export jsonl | head`): the command stops quietly with the status a shell
# reports for `git log | head` (128 + SIGPIPE), never a traceback.
EXIT_CLOSED_PIPE = 141


class ArchiverGroup(click.Group):
    """A click group that shows library errors as one line and exits with their status (archiver.outcomes):
    `Locked: ...` 75 (also when SQLite reports the archive locked by another writer), `Configuration error: ...` 7,
    `Error: ...` 2 for a bad argument, else 1; a closed standard output ends the command quietly, status 141."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchiverError as error:
            fail(ctx, error_outcome(error), str(error))
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            fail(ctx, OUTCOMES["locked"], f"another process is writing the archive ({error}); try again when it ends")
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)  # what is still buffered goes nowhere, not to a traceback
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_CLOSED_PIPE)


def fail(ctx: click.Context, outcome, reason: str) -> None:
    """Print `Prefix: reason` on stderr (no raw control character) and exit with the outcome's status."""
    click.echo(printable(f"{outcome.prefix}: {reason}"), err=True)
    ctx.exit(outcome.exit_status)


@click.group(cls=ArchiverGroup)
@click.version_option(package_name="blog-archiver")
def cli():
    """Archive a Hautetfort / blogSpirit blog into a searchable, offline SQLite file."""


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@db_option()
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting for this run.")
@theme_file_option
@click.option("-v", "--verbose", is_flag=True, help="Log every request (Scrapy's INFO level) and print the per-field table.")
@click.option("--revalidate", "mode", flag_value="revalidate",
              help="Also ask for every archived post again with its stored ETag / Last-Modified (edits and deletions anywhere).")
@click.option("--full", "mode", flag_value="full", help="Walk and fetch everything, as on a first crawl.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Append the log (INFO), the summary and the outcome to this file.")
@click.option("--contact", envvar="ARCHIVER_CONTACT", help="Your e-mail or web page, in the User-Agent for the blog's owner. Environment: ARCHIVER_CONTACT.")
@click.pass_context
def crawl(ctx, urls, db_path, settings, theme_files, verbose, mode, log_file, contact):
    """Crawl category pages (or the home page) and archive every post they lead to.

    One crawl at a time per archive: a second one exits 75 at once. On a terminal a progress line
    shows pages, posts and rate; elsewhere (cron) only warnings and the summary are printed.

    Example: archiver crawl https://monblog.hautetfort.com/ --db data/archive.db --log-file data/crawl.log
    """
    from archiver import door
    from archiver.crawl import reason_lines, run_crawl, summary_text
    from archiver.crawl_options import checked_settings, option_overrides, parse_overrides
    from archiver.lock import ArchiveLock
    from archiver.log_file import LogFile

    with LogFile(log_file) as log:
        overrides = option_overrides(settings, verbose=verbose, interactive=sys.stderr.isatty(), mode=mode,
                                     theme_files=theme_files, contact=contact)
        door.check_start_urls(list(urls))  # not an http(s) URL: status 2
        door.check_setting_names(parse_overrides(settings))  # an unknown -s NAME: status 7
        checked = checked_settings(db_path, overrides)  # a bad setting value or theme file: status 7
        door.check_archive_path(db_path)  # a missing or read-only folder, a file that is not an archive: 2
        door.check_hosts(list(urls), checked)  # a host that does not resolve: 5; so far nothing touched
        with ArchiveLock(db_path):  # another crawl on this archive: status 75, nothing touched
            summary = run_crawl(list(urls), db_path, overrides)
        report, reasons = printable(summary_text(summary, verbose=verbose)), [printable(line) for line in reason_lines(summary)]
        click.echo(report)
        for line in reasons:
            click.echo(line, err=True)
        log.write("\n".join([report, *reasons]))
    ctx.exit(OUTCOMES[summary.outcome].exit_status)


crawl.help += "\n\n" + exit_statuses_help()


@cli.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the runs as a JSON array.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many runs, newest first.")
@click.option("--failures", is_flag=True, help="Under each run, the URLs it failed on: kind, status, attempts, reason.")
def runs(db_path, as_json, limit, failures):
    """List the archive's crawl runs, newest first: id, start, duration, outcome, mode and counts.

    Example: archiver runs --db data/archive.db --limit 5 --failures
    """
    from archiver.runs_report import list_runs, runs_json, runs_text

    found = list_runs(db_path, limit, failures=failures)
    click.echo(runs_json(found) if as_json else runs_text(found, db_path))


@cli.command()
@db_option()
@click.option("--repair", is_flag=True, help="Mend what can be mended (rebuild the full-text index, close runs a killed crawl left running), then check again.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def check(ctx, db_path, repair, as_json):
    """Verify the archive: SQLite's integrity and foreign keys, the full-text index against the posts and
    its triggers, posts stored twice, runs a killed crawl left running, a schema older than this archiver's.
    It only reads the archive (--repair writes, under the crawl lock). Exits 0 when sound (or mended), 1 otherwise,
    75 when a crawl or a reextract is writing the archive (nothing checked: try again when it ends).

    Example: archiver check --db data/archive.db --repair
    """
    from archiver.check import report_json, report_text, run_check

    report = run_check(db_path, repair=repair)
    click.echo(report_json(report) if as_json else report_text(report))
    if not report.sound:
        click.echo(f"Error: {db_path} has problems (see above)", err=True)
        ctx.exit(1)


@cli.command()
@click.argument("target", metavar="URL|FILE")
@click.option("--url", help="The page's address, when TARGET is a saved file (for links and the post id).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Read the page's copy stored in this archive instead of fetching it (offline).")
@theme_file_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A setting, as for crawl (e.g. ARCHIVER_BUNDLED_PROFILES=false).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def inspect(target, url, db_path, theme_files, settings, as_json):
    """Show what would be extracted from one page (fetched once, a saved file, or its copy in an archive) and how.

    Example: archiver inspect https://monblog.hautetfort.com/archive/2022/02/04/titre-6362153.html
    """
    from archiver.inspection import inspect_page, read_page, read_stored_page
    from archiver.report import inspection_json, inspection_text

    raw = read_stored_page(db_path, target) if db_path else read_page(target, url)
    inspection = inspect_page(raw.body, raw.url, chosen_profiles(settings, theme_files), raw.content_type)
    click.echo(inspection_json(inspection) if as_json else inspection_text(inspection))


@cli.command()
@db_option()
@theme_file_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A setting, as for crawl (e.g. ARCHIVER_BUNDLED_PROFILES=false).")
def reextract(db_path, theme_files, settings):
    """Run extraction again over the pages stored in the archive (no network), keeping revisions.

    It takes the crawl's lock: while a crawl (or another reextract) runs on the archive it exits 75 at once.

    Example: archiver reextract --db data/archive.db --theme-file mytheme.toml
    """
    from archiver import door
    from archiver.lock import ArchiveLock
    from archiver.reextract import failure_lines, reextract as run_reextract, summary

    profiles = chosen_profiles(settings, theme_files)
    door.check_existing_archive(db_path)  # missing, or not an archive: status 2, no lock file made
    with ArchiveLock(db_path, "reextract"):  # a crawl (or another reextract) on this archive: status 75, nothing touched
        counts = run_reextract(db_path, profiles)
    click.echo(summary(counts, db_path))
    for line in failure_lines(counts):
        click.echo(line, err=True)


def chosen_profiles(pairs: tuple[str, ...], theme_files: tuple[str, ...]):
    """The theme profiles `-s NAME=VALUE` and --theme-file ask for (ARCHIVER_BUNDLED_PROFILES, ARCHIVER_THEME_FILES),
    checked as the crawl checks them: an unknown name or a bad value is status 7."""
    from archiver import door
    from archiver.crawl_options import checked_settings, parse_overrides
    from archiver.extract.profiles import profiles_from_settings

    overrides = parse_overrides(pairs)
    door.check_setting_names(overrides)
    if theme_files:
        overrides["ARCHIVER_THEME_FILES"] = list(theme_files)
    return profiles_from_settings(checked_settings("-", overrides))


@cli.command()
@db_option(default="data/demo.db")
@click.option("--posts", default=72, show_default=True, help="How many generated posts the sample blog has.")
@click.option("--drift", is_flag=True, help="Serve the sample blog in templates no bundled theme profile knows.")
def demo(db_path, posts, drift):
    """Serve the bundled sample blog on 127.0.0.1 and archive it, start to finish.

    Example: archiver demo --drift
    """
    from archiver.demo import run_demo

    run_demo(db_path, posts=posts, drift=drift, echo=click.echo)


for reading_command in READING_COMMANDS:
    cli.add_command(reading_command)


def main():
    """Entry point for `python -m archiver`."""
    sys.exit(cli())
