"""The README (and the reference it leads to in docs/) documents every command, option, status and table a user meets."""

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

PROJECT = Path(__file__).parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted((PROJECT / "docs").glob("*.md"))}
DOCS = "\n".join([README, *PAGES.values()])  # what a user can read: the README and the reference in docs/
NAMES = [line for line in (PROJECT / "tests" / "fixtures" / "readme_names.txt").read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]


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
    assert option in DOCS, f"archiver {command} {option} is not in the README or docs/"


def test_the_readme_sample_theme_profile_is_a_valid_profile():
    import tomllib

    from archiver.extract.profiles import parse_profile

    sample = re.search(r"```toml\n(.*?)```", DOCS, re.S).group(1)
    profile = parse_profile(tomllib.loads(sample), "README")
    assert profile.name == "mytheme" and profile.selectors("comments", "item") == ("li.reaction",)


@pytest.mark.parametrize("outcome", sorted(OUTCOMES.values(), key=lambda outcome: outcome.exit_status), ids=lambda outcome: outcome.name)
def test_every_exit_status_is_in_the_readme_and_in_crawl_help_with_its_outcome(outcome):
    assert f"\n| {outcome.exit_status} | {outcome.name} | " in PAGES["commands.md"]
    assert re.search(rf"^ +{outcome.exit_status}  {outcome.name}: ", CliRunner().invoke(cli, ["crawl", "--help"]).output, re.M)


def test_the_readme_gives_a_ready_crontab_line_with_the_log_file_and_a_contact():
    line = next(line for line in PAGES["cron.md"].splitlines() if line.startswith("15 */4 * * * "))
    assert "archiver crawl https://" in line and "--log-file data/crawl.log" in line and "--contact " in line


def test_the_readme_explains_drift_with_a_summary_line():
    themes = PAGES["themes.md"]
    assert "## When extraction drifts" in themes and "\nDRIFT print_url: found on " in themes


def test_the_readmes_sqlite_utils_examples_run_against_an_archive(tmp_path):
    db = tmp_path / "archive.db"
    archive = store.open_archive(db)
    store.save_post(archive, Post(id="6362153", url="http://blog.example/archive/2022/02/04/wagner-6362153.html",
                                  title="Wagner en Libye", body_text="Wagner libye, l'armée", body_html="<p>Wagner libye, l'armée</p>"), run_id=None)
    archive.close()
    lines = [line.split("  #")[0].split() for line in DOCS.splitlines() if line.startswith(".venv/bin/sqlite-utils ")]
    assert len(lines) == 3
    for words in lines:
        command = [str(Path(sys.executable).with_name("sqlite-utils"))] + [
            str(db) if word == "data/archive.db" else word for word in shlex.split(" ".join(words[1:]))]
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Wagner en Libye" in result.stdout, (command, result.stderr)
    assert {path.name for path in tmp_path.iterdir()} <= {"archive.db", "archive.db-shm", "archive.db-wal"}  # no file named after a query


def test_nothing_the_readme_named_before_the_move_to_docs_has_disappeared():
    """tests/fixtures/readme_names.txt: every option, setting, status, table and column the 686-line README named."""
    missing = [name for name in NAMES if name not in DOCS]
    assert not missing, f"named by the README before, named nowhere now: {missing}"


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to dashes."""
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.*)$", re.sub(r"```.*?```", "", markdown, flags=re.S), re.M)}


@pytest.mark.parametrize("page", ["README.md", *(f"docs/{name}" for name in PAGES)])
def test_every_link_between_the_readme_and_docs_leads_to_a_file_and_a_heading(page):
    source = PROJECT / page
    links = re.findall(r"\]\(([^)\s]+)\)", source.read_text(encoding="utf-8"))
    assert links or page == "docs/architecture.md"
    for link in links:
        if re.match(r"\w+:", link):
            continue
        target, _, anchor = link.partition("#")
        path = (source.parent / target).resolve() if target else source
        assert path.exists(), f"{page}: {link} leads to no file"
        if anchor:
            assert anchor in _anchors(path.read_text(encoding="utf-8")), f"{page}: {link}: no such heading in {path.name}"


def test_the_readme_reads_in_five_minutes_and_leads_to_every_page_of_the_reference():
    words = len(README.split())
    assert words < 1600 and len(README.splitlines()) < 150, (words, len(README.splitlines()))
    for section in ("## Try it", "## A ten-line tour", "## Archive a real blog", "## Every command", "## Reference"):
        assert section in README
    assert all(f"](docs/{name}" in README for name in PAGES), "a page of docs/ the README's reference does not lead to"


def test_the_readme_shows_the_offline_reader_in_small_pictures():
    for name in ("reader-home.png", "reader-post.png", "reader-history.png"):
        picture = PROJECT / "docs" / name
        assert f"](docs/{name})" in README and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert picture.stat().st_size < 150_000
    assert (PROJECT / "docs" / "reader_screenshot.py").is_file()


def test_the_readme_says_what_a_polite_crawl_of_a_real_blog_costs_in_time():
    cost = README[README.index("**What it costs in time.**"):]
    cost = " ".join(cost[:cost.index("\n\n")].split())
    assert re.search(r"\d[\d.,]* s a page", cost) and re.search(r"5,000 posts about [\d.,]+ hours?", cost), cost


@pytest.mark.parametrize("term", ["post", "run", "drift", "notes", "theme profile"])
def test_the_readme_explains_its_words_where_a_newcomer_first_needs_them(term):
    glossary = README[README.index("## Words used here"):README.index("## Every command")]
    assert f"- **{term}**" in glossary
    assert README.index("`Imprimer` is the platform's") < README.index("## Words used here")


def test_the_statuses_of_reading_commands_are_the_ones_the_docs_give(tmp_path):
    """An archive that cannot be read is status 2 (the table's row), a post not in it 1: prose and table agree."""
    statuses = " ".join(PAGES["commands.md"].split())
    assert "1 for `Error:` an archive that cannot be read" not in statuses
    assert "1 for `Error:` an archive of another schema" in statuses and "or a post that is not in it" in statuses
    assert "2 for a bad argument (below): a missing archive or a file that is not one" in statuses
    (tmp_path / "notes.txt").write_text("not SQLite")
    db = tmp_path / "archive.db"
    store.open_archive(db).close()
    runner = CliRunner()
    assert runner.invoke(cli, ["stats", "--db", str(tmp_path / "missing.db")]).exit_code == 2
    assert runner.invoke(cli, ["stats", "--db", str(tmp_path / "notes.txt")]).exit_code == 2
    assert runner.invoke(cli, ["show", "999", "--db", str(db)]).exit_code == 1
