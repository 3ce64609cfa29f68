"""The `archiver` verbs that only read the archive: export, search, show, categories, tags, stats, runs.

They read while a crawl may write, and never write, not even a migration (archiver.store.connection.reading).
Thin click verbs that delegate to archiver.views; registered on the group by archiver.cli. What they print
holds no raw control character (archiver.terminal).
"""

from __future__ import annotations

import json
import sys

import click

from archiver.cli.options import db_option, filter_options, one_of
from archiver.terminal import plural, printable, printable_json


# The options of the records' export that `export html` refuses, and why.
NOT_FOR_HTML = {
    "out": "--out is for json and jsonl: export html writes its pages into DIR",
    "with_revisions": "--with-revisions is for json and jsonl: the reader shows each post as last archived",
    "with_history": "--with-history is for warc and wacz",
}
# The options `export warc` and `export wacz` refuse, and why.
NOT_FOR_WEB_ARCHIVES = {
    "out": "--out is for json and jsonl: export {fmt} writes FILE",
    "with_revisions": "--with-revisions is for json and jsonl: export {fmt} --with-history adds the earlier copies of pages",
    "force": "--force is for export html: export {fmt} replaces FILE",
}


@click.command()
@click.argument("fmt", metavar="{json,jsonl,html,warc,wacz}", type=click.Choice(["json", "jsonl", "html", "warc", "wacz"]))
@click.argument("directory", metavar="[DIR|FILE]", required=False, type=click.Path())
@db_option()
@click.option("--out", "out", default="-", show_default=True, help="Output file, or - for standard output (json, jsonl).")
@filter_options
@click.option("--updated-since", metavar="DATE", help="Only posts new, changed or gone since DATE (a delta export).")
@click.option("--with-revisions", is_flag=True, help="Add each post's earlier versions (json, jsonl).")
@click.option("--force", is_flag=True, help="Replace files in DIR that no earlier export wrote (html).")
@click.option("--with-history", is_flag=True, help="Add earlier copies of post pages and each 304 as a revisit (warc, wacz).")
@click.pass_context
def export(ctx, fmt, directory, db_path, out, categories, tags, since, until, updated_since, with_revisions, force,
           with_history):
    """Export the archive as JSON (an array) or JSON Lines (one post a line), streamed, oldest post first;
    or, with `html DIR`, as a static site to read offline from file:// (home, categories, posts, search);
    or, with `warc FILE.warc.gz` or `wacz FILE.wacz`, as the pages it fetched, to replay in pywb or ReplayWeb.page.

    Example: archiver export jsonl --db data/archive.db --updated-since 2026-11-01 --out delta.jsonl

    Example: archiver export html data/reader --db data/archive.db

    Example: archiver export wacz blog.wacz --db data/archive.db --with-history
    """
    filters = {"category": categories, "tag": tags, "since": since, "until": until, "updated_since": updated_since}
    if fmt in ("warc", "wacz"):
        _refuse_given(ctx, NOT_FOR_WEB_ARCHIVES, fmt=fmt)
        if not directory:
            raise click.UsageError(f"export {fmt} needs the file to write: archiver export {fmt} FILE")
        _export_web_archive(fmt, directory, db_path, with_history, filters)
        return
    if fmt == "html":
        from archiver.reader import export_html

        if not directory:
            raise click.UsageError("export html needs the folder to write: archiver export html DIR")
        _refuse_given(ctx, NOT_FOR_HTML)
        summary = export_html(db_path, directory, force=force, **filters)
        click.echo(f"Reader: {plural(summary.posts, 'post')}, {plural(summary.categories, 'category', 'categories')} in {directory} "
                   f"({summary.written} files written, {summary.unchanged} unchanged, {summary.removed} removed). "
                   f"Open {summary.home.as_uri()}")
        return
    if directory:
        raise click.UsageError(f"export {fmt} writes to --out FILE, not to a folder")
    if force:
        raise click.UsageError("--force is for export html (files in DIR it did not write); --out FILE is replaced anyway")
    if with_history:
        raise click.UsageError("--with-history is for warc and wacz; json and jsonl take --with-revisions")
    from archiver.store.filters import filters_text
    from archiver.views.export_records import export_to

    count = export_to(fmt, db_path, out, **filters, with_revisions=with_revisions)
    if out != "-":
        click.echo(printable(f"Exported {plural(count, 'post')}{filters_text(**filters)} to {out}"), err=True)
    elif not count and any(filters.values()):
        click.echo(printable(f"No post{filters_text(**filters)}."), err=True)


def _refuse_given(ctx, refused: dict[str, str], **words) -> None:
    """A usage error for the first option given on the command line that this format refuses."""
    for name, why in refused.items():
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(why.format(**words))


