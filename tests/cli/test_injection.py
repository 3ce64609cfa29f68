"""Hostile search queries, filters and post ids: a result or one `Error:` line (exit 2), never a traceback or SQL, the archive untouched."""

import hashlib
import json
import sqlite3
import time
from contextlib import closing
from datetime import datetime

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.dates import PARIS
from archiver.errors import NotFound, UsageError
from archiver.items import Category, Comment, Post
from archiver.views.post import find_post_record
from archiver.store.filters import post_filters
from archiver.store.search import MAX_QUERY_WORDS
from conftest import run_archiver

BLOG = "http://127.0.0.1:8000"
DROP = "'; DROP TABLE posts; --"
LONG = "x" * 100_000
QUERIES = {
    "drop-table": DROP, "or-1-1": '") OR 1=1 --', "match-star": "posts_fts MATCH '*'",
    "union": "x' UNION SELECT sql FROM sqlite_master --", "double-quote": '"', "unbalanced-quote": '"Mali',
    "single-quote": "'", "apostrophe": "l'armée", "open-paren": "(Mali", "close-paren": "Mali)", "brackets": "[Mali]",
    "braces": "{title}", "near-open": "NEAR(", "near-unclosed": "NEAR(Mali Russie", "near-far": "NEAR(Mali Russie, 99999999999)",
    "star": "*", "star-first": "*Mali", "caret": "^", "colon": ":", "column-only": "title:", "unknown-column": "password:x",
    "rowid-column": "rowid:1", "column-set": "{nope body_text}:x", "bare-and": "AND", "trailing-or": "Mali OR",
    "not-first": "NOT Mali", "nul": "Mali\x00Russie", "only-nul": "\x00", "long-word": LONG,
    "long-or": "Mali OR " * 12_500 + "Mali", "long-words": "mali " * 20_000, "long-parens": "(" * 50_000 + ")" * 50_000,
    "emoji": "🇲🇱 🔥", "rtl": "روسيا مالي", "rtl-override": "\u202eilaM", "controls": "\x01\x02\x1b[31m\x7f",
    "whitespace": "\t\n\r ", "undecodable": "\udcff", "percent": "%", "underscore": "_", "backslash": "\\",
}
CATEGORIES = {
    "drop-table": "'; DROP TABLE categories; --", "or-1-1": "x' OR '1'='1", "percent": "%", "underscore": "_",
    "star": "*", "empty": "", "nul": "\x00", "long": LONG, "emoji": "🇲🇱", "rtl": "روسيا", "undecodable": "\udcff",
    "path": "../../etc/passwd", "other-site": "http://evil.invalid/mali/",
}
DATES = {
    "drop-table": DROP, "or-1-1": "2022' OR '1'='1", "year-0": "0000", "first-day": "0001-01-01", "year-9999": "9999",
    "last-month": "9999-12", "last-day": "9999-12-31", "french-last-day": "31 décembre 9999", "month-13": "2022-13",
    "february-30": "2022-02-30", "hour-25": "2022-02-04T25:00", "exponent": "1e9", "minus-one": "-1", "nul": "2022\x00",
    "long": LONG, "long-numbers": "1 " * 50_000, "emoji": "🇲🇱", "rtl-override": "\u202e2202", "undecodable": "\udcff",
    "far-past": "il y a 99999999999 jours", "blank": "  ",
}
SHOWN = {
    "drop-table": DROP, "or-1-1": "6362153' OR '1'='1", "or-sql": "6362153 OR 1=1", "percent": "%", "underscore": "_",
    "star": "*", "minus-one": "-1", "zero": "0", "digits": "9" * 100, "long": LONG, "nul": "\x00", "emoji": "🇲🇱",
    "javascript": "javascript:alert(1)", "file": "file:///etc/passwd", "other-site": "http://evil.invalid/archive/2022/02/04/x-6362153.html",
    "undecodable": "\udcff",
    "undecodable-url": f"{BLOG}/\udcff.html",
}


