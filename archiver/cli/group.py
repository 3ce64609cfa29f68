"""The `archiver` command group, and how a library error becomes one line on stderr and an exit status.

The verbs are registered on it by archiver.cli, from their families (writing, reading, diagnosing).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from archiver.errors import ArchiverError
from archiver.crawl.outcomes import OUTCOMES, error_outcome
from archiver.terminal import printable


# A reader that went away (`archiver export jsonl | head`): the command stops quietly with the status a shell
# reports for `git log | head` (128 + SIGPIPE), never a traceback.
EXIT_CLOSED_PIPE = 141


class ArchiverGroup(click.Group):
    """A click group that shows library errors as one line and exits with their status (archiver.crawl.outcomes):
    `Locked: ...` 75 (also when SQLite reports the archive locked by another writer), `Configuration error: ...` 7,
    `Error: ...` 2 for a bad argument, else 1 (a damaged archive too); a closed standard output ends the command
    quietly, status 141."""

    def invoke(self, ctx):
        with NotesOnce().shown():
            return self._invoke(ctx)

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchiverError as error:
            fail(ctx, error_outcome(error), str(error))
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                fail(ctx, OUTCOMES["locked"], f"another process is writing the archive ({error}); try again when it ends")
            # A file damaged past its schema (a disk, a copy cut short): one line, never a traceback.
            fail(ctx, OUTCOMES["error"], f"the archive could not be read: {error} "
                 "(a damaged file? `archiver check` says what is wrong; a backup restores it)")
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)  # what is still buffered goes nowhere, not to a traceback
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_CLOSED_PIPE)


class NotesOnce(logging.Handler):
    """The store's notes to the user (an archive read as a snapshot, archiver.store.connection), each printed once
    on stderr, as they come; only they: the crawl's own log goes where Scrapy sends it."""

    LOGGER = "archiver.store.connection"

    def __init__(self):
        super().__init__(logging.INFO)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text not in self.seen:
            self.seen.add(text)
            click.echo(printable(text), err=True)

    @contextmanager
    def shown(self) -> Iterator[None]:
        """Print the notes while the `with` block runs (and not also through the root logger's handlers)."""
        logger = logging.getLogger(self.LOGGER)
        propagate, logger.propagate = logger.propagate, False
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)
            logger.propagate = propagate


def fail(ctx: click.Context, outcome, reason: str) -> None:
    """Print `Prefix: reason` on stderr (no raw control character) and exit with the outcome's status."""
    click.echo(printable(f"{outcome.prefix}: {reason}"), err=True)
    ctx.exit(outcome.exit_status)


@click.group(cls=ArchiverGroup)
@click.version_option(package_name="blog-archiver")
def cli():
    """Archive a Hautetfort / blogSpirit blog into a searchable, offline SQLite file."""


def main():
    """Entry point for `python -m archiver`."""
    sys.exit(cli())
