"""Control characters (terminal escapes: ESC sequences that set a title, fill the clipboard or clear the screen; CR,
BEL, C1) never reach the archive from a page, raw or as entities like `&#27;`, and the commands never print them,
even from an archive an older version wrote."""

import re
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.pipelines.clean import Clean
from archiver.items import Category, Comment, ExtractionWarning, FetchedPage, Post
from conftest import crawl_site, run_archiver

BLOG = "http://127.0.0.1:8000"
URL = f"{BLOG}/archive/2022/02/04/mali-6362153.html"
PAGE_URL = "http://blog.replica.invalid/archive/2022/02/04/offensive-diplomatique-russe-en-afrique-la-russie-denonce-l-6362153.html"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
TITLE_SEQUENCE = "\x1b]0;pwned\x07"  # sets the terminal's title
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # writes the clipboard
CLEAR = "\x1b[2J\x9b3J\r"  # clears the screen (ESC [ and the one-character CSI), back to the line's start


def test_clean_removes_control_characters_from_every_text_field_and_keeps_tabs_and_newlines():
    post = Post(
        "6362153", URL, title=f"Le Mali{TITLE_SEQUENCE}", author=f"Anne{CLEAR}",
        body_html=f"<p>Bamako&#27;[2J et&#x1B;]0;x&#7; Moscou\x9b.</p><p title='a&#27;b'>\x00Gao</p>",
        body_text=f"Bamako{CLEAR} et Moscou.\n\nGao\tTombouctou{CLIPBOARD}", print_url=f"{BLOG}/print/6362153\x1b",
        categories=[Category(f"Mali{TITLE_SEQUENCE}", f"{BLOG}/mali/")],
        comments=[Comment(author=f"Bruno{CLEAR}", author_url=f"https://bruno.invalid/\x07", body_text=f"Merci{CLIPBOARD}.",
                          body_html=f"<p>Merci&#27;]52;c;ZXZpbA==&#7;.</p>")],
        warnings=[ExtractionWarning("comments-missing", "comments", f"page says «3\x1b[8m commentaires»")],
        notes=[f"page date{CLEAR} differs"],
    )
    cleaned = Clean().process_item(post)
    assert (cleaned.title, cleaned.author) == ("Le Mali]0;pwned", "Anne[2J3J")
    assert cleaned.body_html == '<p>Bamako[2J et]0;x Moscou.</p><p title="ab">Gao</p>'
    assert cleaned.body_text == "Bamako[2J3J et Moscou.\n\nGao\tTombouctou]52;c;ZXZpbA=="
    assert (cleaned.print_url, cleaned.categories[0].name) == (f"{BLOG}/print/6362153", "Mali]0;pwned")
    [comment] = cleaned.comments
    assert (comment.author, comment.author_url, comment.body_text, comment.body_html) == (
        "Bruno[2J3J", "https://bruno.invalid/", "Merci]52;c;ZXZpbA==.", "<p>Merci]52;c;ZXZpbA==.</p>")
    assert (cleaned.warnings[0].detail, cleaned.notes) == ("page says «3[8m commentaires»", ["page date[2J3J differs"])


@pytest.fixture(scope="module")
def hostile_crawl(site, tmp_path_factory):
    """The replica with escapes in a post's title and in a comment (raw, and as entities), crawled for real."""
    root = shutil.copytree(site, tmp_path_factory.mktemp("escapes") / "site")
    [page] = root.glob("archive/2022/02/04/*-6362153.html")
    html = page.read_text(encoding="utf-8")
    html = html.replace(">Offensive diplomatique russe", ">Offensive&#27;]0;pwned&#7; diplomatique\x1b[2J russe")
    html = html.replace("Article à partager largement", "Article\x1b]52;c;ZXZpbA==\x07 à partager&#x1b;[2J largement")
    html = html.replace(">JPM</a>", ">J&#27;[31mPM\r</a>")
    page.write_text(html, encoding="utf-8")
    crawl = crawl_site(root, ["/relations-mali-russie/"], tmp_path_factory.mktemp("escapes-crawl") / "a.db")
    assert crawl.result.returncode == 0, crawl.result.stderr
    return crawl