def params(cases: dict) -> list:
    """The cases as pytest params named by their keys (a case may be a pytest.param with marks)."""
    return [pytest.param(*case.values, marks=case.marks, id=key) if hasattr(case, "marks") else pytest.param(case, id=key)
            for key, case in cases.items()]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of three posts, one whose title and category are themselves SQL; and its shape and bytes."""
    db = tmp_path_factory.mktemp("injection") / "a.db"
    mali, russie = Category("MALI", f"{BLOG}/mali/"), Category("RUSSIE", f"{BLOG}/russie/")
    posts = [
        Post("6362153", f"{BLOG}/archive/2022/02/04/mali-6362153.html", title="Le Mali et la Russie",
             published=datetime(2022, 2, 4, 10, 30, tzinfo=PARIS), body_text="Bamako et Moscou signent un accord.",
             body_html="<p>Bamako et Moscou signent un accord.</p>", categories=[mali, russie],
             comments=[Comment(author="Anne", body_text="Merci.", body_html="<p>Merci.</p>")]),
        Post("6362200", f"{BLOG}/archive/2023/05/01/sahel-6362200.html", title="Le cœur du Sahel",
             published=datetime(2023, 5, 1, 9, 0, tzinfo=PARIS), body_text="Wagner au Sahel 🇲🇱 روسيا مالي.",
             body_html="<p>Wagner au Sahel 🇲🇱 روسيا مالي.</p>", categories=[russie]),
        Post("6362300", f"{BLOG}/archive/2024/01/15/drop-6362300.html", title=DROP,
             published=datetime(2024, 1, 15, 18, 0, tzinfo=PARIS), body_text="Un titre qui est une injection.",
             body_html="<p>Un titre qui est une injection.</p>",
             categories=[Category(CATEGORIES["drop-table"], f"{BLOG}/drop-table-categories/")]),
    ]
    writer = store.open_archive(db)
    for post in posts:
        store.save_post(writer, post, run_id=None)
    writer.close()
    return db, shape(db)


def shape(db) -> dict:
    """The archive's tables, indexes and triggers, each table's row count, and the file's digest."""
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        objects = conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall()
        counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for kind, name in objects if kind == "table"}
    return {"objects": objects, "counts": counts, "sha256": hashlib.sha256(db.read_bytes()).hexdigest()}


def assert_answered_or_refused(code: int, stderr: str, exception: BaseException | None = None, *, not_found: bool = False):
    """Exit 0, or one `Error:` line and exit 2 (exit 1 only for show's "no post"); never a traceback."""
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in stderr and "sqlite3." not in stderr
    if code == 0:
        return
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr[:500]
    assert code == 2 or (not_found and code == 1 and lines[0].startswith("Error: no post ")), (code, lines[0][:200])


