"""The tests' fork server (tests/crawl_fork_server.py): a forked `archiver` sees the args, cwd and environment it is
given, as `python -m archiver` would, and a failure, a timeout or a dead server is reported, never hidden."""

import os
import socket
import subprocess

import pytest

from archiver import __version__
from archiver.replica import ReplicaServer

from conftest import LOCAL, fork_server, run_archiver
from crawl_fork_server import ForkServer, ForkServerError

pytestmark = pytest.mark.skipif(os.environ.get("ARCHIVER_TESTS_NO_FORK") == "1", reason="the fork server is off")


def test_a_forked_command_answers_as_python_m_archiver_would(tmp_path):
    result = run_archiver("--version", cwd=tmp_path)
    assert result.args[1:3] == ["-m", "archiver"]
    assert (result.returncode, result.stdout, result.stderr) == (0, f"python -m archiver, version {__version__}\n", "")


def test_a_forked_crawl_reads_its_cwd_its_environment_and_its_s_settings(site, tmp_path):
    with ReplicaServer(site) as server:
        result = run_archiver("crawl", server.base_url + "/relations-mali-russie/", "--db", "relative.db", "-v", *LOCAL,
                              "-s", "ARCHIVER_PROGRESS=False", cwd=tmp_path, env={"ARCHIVER_CONTACT": "fork@example.org"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "relative.db").is_file() and not (tmp_path.parent / "relative.db").exists()
    overridden = result.stderr.split("Overridden settings:", 1)[1].split("\n20", 1)[0]
    assert "(+contact: fork@example.org)" in overridden and "'AUTOTHROTTLE_ENABLED': 'False'" in overridden
    stats = run_archiver("stats", cwd=tmp_path, env={"ARCHIVER_DB": str(tmp_path / "relative.db")})
    assert stats.returncode == 0 and "Posts:       4 " in stats.stdout, stats.stdout + stats.stderr


def test_a_forked_failure_keeps_its_status_and_its_stderr(tmp_path):
    result = run_archiver("stats", "--db", "missing.db", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "Error: no archive at missing.db\n"


def test_a_forked_crawl_past_its_timeout_is_killed_and_reported_as_subprocess_run_would(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(subprocess.TimeoutExpired) as timed_out:
            run_archiver("crawl", url, "--db", str(tmp_path / "a.db"), *LOCAL, timeout=1)
    assert timed_out.value.timeout == 1 and timed_out.value.cmd[1:4] == ["-m", "archiver", "crawl"]
    assert run_archiver("--version").returncode == 0  # the server goes on serving


def test_a_dead_fork_server_is_an_error_not_a_silent_subprocess():
    server = ForkServer(fork_server().env)
    server.start()
    server.process.kill()
    server.process.wait()
    with pytest.raises(ForkServerError, match="fork server"):
        server.run(["--version"], ".", fork_server().env, 10)


def test_a_changed_interpreter_start_is_not_forked():
    server = fork_server()
    assert server.accepts(server.env | {"ARCHIVER_CONTACT": "x"})
    assert not server.accepts(server.env | {"PYTHONPATH": "/elsewhere"})
