"""What a writing command refuses before it touches anything, in one line and with the status the README gives:
a read-only archive file (2), a --log-file in a folder that does not exist (7, as --db's missing folder is 2)."""

from __future__ import annotations

import pytest

from archiver import store
from archiver.crawl.outcomes import EXIT_CONFIG, EXIT_USAGE
from conftest import LOCAL, run_archiver


@pytest.fixture
def read_only_archive(tmp_path):
    """An archive of mode 444 (read-only even to root, who would override it otherwise) in a writable folder."""
    path = tmp_path / "x.db"
    store.open_archive(path).close()
    path.chmod(0o444)
    return path


@pytest.mark.parametrize("command", [["crawl", "http://127.0.0.1:9/", *LOCAL], ["reextract"]])
def test_a_read_only_archive_file_is_one_error_line_and_status_2_before_anything_is_written(read_only_archive, command):
    before = read_only_archive.read_bytes()
    result = run_archiver(*command, "--db", str(read_only_archive))
    assert (result.returncode, result.stdout) == (EXIT_USAGE, "")
    assert result.stderr == (f"Error: cannot write the archive {read_only_archive}: the file is read-only "
                             f"(chmod u+w {read_only_archive})\n")  # one line: no Python warning, no traceback
    assert read_only_archive.read_bytes() == before
    assert sorted(file.name for file in read_only_archive.parent.iterdir()) == ["x.db"]  # no lock, no -wal, no log


def test_a_log_file_in_a_missing_folder_is_refused_with_the_mkdir_hint_and_status_7(tmp_path):
    log = tmp_path / "missing" / "crawl.log"
    result = run_archiver("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--log-file", str(log), *LOCAL)
    assert (result.returncode, result.stdout) == (EXIT_CONFIG, "")
    assert result.stderr == (f"Configuration error: the folder {log.parent} of the log file {log} does not exist "
                             f"(create it first: mkdir -p {log.parent})\n")
    assert list(tmp_path.iterdir()) == []