def invoke(*args: str):
    """`archiver ARGS` run in this process through the CLI's own error handling (fast enough for every case)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr, result.exception


@pytest.mark.parametrize("query", params(QUERIES))
def test_search_command_answers_or_says_why(archive, query):
    db, before = archive
    assert_answered_or_refused(*invoke("search", "--db", str(db), "--json", "--", query))
    assert shape(db) == before


def filtered(db, command: str, option: str) -> list[str]:
    """`search Sahel` or `export jsonl` with one filter option ("--since=VALUE")."""
    if command == "export":
        return ["export", "jsonl", "--db", str(db), option]
    return ["search", "--db", str(db), "--json", option, "--", "Sahel"]


@pytest.mark.parametrize("name", params(CATEGORIES))
@pytest.mark.parametrize("command", ["search", "export"])
def test_category_filter_answers_or_says_why(archive, command, name):
    db, before = archive
    assert_answered_or_refused(*invoke(*filtered(db, command, f"--category={name}")))
    assert shape(db) == before


@pytest.mark.parametrize("date", params(DATES))
@pytest.mark.parametrize("command, option", [("search", "--since"), ("search", "--until"), ("export", "--updated-since")])
def test_date_filters_answer_or_say_why(archive, command, option, date):
    db, before = archive
    assert_answered_or_refused(*invoke(*filtered(db, command, f"{option}={date}")))
    assert shape(db) == before


@pytest.mark.parametrize("post", params(SHOWN))
def test_show_answers_or_says_why(archive, post):
    db, before = archive
    assert_answered_or_refused(*invoke("show", "--db", str(db), "--json", "--", post), not_found=True)
    assert shape(db) == before


@pytest.mark.parametrize("args", [
    pytest.param(["search", DROP], id="search-drop-table"),
    pytest.param(["search", '") OR 1=1 --'], id="search-or-1-1"),
    pytest.param(["search", "NEAR("], id="search-near"),
    pytest.param(["search", "Mali OR " * 12_500 + "Mali"], id="search-100k-characters"),
    pytest.param(["search", "\udcff"], id="search-undecodable-bytes"),
    pytest.param(["search", "Sahel", "--category", CATEGORIES["or-1-1"]], id="category-or-1-1"),
    pytest.param(["search", "Sahel", "--since", "9999"], id="since-9999"),
    pytest.param(["show", DROP], id="show-drop-table"),
])
def test_the_real_command_answers_or_says_why(archive, args):
    db, before = archive
    result = run_archiver(*args, "--db", str(db))
    assert_answered_or_refused(result.returncode, result.stderr, not_found=args[0] == "show")
    assert shape(db) == before


def found_ids(*args: str) -> list[str]:
    return [json.loads(line)["id"] for line in CliRunner().invoke(cli, list(args)).stdout.splitlines()]


def test_sql_and_right_to_left_text_are_searched_and_filtered_as_text(archive):
    db, _ = archive
    assert found_ids("search", "--db", str(db), "--json", "--", "DROP TABLE posts") == ["6362300"]
    assert found_ids("search", "--db", str(db), "--json", "--", "روسيا مالي") == ["6362200"]
    assert found_ids("export", "jsonl", "--db", str(db), f"--category={CATEGORIES['drop-table']}") == ["6362300"]


@pytest.mark.parametrize("query", params(QUERIES))
def test_store_search_finds_or_raises_usage_error(archive, query):
    db = store.open_readonly_archive(archive[0])
    try:
        hits = store.search(db, query).hits
    except UsageError:
        hits = []
    finally:
        db.close()
    assert isinstance(hits, list)


@pytest.mark.parametrize("value", params(DATES | {f"category-{key}": name for key, name in CATEGORIES.items()}))
def test_store_filters_give_parameters_or_raise_usage_error(archive, value):
    db = store.open_readonly_archive(archive[0])
    try:
        for given in ({"since": value}, {"until": value}, {"updated_since": value}, {"category": value}):
            try:
                conditions, _ = post_filters(db, **given)
            except UsageError:
                continue
            if len(value) > 3:
                assert value not in " ".join(conditions)  # values travel as parameters, never in the SQL text
    finally:
        db.close()


@pytest.mark.parametrize("post", params(SHOWN))
def test_find_post_finds_or_raises_not_found(archive, post):
    try:
        assert find_post_record(archive[0], post)["id"]
    except (NotFound, UsageError):
        pass


def test_a_query_of_thousands_of_terms_is_refused_before_fts5_ranks_it(archive):
    db = store.open_readonly_archive(archive[0])
    started = time.perf_counter()
    with pytest.raises(UsageError, match=r"search query too long: 50,001 words \(at most 200\)"):
        store.search(db, "a OR " * 25_000 + "a")  # FTS5's snippet() took minutes on this
    assert time.perf_counter() - started < 1
    assert store.search(db, " ".join(["Sahel"] * MAX_QUERY_WORDS)).total == 1
    db.close()


def test_an_error_quotes_the_start_of_a_long_query(archive):
    code, stderr, _ = invoke("search", "--db", str(archive[0]), "--", "(" + LONG)
    assert code == 2 and stderr.startswith("Error: bad search query '(xxxx") and "… (100,001 characters): " in stderr
    assert len(stderr) < 300
