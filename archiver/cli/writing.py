"""The `archiver` verbs that write an archive: crawl, reextract, and demo (which archives the sample blog)."""

from __future__ import annotations

import inspect
import sys

import click

from archiver.cli.options import chosen_profiles, db_option, one_of, theme_file_option, warc_options
from archiver.crawl.outcomes import OUTCOMES, exit_statuses_help
from archiver.terminal import printable


@click.command()
@click.argument("urls", nargs=-1, required=True)
@db_option()
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting for this run.")
@theme_file_option
@click.option("-v", "--verbose", is_flag=True, help="Log every request (Scrapy's INFO level) and print the per-field table.")
@one_of("mode", "a crawl runs in one mode (incremental by default, --revalidate or --full)",
        ("--revalidate", "revalidate",
         "Also ask for every archived post again with its stored ETag / Last-Modified (edits and deletions anywhere)."),
        ("--full", "full", "Walk and fetch everything, as on a first crawl."))
@click.option("--log-file", type=click.Path(dir_okay=False), help="Append the log (INFO), the summary and the outcome to this file.")
@click.option("--contact", envvar="ARCHIVER_CONTACT", help="Your e-mail or web page, in the User-Agent for the blog's owner. Environment: ARCHIVER_CONTACT.")
@warc_options
@click.pass_context
def crawl(ctx, urls, db_path, settings, theme_files, verbose, mode, log_file, contact, warc_dir, warc_size):
    """Crawl category pages (or the home page) and archive every post they lead to.

    One crawl at a time per archive: a second one exits 75 at once. On a terminal a progress line
    shows pages, posts and rate; elsewhere (cron) only warnings and the summary are printed.

    Example: archiver crawl https://monblog.hautetfort.com/ --db data/archive.db --log-file data/crawl.log
    """
    from archiver.crawl import preflight
    from archiver.extensions.warc_capture import prepare_warc_dir
    from archiver.crawl.run import run_crawl
    from archiver.views.crawl_summary import stderr_lines, summary_text
    from archiver.crawl.run_settings import checked_settings, option_overrides, parse_overrides
    from archiver.crawl.archive_lock import ArchiveLock
    from archiver.crawl.log_file import LogFile

    if warc_size and not warc_dir:
        raise click.UsageError("--warc-size goes with --warc-dir (the folder of the WARC files it sizes)", ctx)
    with LogFile(log_file) as log:
        overrides = option_overrides(settings, verbose=verbose, interactive=sys.stderr.isatty(), mode=mode,
                                     theme_files=theme_files, contact=contact, warc_dir=warc_dir,
                                     warc_size=warc_size)
        preflight.check_start_urls(list(urls))  # not an http(s) URL: status 2
        preflight.check_setting_names(parse_overrides(settings))  # an unknown -s NAME: status 7
        checked = checked_settings(db_path, overrides)  # a bad setting value or theme file: status 7
        preflight.check_archive_path(db_path)  # a missing or read-only folder, a file that is not an archive: 2
        preflight.check_hosts(list(urls), checked)  # a host that does not resolve: 5; so far nothing touched
        with ArchiveLock(db_path):  # another crawl on this archive: status 75, nothing touched
            if checked.get("ARCHIVER_WARC_DIR"):
                prepare_warc_dir(checked.get("ARCHIVER_WARC_DIR"))  # --warc-dir made if missing; not writable: 2
            summary = run_crawl(list(urls), db_path, overrides)
        report = printable(summary_text(summary, verbose=verbose))
        reasons = [printable(line) for line in stderr_lines(summary)]
        click.echo(report)
        for line in reasons:
            click.echo(line, err=True)
        log.write("\n".join([report, *reasons]))
    ctx.exit(OUTCOMES[summary.outcome].exit_status)


# The docstring dedented first: click dedents the help as a whole, and the table added here is not indented.
crawl.help = inspect.cleandoc(crawl.help) + "\n\n" + exit_statuses_help()


@click.command()
@db_option()
@theme_file_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A setting, as for crawl (e.g. ARCHIVER_BUNDLED_PROFILES=false).")
def reextract(db_path, theme_files, settings):
    """Run extraction again over the pages stored in the archive (no network), keeping revisions.

    It takes the crawl's lock: while a crawl (or another reextract) runs on the archive it exits 75 at once.

    Example: archiver reextract --db data/archive.db --theme-file mytheme.toml
    """
    from archiver.crawl import preflight
    from archiver.crawl.archive_lock import ArchiveLock
    from archiver.crawl.reextract import failure_lines, reextract as run_reextract, reextract_summary

    profiles = chosen_profiles(settings, theme_files)
    preflight.check_existing_archive(db_path)  # missing, or not an archive: status 2, no lock file made
    with ArchiveLock(db_path, "reextract"):  # a crawl (or another reextract) on this archive: status 75, nothing touched
        counts = run_reextract(db_path, profiles)
    click.echo(reextract_summary(counts, db_path))
    for line in failure_lines(counts):
        click.echo(line, err=True)


@click.command()
@db_option(default="data/demo.db")
@click.option("--posts", default=76, show_default=True, help="How many posts the sample blog has, besides its 4 faulty pages.")
@click.option("--drift", is_flag=True, help="Serve the sample blog in drifted templates (renamed parts; some no "
              "bundled theme profile knows).")
def demo(db_path, posts, drift):
    """Serve the bundled sample blog on 127.0.0.1 and archive it, start to finish.

    Example: archiver demo --drift
    """
    from archiver.replica.demo import MIN_DEMO_POSTS, run_demo

    if posts < MIN_DEMO_POSTS:
        raise click.BadParameter(f"the sample blog has at least {MIN_DEMO_POSTS} posts", param_hint="'--posts'")
    run_demo(db_path, posts=posts, drift=drift, echo=click.echo)


COMMANDS = (crawl, reextract, demo)
