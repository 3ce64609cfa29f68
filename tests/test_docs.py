"""The README documents every command and option a user can type."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.items import Post
from archiver.crawl.outcomes import OUTCOMES

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
    import tomllib

    from archiver.extract.profiles import parse_profile

    sample = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    profile = parse_profile(tomllib.loads(sample), "README")
    assert profile.name == "mytheme" and profile.selectors("comments", "item") == ("li.reaction",)


@pytest.mark.parametrize("outcome", sorted(OUTCOMES.values(), key=lambda outcome: outcome.exit_status), ids=lambda outcome: outcome.name)
def test_every_exit_status_is_in_the_readme_and_in_crawl_help_with_its_outcome(outcome):
    assert f"\n| {outcome.exit_status} | {outcome.name} | " in README
    assert re.search(rf"^ +{outcome.exit_status}  {outcome.name}: ", CliRunner().invoke(cli, ["crawl", "--help"]).output, re.M)


def test_the_readme_gives_a_ready_crontab_line_with_the_log_file_and_a_contact():
    line = next(line for line in README.splitlines() if line.startswith("15 */4 * * * "))
    assert "archiver crawl https://" in line and "--log-file data/crawl.log" in line and "--contact " in line


def test_the_readme_explains_drift_with_a_summary_line():
    assert "## When extraction drifts" in README and "\nDRIFT print_url: found on " in README


def test_the_readmes_sqlite_utils_examples_run_against_an_archive(tmp_path):
    db = tmp_path / "archive.db"
    archive = store.open_archive(db)
    store.save_post(archive, Post(id="6362153", url="http://blog.example/archive/2022/02/04/wagner-6362153.html",
                                  title="Wagner en Libye", body_text="Wagner libye", body_html="<p>Wagner libye</p>"), run_id=None)
    archive.close()
    lines = [line.split("  #")[0].split() for line in README.splitlines() if line.startswith(".venv/bin/sqlite-utils ")]
    assert len(lines) == 2
    for words in lines:
        command = [str(Path(sys.executable).with_name("sqlite-utils"))] + [
            str(db) if word == "data/archive.db" else word for word in shlex.split(" ".join(words[1:]))]
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Wagner en Libye" in result.stdout, (command, result.stderr)
    assert {path.name for path in tmp_path.iterdir()} <= {"archive.db", "archive.db-shm", "archive.db-wal"}  # no file named after a query
