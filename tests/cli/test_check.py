"""`archiver check`: a sound archive says OK; a stale index, a killed run, a duplicate or corruption is found and
reported; `--repair` mends what it can and checks again."""

import json

import pytest
import sqlite_utils

from archiver import store
from archiver.items import Category, Post
from conftest import run_archiver

BLOG = "http://127.0.0.1:8000"


@pytest.fixture
def archive(tmp_path):
    db = store.open_archive(tmp_path / "a.db")
    for number in range(1, 6):
        store.save_post(db, Post(str(6362150 + number), f"{BLOG}/archive/2022/02/0{number}/billet-{6362150 + number}.html",
                                 title=f"Billet {number}", body_text="Bamako et Moscou.",
                                 categories=[Category("Mali", f"{BLOG}/mali/")]), run_id=None)
    db.close()
    return tmp_path / "a.db"


def check(db, *options):
    return run_archiver("check", "--db", str(db), *options)


def test_a_sound_archive_is_ok_and_the_report_gives_its_figures(archive):
    result = check(archive)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"Archive {archive}: 5 posts (0 gone), 0 comments, 1 category, 0 earlier versions, "
                                    "0 pages, 0 runs.")
    assert result.stdout.splitlines()[-1].startswith("OK: ")


def test_an_index_out_of_step_and_a_killed_run_are_found_then_mended_by_repair(archive):
    db = sqlite_utils.Database(archive)
    db.execute("DROP TRIGGER posts_au")
    db.execute("UPDATE posts SET body_text = 'Tombouctou.' WHERE id = '6362151'")
    db["crawl_runs"].insert({"started": "2026-11-24T03:15:00+00:00", "status": "running", "stats": json.dumps({"archiver/pid": 999999999})})
    db.conn.commit()
    found = check(archive)
    assert found.returncode == 1 and found.stderr.strip() == f"Error: {archive} has problems (see above)"
    problems = [line for line in found.stdout.splitlines() if line.startswith("PROBLEM ")]
    assert problems == [
        "PROBLEM full-text index: triggers missing: posts_au (edits no longer reach the index) [--repair mends it]",
        "PROBLEM full-text index: out of step with the posts table (FTS5 integrity-check: database disk image is malformed) [--repair mends it]",
        "PROBLEM runs: run(s) #1 marked running, but no crawl runs them (killed) [--repair mends it]",
    ]
    repaired = check(archive, "--repair")
    assert repaired.returncode == 0 and repaired.stdout.splitlines()[-1] == "OK after repair."
    assert "REPAIRED rebuilt the full-text index posts_fts and its triggers from 5 posts" in repaired.stdout
    assert json.loads(run_archiver("search", "tombouctou", "--db", str(archive), "--json").stdout)["id"] == "6362151"
    assert check(archive).returncode == 0


def test_a_post_stored_under_two_ids_is_reported_and_not_guessed_at(archive):
    db = sqlite_utils.Database(archive)
    db["posts"].insert({"id": "legacy-1", "url": f"{BLOG.replace('http:', 'https:')}/archive/2022/02/01/billet-6362151.html", "title": "Billet 1"})
    db.conn.commit()
    report = json.loads(check(archive, "--repair", "--json").stdout)
    assert report["sound"] is False and report["repairs"] == []
    assert [(p["check"], p["repairable"]) for p in report["problems"]] == [("duplicates", False)]
    assert "6362151 and legacy-1" in report["problems"][0]["detail"]


def test_a_damaged_file_is_reported_as_such(archive):
    data = bytearray(archive.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 3:page_size * 3 + 200] = b"\xff" * 200  # a b-tree page overwritten
    archive.write_bytes(bytes(data))
    result = check(archive)
    assert result.returncode in (1, 2) and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_check_of_a_file_that_is_not_an_archive_exits_2_and_leaves_it(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("pas une archive\n")
    result = check(notes, "--repair")
    assert (result.returncode, result.stderr.strip()) == (2, f"Error: {notes} is not an archive: file is not a database")
    assert notes.read_text() == "pas une archive\n" and not (tmp_path / "notes.txt.lock").exists()
