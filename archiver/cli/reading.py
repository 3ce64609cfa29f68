"""The `archiver` verbs that only read the archive: search, show, categories, tags, stats, runs, changes,
datasette-metadata (and export, in exporting.py).

They read while a crawl may write, and never write, not even a migration (archiver.store.connection.reading).
Thin click verbs that delegate to archiver.views; registered on the group by archiver.cli. What they print
holds no raw control character (archiver.terminal).
"""

from __future__ import annotations

import json
import sys

import click

from archiver.cli.options import db_option, filter_options, one_of
from archiver.terminal import printable, printable_json


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


@click.command()
@db_option()
@click.option("--since", metavar="DATE", help="Changes seen since DATE (as the filters take it) [default: the last run's start].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines: one change record a line.")
def changes(db_path, since, as_json):
    """List what the crawls changed, newest first: new posts, edits (with what changed), categories changed,
    comments added and removed, posts gone and back.

    Example: archiver changes --db data/archive.db --since 2026-11-01
    """
    from archiver.views.changes import changes_json, changes_text, list_changes

    found, start = list_changes(db_path, since)
    if start is None:
        if not as_json:
            click.echo("No crawl yet.")
        return
    if as_json:
        click.echo(changes_json(found), nl=False)
    else:
        click.echo(changes_text(found, start, default=since is None))


@click.command("datasette-metadata")
@db_option()
@click.option("--out", "out", default="-", show_default=True, help="The metadata file to write (JSON), or - for standard output.")
def datasette_metadata(db_path, out):
    """Write the metadata that makes the archive ready to browse in Datasette: titles and descriptions of every
    table and column, facets (year, category, tag, gone), the posts' search and canned queries.

    Example: archiver datasette-metadata --db data/archive.db --out data/archive-metadata.json

    Then browse it: datasette data/archive.db -m data/archive-metadata.json (with Datasette 1.0, add -c and the same
    file: it reads the canned queries from there).
    """
    from archiver.views.datasette_metadata import database_name, read_metadata, write_metadata

    write_metadata(read_metadata(db_path), out)
    if out != "-":
        click.echo(printable(f"Wrote {out}. Browse the archive with: datasette {db_path} -m {out} (Datasette 1.0: add -c {out}); "
                             f"its database is /{database_name(db_path)}"), err=True)


COMMANDS = (search, show, categories, tags, stats, runs, changes, datasette_metadata)