def test_a_crawled_page_with_escapes_is_archived_without_them(hostile_crawl):
    with sqlite3.connect(hostile_crawl.db) as conn:
        title, body_html = conn.execute("SELECT title, body_html FROM posts WHERE id = '6362153'").fetchone()
        comments = conn.execute("SELECT author, body_text, body_html FROM comments WHERE post_id = '6362153' ORDER BY position").fetchall()
        texts = [value for table, columns in (("posts", "title, author, body_text, body_html"),
                                              ("comments", "author, author_url, body_text, body_html"), ("categories", "name"))
                 for row in conn.execute(f"SELECT {columns} FROM {table}") for value in row if value]
    assert title.startswith("Offensive]0;pwned diplomatique[2J russe en Afrique")
    assert comments[0][0] == "J[31mPM" and comments[0][1].startswith("Article]52;c;ZXZpbA== à partager[2J largement")
    assert not [text for text in texts if CONTROL.search(text)]


def test_show_and_search_print_the_crawled_post_without_escapes(hostile_crawl):
    shown = run_archiver("show", "6362153", "--db", str(hostile_crawl.db))
    found = run_archiver("search", "pwned", "--db", str(hostile_crawl.db))
    assert shown.returncode == found.returncode == 0, shown.stderr + found.stderr
    assert shown.stdout.startswith("Offensive]0;pwned diplomatique[2J russe") and "-- comment 1: J[31mPM, " in shown.stdout
    assert "1. Offensive]0;pwned diplomatique[2J russe" in found.stdout
    assert not CONTROL.search(shown.stdout + found.stdout)


@pytest.fixture(scope="module")
def older_archive(site, tmp_path_factory):
    """An archive written without the cleaning (as versions before it wrote): escapes in a post, its comment,
    its category, the stored copy of a page of the replica and a crawl failure."""
    path = tmp_path_factory.mktemp("older-escapes") / "a.db"
    page = site / PAGE_URL.split("/", 3)[3]
    html = page.read_text(encoding="utf-8").replace(">Offensive diplomatique", f">Offensive{TITLE_SEQUENCE}\x9b diplomatique")
    db = store.open_archive(path)
    run_id = store.start_run(db, [f"{BLOG}/"])
    store.save_post(db, Post("6362153", URL, title=f"Le Mali{TITLE_SEQUENCE}", author=f"Anne{CLEAR}", body_text=f"Bamako{CLEAR}",
                             body_html=f"<p>Bamako{CLIPBOARD}</p>", categories=[Category(f"Mali{CLEAR}", f"{BLOG}/mali/")],
                             comments=[Comment(author=f"Bruno{TITLE_SEQUENCE}", body_text=f"Merci{CLIPBOARD}",
                                               published=datetime(2022, 2, 5, tzinfo=UTC))]), run_id=run_id)
    store.save_post(db, Post("6362153", URL, title=f"Le Mali{TITLE_SEQUENCE} !", body_text=f"Bamako{CLEAR}"), run_id=run_id)
    store.save_page(db, FetchedPage(PAGE_URL, 200, "post", html.encode(), content_type="text/html; charset=utf-8"), run_id=run_id)
    store.save_failure(db, run_id=run_id, url=f"{BLOG}/x.html", kind="http", reason=f"HTTP 500{CLEAR}", status=500)
    db.close()
    return path


@pytest.mark.parametrize("command", [
    ["show", "6362153"], ["show", "6362153", "--html"], ["show", "6362153", "--revisions"], ["show", "6362153", "--json"],
    ["search", "bamako"], ["search", "bamako", "--json"], ["runs", "--failures"], ["runs", "--json", "--failures"], ["stats"],
    ["categories"], ["categories", "--json"], ["export", "jsonl"], ["inspect", PAGE_URL], ["inspect", PAGE_URL, "--json"],
])
def test_no_command_prints_the_escapes_an_older_archive_holds(older_archive, command):
    result = CliRunner().invoke(cli, [*command, "--db", str(older_archive)])  # in-process: the same output, cheaper
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and not CONTROL.search(result.stdout + result.stderr), result.stdout
    if command in (["show", "6362153"], ["search", "bamako"]):
        assert "Le Mali\\x1b]0;pwned\\x07" in result.stdout  # shown as what it is, escaped
    if command == ["inspect", PAGE_URL]:
        assert "Offensive\\x1b]0;pwned\\x07\\x9b diplomatique" in result.stdout
