"""The `archiver` verbs that diagnose: check (is the archive sound?) and inspect (what would one page yield?)."""

from __future__ import annotations

import click

from archiver.cli.options import chosen_profiles, db_option, excludes, theme_file_option

# Why inspect's --url and --db exclude each other.
WHICH_PAGE = "--url gives a saved file's address; with --db, TARGET is the URL of a page stored in the archive"


@click.command()
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
    from archiver.views.check_report import check_json, check_text, run_check

    report = run_check(db_path, repair=repair)
    click.echo(check_json(report) if as_json else check_text(report))
    if not report.sound:
        click.echo(f"Error: {db_path} has problems (see above)", err=True)
        ctx.exit(1)


@click.command()
@click.argument("target", metavar="URL|FILE")
@click.option("--url", callback=excludes("page", WHICH_PAGE),
              help="The page's address, when TARGET is a saved file (for links and the post id).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), callback=excludes("page", WHICH_PAGE),
              help="Read the page's copy stored in this archive instead of fetching it (offline).")
@theme_file_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A setting, as for crawl (e.g. ARCHIVER_BUNDLED_PROFILES=false).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def inspect(target, url, db_path, theme_files, settings, as_json):
    """Show what would be extracted from one page (fetched once, a saved file, or its copy in an archive) and how.

    Example: archiver inspect https://monblog.hautetfort.com/archive/2022/02/04/titre-6362153.html
    """
    from archiver.views.inspection import inspect_page, read_page, read_stored_page
    from archiver.views.inspection_text import inspection_json, inspection_text

    raw = read_stored_page(db_path, target) if db_path else read_page(target, url)
    inspection = inspect_page(raw.body, raw.url, chosen_profiles(settings, theme_files), raw.content_type)
    click.echo(inspection_json(inspection) if as_json else inspection_text(inspection))


COMMANDS = (check, inspect)
