"""The README documents every command and option a user can type."""

from pathlib import Path

import pytest

from archiver.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_set_up_commands():
    assert "make demo" in README and "make test" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"archiver {name}" in README


@pytest.mark.parametrize(
    "command, option",
    [(name, opt) for name, command in sorted(cli.commands.items()) for param in command.params for opt in param.opts if opt.startswith("--")],
)
def test_every_option_is_documented(command, option):
    assert option in README, f"archiver {command} {option} is not in the README"


def test_the_readme_sample_theme_profile_is_a_valid_profile():
    import re
    import tomllib

    from archiver.extract.profiles import parse_profile

    sample = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    profile = parse_profile(tomllib.loads(sample), "README")
    assert profile.name == "mytheme" and profile.selectors("comments", "item") == ("li.reaction",)


@pytest.mark.parametrize("name", ["EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_DRIFT"])
def test_every_exit_status_is_in_the_readmes_table(name):
    import archiver.cli

    assert f"\n| {getattr(archiver.cli, name)} | " in README


def test_the_readme_explains_drift_with_a_summary_line():
    assert "## When extraction drifts" in README and "\nDRIFT print_url: found on " in README
