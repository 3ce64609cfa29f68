"""What the archiver says it is: one version for `--version` and the User-Agent, and the agent it logs is the one it sends."""

import tomllib
from pathlib import Path

from click.testing import CliRunner

import archiver
from archiver.cli import cli
from archiver.crawl.run_settings import crawl_settings, option_overrides

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def test_the_version_is_written_once_and_shown_by_version_and_the_user_agent():
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "archiver.__version__"}

    shown = CliRunner().invoke(cli, ["--version"], prog_name="archiver").output
    assert shown == f"archiver, version {archiver.__version__}\n"
    assert crawl_settings("a.db")["USER_AGENT"].startswith(f"blog-archiver/{archiver.__version__} (+contact: ")


def test_the_contact_is_in_the_settings_the_crawl_logs_not_only_in_the_request():
    overrides = option_overrides((), contact="veille@example.org")
    assert crawl_settings("a.db", overrides)["USER_AGENT"] == f"blog-archiver/{archiver.__version__} (+contact: veille@example.org)"


def test_a_whole_user_agent_given_with_s_is_left_as_it_is():
    settings = crawl_settings("a.db", {"USER_AGENT": "moi", "ARCHIVER_CONTACT": "veille@example.org"})
    assert settings["USER_AGENT"] == "moi"
