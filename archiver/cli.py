"""The `archiver` command line: thin click verbs that delegate to the library."""

from __future__ import annotations

import json
import sys

import click

from archiver.errors import ArchiverError
from archiver.extract.profiles import load_profiles
from archiver.outcomes import OUTCOMES, error_outcome, exit_statuses_help

DEFAULT_DB = "data/archive.db"


class ArchiverGroup(click.Group):
    """A click group that shows library errors as one line and exits with their status (archiver.outcomes):
    `Locked: ...` 75, `Configuration error: ...` 7, `Error: ...` 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchiverError as error:
            outcome = error_outcome(error)
            click.echo(f"{outcome.prefix}: {error}", err=True)
            ctx.exit(outcome.exit_status)


def db_option(default: str = DEFAULT_DB):
    """The --db option every command takes (ARCHIVER_DB overrides the default)."""
    return click.option(
        "--db",
        "db_path",
        default=default,
        envvar="ARCHIVER_DB",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The archive file (SQLite). Environment: ARCHIVER_DB.",
    )


def filter_options(command):
    """The filters search and export share: --category (repeatable), --since, --until."""
    for option in reversed([
        click.option("--category", "categories", multiple=True, metavar="NAME",
                     help="Only posts filed under this category (name or slug; accents and case aside). Repeat for any of several."),
        click.option("--since", metavar="DATE", help="Only posts published on or after DATE: 2022-02-04, 2022-02, 2022, « 4 février 2022 », « février 2022 »."),
        click.option("--until", metavar="DATE", help="Only posts published on or before DATE (the whole day, month or year it names)."),
    ]):
        command = option(command)
    return command


theme_file_option = click.option(
    "--theme-file",
    "theme_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A theme profile (TOML) tried before the bundled ones.",
)


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
        report, reasons = summary_text(summary, verbose=verbose), reason_lines(summary)
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
@click.argument("fmt", metavar="{json,jsonl,html}", type=click.Choice(["json", "jsonl", "html"]))
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path(file_okay=False))
@db_option()
@click.option("--out", "out", default="-", show_default=True, help="Output file, or - for standard output (json, jsonl).")
@filter_options
@click.option("--updated-since", metavar="DATE", help="Only posts new, changed or gone since DATE (a delta export).")
@click.option("--with-revisions", is_flag=True, help="Add each post's earlier versions (json, jsonl).")
def export(fmt, directory, db_path, out, categories, since, until, updated_since, with_revisions):
    """Export the archive as JSON (an array) or JSON Lines (one post a line), streamed, oldest post first;
    or, with `html DIR`, as a static site to read offline from file:// (home, categories, posts, search).

    Example: archiver export jsonl --db data/archive.db --updated-since 2026-11-01 --out delta.jsonl

    Example: archiver export html data/reader --db data/archive.db
    """
    filters = {"category": categories, "since": since, "until": until, "updated_since": updated_since}
    if fmt == "html":
        from archiver.reader import export_html

        if not directory:
            raise click.UsageError("export html needs the folder to write: archiver export html DIR")
        summary = export_html(db_path, directory, **filters)
        click.echo(f"Reader: {summary.posts} posts, {summary.categories} categories in {directory} "
                   f"({summary.written} files written, {summary.unchanged} unchanged, {summary.removed} removed). "
                   f"Open {summary.home.as_uri()}")
        return
    if directory:
        raise click.UsageError(f"export {fmt} writes to --out FILE, not to a folder")
    from archiver.export import export_to

    count = export_to(fmt, db_path, out, **filters, with_revisions=with_revisions)
    if out != "-":
        click.echo(f"Exported {count} posts to {out}", err=True)


@cli.command()
@click.argument("query")
@db_option()
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many posts, best first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines: each hit's export record with its rank and snippet.")
def search(query, db_path, categories, since, until, limit, as_json):
    """Full-text search of titles and texts, best first, accents and case aside ("elysee" finds "Élysée").

    Plain words must all appear; FTS5 syntax works too: "a phrase", OR, NOT, NEAR(a b), prefix*, title:word.

    Example: archiver search "sahel" --category Mali --since 2021 --db data/archive.db
    """
    from archiver.search import run_search, search_json_lines, search_text

    result = run_search(db_path, query, categories=categories, since=since, until=until, limit=limit)
    output = search_json_lines(result) if as_json else search_text(result, query, terminal=sys.stdout.isatty())
    if output:
        click.echo(output)


@cli.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the categories as a JSON array.")
def categories(db_path, as_json):
    """List the archive's categories: number of posts, name, URL.

    Example: archiver categories --db data/archive.db
    """
    from archiver.overview import categories_json, categories_text, read_archive
    from archiver.store import category_counts

    found = read_archive(db_path, category_counts)
    click.echo(categories_json(found) if as_json else categories_text(found))


@cli.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as a JSON object.")
def stats(db_path, as_json):
    """The archive's figures: posts, gone posts, categories, comments, revisions, oldest and newest post,
    the last crawl, the file's size.

    Example: archiver stats --db data/archive.db
    """
    from archiver.overview import read_archive, read_stats, stats_record, stats_text

    record = stats_record(read_archive(db_path, read_stats), db_path)
    click.echo(json.dumps(record, ensure_ascii=False, indent=2) if as_json else stats_text(record))


@cli.command()
@db_option()
@click.option("--repair", is_flag=True, help="Mend what can be mended (rebuild the full-text index, close runs a killed crawl left running), then check again.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def check(ctx, db_path, repair, as_json):
    """Verify the archive: SQLite's integrity and foreign keys, the full-text index against the posts and
    its triggers, posts stored twice, runs a killed crawl left running. Exits 0 when sound (or mended), 1 otherwise.

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
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def inspect(target, url, db_path, theme_files, as_json):
    """Show what would be extracted from one page (fetched once, a saved file, or its copy in an archive) and how.

    Example: archiver inspect https://monblog.hautetfort.com/archive/2022/02/04/titre-6362153.html
    """
    from archiver.inspection import inspect_page, read_page, read_stored_page
    from archiver.report import inspection_json, inspection_text

    raw = read_stored_page(db_path, target) if db_path else read_page(target, url)
    inspection = inspect_page(raw.body, raw.url, load_profiles(theme_files), raw.content_type)
    click.echo(inspection_json(inspection) if as_json else inspection_text(inspection))


