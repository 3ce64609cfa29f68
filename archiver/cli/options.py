"""The options several `archiver` commands share: --db, the filters, --theme-file, and the profiles they choose.

The filters are those of search and export (--category, --tag, --since, --until); the theme profiles are those
that -s and --theme-file choose.
"""

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


def chosen_profiles(pairs: tuple[str, ...], theme_files: tuple[str, ...]):
    """The theme profiles `-s NAME=VALUE` and --theme-file ask for (ARCHIVER_BUNDLED_PROFILES, ARCHIVER_THEME_FILES),
    checked as the crawl checks them: an unknown name or a bad value is status 7."""
    from archiver.crawl import preflight
    from archiver.crawl.run_settings import checked_settings, parse_overrides
    from archiver.extract.profiles import profiles_from_settings

    overrides = parse_overrides(pairs)
    preflight.check_setting_names(overrides)
    if theme_files:
        overrides["ARCHIVER_THEME_FILES"] = list(theme_files)
    return profiles_from_settings(checked_settings("-", overrides))
