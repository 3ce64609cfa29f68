"""The options several `archiver` commands share: --db, the filters, --theme-file, and the profiles they choose;
and options that exclude each other.

The filters are those of search and export (--category, --tag, --since, --until); the theme profiles are those
that -s and --theme-file choose. Options documented as alternatives (`crawl --revalidate | --full`, `show --json |
--html | --revisions`) are declared so with `one_of` or `excludes`: given together, a usage error (status 2).
"""

from __future__ import annotations

import click

DEFAULT_DB = "data/archive.db"
# Where a command's context keeps, for each group of options that exclude each other, the one that was given.
GIVEN = "archiver.exclusive"


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


class ByteSize(click.ParamType):
    """A size in bytes, given as "100M", "1G" or a number of bytes (archiver.crawl.run_settings.parse_size): an
    absurd one (0, 100 bytes, 5T, "big") is a usage error."""

    name = "size"

    def convert(self, value, param, ctx):
        from archiver.crawl.run_settings import parse_size

        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def warc_options(command):
    """`archiver crawl`'s capture: --warc-dir (WARC files written as pages arrive) and --warc-size (when to roll)."""
    command = click.option("--warc-size", type=ByteSize(), metavar="SIZE",
                           help="With --warc-dir: start a new WARC file once one passes this size: 100M, 1G (the default).")(command)
    return click.option("--warc-dir", type=click.Path(), metavar="DIR",
                        help="Also write every response, as it arrives, into WARC files in DIR (created if missing): "
                        "ARCHIVE-RUN-TIME-00001.warc.gz, ...; `.open` while written.")(command)


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


def one_of(dest: str, why: str, *flags: tuple[str, str, str]):
    """Flags that each choose a value of the verb's argument `dest`, given as (flag, value, help): none gives None,
    one gives its value; two of them are a usage error that names both and says `why` (click has no such thing)."""
    def choose(value):
        def callback(ctx: click.Context, param: click.Parameter, given: bool):
            if given:
                claim(ctx, dest, param, why)
                ctx.params[dest] = value
            else:
                ctx.params.setdefault(dest, None)
        return callback

    def decorate(command):
        for flag, value, help_text in reversed(flags):
            command = click.option(flag, is_flag=True, expose_value=False, callback=choose(value), help=help_text)(command)
        return command
    return decorate


def excludes(group: str, why: str):
    """The callback of an option that excludes the others of its `group` (those with the same callback's group):
    given with one of them, a usage error that names both and says `why`."""
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is not None and ctx.get_parameter_source(param.name) is click.core.ParameterSource.COMMANDLINE:
            claim(ctx, group, param, why)
        return value
    return callback


def claim(ctx: click.Context, group: str, param: click.Parameter, why: str) -> None:
    """Record that `param` was given for `group`: a usage error when another option of the group was."""
    given = ctx.meta.setdefault(GIVEN, {}).setdefault(group, param)
    if given is not param:
        raise click.UsageError(f"{given.opts[-1]} and {param.opts[-1]} exclude each other: {why}", ctx)