@cli.command()
@click.argument("post", metavar="ID|URL")
@db_option()
@click.option("--json", "view", flag_value="json", help="Print the post's export record (with comments and revisions).")
@click.option("--html", "view", flag_value="html", help="Print the post as a standalone web page (its sanitised HTML).")
@click.option("--revisions", "view", flag_value="revisions", help="List the post's versions, oldest first, and what each change was.")
def show(post, db_path, view):
    """Show one archived post with its comments, by id, permalink or an old URL of it.

    Example: archiver show 6362153 --html --db data/archive.db > billet.html
    """
    from archiver.show import find_post, post_html, post_text, revisions_text

    record = find_post(db_path, post)
    views = {"json": lambda: json.dumps(record, ensure_ascii=False, indent=2), "html": lambda: post_html(record),
             "revisions": lambda: revisions_text(record)}
    click.echo(views.get(view, lambda: post_text(record))(), nl=view != "html")


@cli.command()
@db_option()
@theme_file_option
def reextract(db_path, theme_files):
    """Run extraction again over the pages stored in the archive (no network), keeping revisions.

    Example: archiver reextract --db data/archive.db --theme-file mytheme.toml
    """
    from archiver.reextract import reextract as run_reextract

    counts = run_reextract(db_path, load_profiles(theme_files))
    posts = sum(counts[outcome] for outcome in ("updated", "unchanged", "inserted"))
    click.echo(
        f"Re-extracted {posts} posts from their newest stored pages in {db_path}: {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['inserted']} new; {counts['skipped']} pages without a post, "
        f"{counts['older']} older copies passed over; {counts['warnings']} warnings."
    )


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


def main():
    """Entry point for `python -m archiver`."""
    sys.exit(cli())
