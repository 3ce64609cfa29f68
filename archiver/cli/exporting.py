"""The `archiver export` verb: the posts as JSON or JSON Lines, the offline reader, the feed of the archive's changes,
and the fetched pages as WARC or WACZ; each format refuses, by name, the options that are not for it.

It only reads the archive, while a crawl may write (archiver.store.connection.reading). A thin click verb that
delegates to archiver.views, archiver.reader and archiver.warc; registered on the group by archiver.cli.
"""

from __future__ import annotations

import click

from archiver.cli.options import db_option, filter_options
from archiver.terminal import plural, printable


# The options of the records' export that `export html` refuses, and why.
NOT_FOR_HTML = {
    "out": "--out is for json and jsonl: export html writes its pages into DIR",
    "with_revisions": "--with-revisions is for json and jsonl: the reader shows each post as last archived",
    "with_history": "--with-history is for warc and wacz",
}
# The options `export atom` refuses, and why (the feed holds every change the crawls after the first one saw).
NOT_FOR_ATOM = {
    "out": "--out is for json and jsonl: export atom writes FILE",
    "with_revisions": "--with-revisions is for json and jsonl: each edit in the feed says what changed",
    "force": "--force is for export html: export atom replaces FILE",
    "with_history": "--with-history is for warc and wacz",
    "categories": "export atom takes no filter: the feed holds every change the crawls after the first one saw",
    "tags": "export atom takes no filter: the feed holds every change the crawls after the first one saw",
    "since": "export atom takes no filter (see `archiver changes --since DATE`)",
    "until": "export atom takes no filter: the feed holds every change the crawls after the first one saw",
    "updated_since": "export atom takes no filter (see `archiver changes --since DATE`)",
}
# The options `export warc` and `export wacz` refuse, and why.
NOT_FOR_WEB_ARCHIVES = {
    "out": "--out is for json and jsonl: export {fmt} writes FILE",
    "with_revisions": "--with-revisions is for json and jsonl: export {fmt} --with-history adds the earlier copies of pages",
    "force": "--force is for export html: export {fmt} replaces FILE",
}


@click.command()
@click.argument("fmt", metavar="{json,jsonl,html,warc,wacz,atom}",
                type=click.Choice(["json", "jsonl", "html", "warc", "wacz", "atom"]))
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
    or, with `warc FILE.warc.gz` or `wacz FILE.wacz`, as the pages it fetched, to replay in pywb or ReplayWeb.page;
    or, with `atom FILE`, as an Atom feed of the changes the crawls after the first one saw (export html writes it too,
    as changes.xml).

    Example: archiver export jsonl --db data/archive.db --updated-since 2026-11-01 --out delta.jsonl

    Example: archiver export html data/reader --db data/archive.db

    Example: archiver export wacz blog.wacz --db data/archive.db --with-history

    Example: archiver export atom changes.xml --db data/archive.db
    """
    filters = {"category": categories, "tag": tags, "since": since, "until": until, "updated_since": updated_since}
    if fmt == "atom":
        _export_atom(ctx, directory, db_path)
        return
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


def _export_atom(ctx, path: str | None, db_path: str) -> None:
    """`export atom FILE`: the feed of the archive's changes, and how many entries it holds."""
    from archiver.views.changes_feed import export_atom

    _refuse_given(ctx, NOT_FOR_ATOM)
    if not path:
        raise click.UsageError("export atom needs the file to write: archiver export atom FILE")
    count = export_atom(db_path, path)
    click.echo(printable(f"Exported {plural(count, 'change')} (the crawls after the first one) to {path} (Atom)"), err=True)


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


COMMANDS = (export,)
