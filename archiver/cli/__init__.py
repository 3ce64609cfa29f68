"""The `archiver` command line (click only): the group (group.py), its verbs by family (writing.py, exporting.py,
reading.py, diagnosing.py) and the options they share (options.py). Each verb is a few lines that delegate.

May import: click, and the rest of archiver inside each verb's body (so that `archiver --help` stays fast).
"""

from archiver.cli import diagnosing, exporting, reading, writing
from archiver.cli.group import EXIT_CLOSED_PIPE, cli, main

for command in (*writing.COMMANDS, *exporting.COMMANDS, *reading.COMMANDS, *diagnosing.COMMANDS):
    cli.add_command(command)

__all__ = ["EXIT_CLOSED_PIPE", "cli", "main"]
