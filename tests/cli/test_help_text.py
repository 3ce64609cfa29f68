"""Every verb's --help reads as prose: no word glued to the next, no gap inside a sentence; the package cites only what ships."""

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from archiver.cli import cli

PACKAGE = Path(__file__).parents[2] / "archiver"
VERBS = sorted(cli.commands)

# "sentence.Next", "word,word", "word;word", "word:Word": two words with no space between them. (A URL or a
# dotted name, "monblog.hautetfort.com", "data/archive.db", has a lower-case letter after its dot.)
GLUED = re.compile(r"[a-zà-ÿ)][.;:!?][A-ZÀ-Ý]|[a-zà-ÿ][,;][a-zà-ÿA-Z]")
GAP = re.compile(r"\S {2,}\S")  # two spaces or more between two words of a sentence


def help_of(verb: str) -> str:
    result = CliRunner().invoke(cli, [verb, "--help"], prog_name="archiver", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def description(text: str) -> list[str]:
    """The lines of a --help between the usage line and the first table (exit statuses, options)."""
    lines = text.splitlines()[1:]
    end = next(n for n, line in enumerate(lines) if line in ("Options:", "Exit statuses:") or line.strip() == "Exit statuses:")
    return [line for line in lines[:end] if line.strip()]


def option_helps(verb: str) -> list[str]:
    """The help of each of the verb's options, as written (click wraps them into a column of their own)."""
    return [param.help for param in cli.commands[verb].params if isinstance(param, click.Option) and param.help]


@pytest.mark.parametrize("verb", VERBS)
def test_the_description_of_each_verb_is_prose_at_one_indent(verb):
    lines = description(help_of(verb))
    assert lines
    for line in lines:
        assert line.startswith("  ") and not line.startswith("   "), f"{verb} --help: indented apart: {line!r}"
        assert not GAP.search(line), f"{verb} --help: a gap inside a sentence: {line!r}"
        assert not GLUED.search(line), f"{verb} --help: two words glued: {line!r}"


@pytest.mark.parametrize("verb", VERBS)
def test_each_option_help_is_prose(verb):
    for text in option_helps(verb):
        assert not GAP.search(text) and not GLUED.search(text), f"{verb}: {text!r}"


def test_the_glitch_finders_find_glitches():
    assert GLUED.search("the summary.Then") and GLUED.search("pages,posts") and GAP.search("progress line     shows")
    assert not GLUED.search("archiver crawl https://monblog.hautetfort.com/ --db data/archive.db")
    assert not GLUED.search("Exit statuses: 0 ok") and not GAP.search("one sentence. Another")


def test_the_package_cites_only_what_ships_with_it():
    """No pointer to a design document the repository does not have (the README and the schema are cited instead)."""
    citing = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*")
              if path.is_file() and path.suffix in (".py", ".json", ".toml") and "DESIGN.md" in path.read_text(encoding="utf-8")]
    assert citing == []
