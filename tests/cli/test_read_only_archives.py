"""An archive the user cannot write (a read-only share, a mounted backup, a DVD) is read all the same: the reading
commands read a file in a folder of mode 555 as a snapshot, with one note (which says when a -wal beside it goes
unseen), and write nothing beside it; a file of mode 444 in a folder the user can write reads as any other.

Root ignores modes (its capabilities override them), so as root the commands run without any capability (setpriv
empties the bounding set): still uid 0, so they read the project and its virtualenv wherever the clone lies, but a
folder of mode 555 is as read-only to them as to any user."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver import store
from archiver.items import Category, Post
from conftest import PROJECT

BLOG = "http://127.0.0.1:8000"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
AS_USER = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
COMMANDS = {
    "stats": (["stats", "--json"], lambda out: json.loads(out)["posts"] == 1),
    "search": (["search", "bamako", "--json"], lambda out: json.loads(out)["id"] == "101"),
    "show": (["show", "101"], lambda out: out.startswith("Bamako\n")),
    "export": (["export", "jsonl"], lambda out: json.loads(out)["title"] == "Bamako"),
    "check": (["check"], lambda out: "OK: integrity" in out),
}

# Runs each command line given as JSON on stdin through the CLI, in one process (as a user without privileges, one process is
# cheaper than five), and prints the status, stdout and stderr of each as JSON.
DRIVER = """
import json, sys
from click.testing import CliRunner
from archiver.cli import cli
answers = [CliRunner().invoke(cli, args) for args in json.load(sys.stdin)]
print(json.dumps([[answer.exit_code, answer.stdout, answer.stderr] for answer in answers]))
"""


def archiver_as_user(*lines: list[str]) -> list[tuple[int, str, str]]:
    """Each command line run by a user without root's override of file modes: status, stdout, stderr."""
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"} | {"PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([*AS_USER, sys.executable, "-c", DRIVER], input=json.dumps(lines), cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [tuple(answer) for answer in json.loads(result.stdout)]


def commands_on(db: Path) -> list[list[str]]:
    """The command lines of COMMANDS on this archive."""
    return [[*args, "--db", str(db)] for args, _ in COMMANDS.values()]


def backup_with_its_wal(archive: Path, into: Path, work: Path) -> Path:
    """A copy of the archive as a backup taken while a writer was at it: the file and its -wal (the post retitled
    "Bamako, suite"), without the -shm."""
    shutil.copy(archive, work / "backup.db")
    writer = sqlite3.connect(work / "backup.db")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    with writer:
        writer.execute("UPDATE posts SET title = 'Bamako, suite'")
    for suffix in ("", "-wal"):
        shutil.copy(work / f"backup.db{suffix}", into / f"backup.db{suffix}")
    writer.close()
    return into / "backup.db"


@pytest.fixture(scope="module")
def folder():
    """A folder of its own (the user can write it until a test makes it read-only), holding an archive of one post."""
    path = Path(tempfile.mkdtemp(prefix="archiver-read-only-"))
    path.chmod(0o755)
    db = store.open_archive(path / "archive.db")
    run_id = store.start_run(db, [f"{BLOG}/mali/"], now=NOW)
    store.save_post(db, Post(id="101", url=f"{BLOG}/archive/2022/02/04/bamako-101.html", title="Bamako",
                             body_html="<p>Bamako au matin.</p>", body_text="Bamako au matin.",
                             categories=[Category("Mali", f"{BLOG}/mali/")]), run_id=run_id, now=NOW)
    store.finish_run(db, run_id, status="finished", counts={}, stats={}, now=NOW)
    db.close()
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder and a hash of its bytes."""
    return {file.name: hashlib.sha256(file.read_bytes()).hexdigest() for file in sorted(folder.iterdir())}


def test_an_archive_in_a_read_only_folder_is_read_as_a_snapshot_with_one_note_and_nothing_written(folder, tmp_path):
    db, backup = folder / "archive.db", backup_with_its_wal(folder / "archive.db", folder, tmp_path)
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        *answers, from_backup = archiver_as_user(*commands_on(db), ["show", "101", "--db", str(backup)])
    finally:
        folder.chmod(0o755)
    for command, (status, out, err) in zip(COMMANDS, answers, strict=True):
        assert status == 0 and COMMANDS[command][1](out), (command, out, err)
        assert err == f"Note: {db} is in a read-only folder; read as a snapshot (immutable)\n", command
    assert snapshot(folder) == before and sorted(before) == ["archive.db", "backup.db", "backup.db-wal"]  # nothing new
    # a -wal without its -shm cannot be read in such a folder: the note says its changes are not seen
    status, out, err = from_backup
    assert status == 0 and out.startswith("Bamako\n"), err
    assert err.startswith(f"Note: {backup} is in a read-only folder; read as a snapshot (immutable), without the last "
                          "changes in its -wal file (")


def test_a_read_only_archive_file_in_a_writable_folder_reads_without_a_note_and_is_left_as_it_was(folder):
    own = Path(tempfile.mkdtemp(prefix="archiver-read-only-file-"))
    try:
        shutil.copy(folder / "archive.db", own / "archive.db")
        (own / "archive.db").chmod(0o444)
        before = (own / "archive.db").read_bytes()
        for command, (status, out, err) in zip(COMMANDS, archiver_as_user(*commands_on(own / "archive.db")), strict=True):
            assert status == 0 and COMMANDS[command][1](out), (command, out, err)
            assert err == "", command
        assert (own / "archive.db").read_bytes() == before
    finally:
        shutil.rmtree(own)