def _export_web_archive(fmt: str, path: str, db_path: str, with_history: bool, filters: dict) -> None:
    """`export warc|wacz FILE`: each unreadable copy named on stderr as it comes, the summary, and a failure
    (after the rest is written) when some were left out."""
    from archiver.errors import ArchiveError
    from archiver.store.filters import filters_text
    from archiver.warc.export import summary_line

    warn = lambda message: click.echo(printable(f"Not exported: {message}"), err=True)  # noqa: E731
    if fmt == "warc":
        from archiver.warc.export import export_warc

        summary = export_warc(db_path, path, with_history=with_history, warn=warn, **filters)
    else:
        from archiver.warc.wacz import export_wacz

        summary = export_wacz(db_path, path, with_history=with_history, warn=warn, **filters)
    click.echo(printable(summary_line(summary, path, filters_text(**filters))), err=True)
    if summary.unreadable:
        raise ArchiveError(f"{plural(summary.unreadable, 'copy', 'copies')} could not be exported (named above); "
                           f"the rest is in {path}")


@click.command()
@click.argument("query")
@db_option()
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many posts, best first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines: each hit's export record with its rank and snippet.")
def search(query, db_path, categories, tags, since, until, limit, as_json):
    """Full-text search of titles and texts, best first, accents and case aside ("elysee" finds "Élysée").

    Plain words must all appear; FTS5 syntax works too: "a phrase", OR, NOT, NEAR(a b), prefix*, title:word.

    Example: archiver search "sahel" --category Mali --since 2021 --db data/archive.db
    """
    from archiver.store.filters import filters_text
    from archiver.views.search_results import search_archive, search_json_lines, search_text

    result = search_archive(db_path, query, categories=categories, tags=tags, since=since, until=until, limit=limit)
    output = search_json_lines(result) if as_json else search_text(
        result, query, terminal=sys.stdout.isatty(), filters=filters_text(categories, tags, since, until))
    if output:
        click.echo(output)


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the categories as a JSON array.")
def categories(db_path, as_json):
    """List the archive's categories: number of posts, name, URL.

    Example: archiver categories --db data/archive.db
    """
    from archiver.views.archive_contents import categories_json, categories_text, list_categories

    found = list_categories(db_path)
    click.echo(printable_json(categories_json(found)) if as_json else categories_text(found))


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the tags as a JSON array.")
def tags(db_path, as_json):
    """List the archive's tags: number of posts, name, URL of the tag's page.

    Example: archiver tags --db data/archive.db
    """
    from archiver.views.archive_contents import categories_json, list_tags, tags_text

    found = list_tags(db_path)
    click.echo(printable_json(categories_json(found)) if as_json else tags_text(found))


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as a JSON object.")
def stats(db_path, as_json):
    """The archive's figures: the blog (its name, description and author, as the last crawl from its home page
    read them), posts, gone posts, categories, comments, revisions, oldest and newest post, the last crawl, the
    file's size.

    Example: archiver stats --db data/archive.db
    """
    from archiver.views.archive_contents import read_stats, stats_record, stats_text

    record = stats_record(read_stats(db_path), db_path)
    click.echo(printable_json(json.dumps(record, ensure_ascii=False, indent=2)) if as_json else stats_text(record))


@click.command()
@click.argument("post", metavar="ID|URL")
@db_option()
@one_of("view", "show prints one view of the post (text by default, --json, --html or --revisions)",
        ("--json", "json", "Print the post's export record (with comments and revisions)."),
        ("--html", "html",
         "Print the post as a standalone web page (its sanitised HTML; images from the media folder, nothing from the network)."),
        ("--revisions", "revisions", "List the post's versions, oldest first, and what each change was."))
def show(post, db_path, view):
    """Show one archived post with its comments, by id, permalink or an old URL of it.

    Example: archiver show 6362153 --html --db data/archive.db > billet.html
    """
    from archiver.views.export_records import export_record
    from archiver.views.post import find_post_row, local_images, post_html, post_text, revisions_text

    row = find_post_row(db_path, post)
    record = export_record(row, with_revisions=True)
    views = {"json": lambda: printable_json(json.dumps(record, ensure_ascii=False, indent=2)),
             "html": lambda: post_html(record, local_images(row, db_path)), "revisions": lambda: revisions_text(record)}
    click.echo(views.get(view, lambda: post_text(record))(), nl=view != "html")


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the runs as a JSON array.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many runs, newest first.")
@click.option("--failures", is_flag=True, help="Under each run, the URLs it failed on: kind, status, attempts, reason.")
def runs(db_path, as_json, limit, failures):
    """List the archive's crawl runs, newest first: id, start, duration, outcome, mode and counts.

    Example: archiver runs --db data/archive.db --limit 5 --failures
    """
    from archiver.views.runs import list_runs, runs_json, runs_text

    found = list_runs(db_path, limit, failures=failures)
    click.echo(runs_json(found) if as_json else runs_text(found, db_path))


COMMANDS = (export, search, show, categories, tags, stats, runs)
