"""Options several `archiver` commands share: --db, the search and export filters, --theme-file."""

from __future__ import annotations

import click

DEFAULT_DB = "data/archive.db"


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
    """The filters search and export share: --category and --tag (repeatable), --since, --until."""
    for option in reversed([
        click.option("--category", "categories", multiple=True, metavar="NAME",
                     help="Only posts filed under this category (name or slug; accents and case aside). Repeat for any of several."),
        click.option("--tag", "tags", multiple=True, metavar="NAME",
                     help="Only posts carrying this tag (its name; accents and case aside). Repeat for any of several."),
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
