"""The tests' fork server: `archiver ARGS...` forked from a process that has already imported Scrapy and the archiver.

This is the one place where the suite trades a fresh interpreter for time. Each `run_archiver` of tests/conftest.py
used to start `python -m archiver`: about 0.9 s wall and 0.65 s of CPU importing Scrapy, Twisted, sqlite-utils and
the archiver (`python -X importtime`) before 0.1-2 s of real work, some 150 times a suite, on 2 cores. Here one
server per pytest worker imports all that once, installs no reactor, starts no thread, opens no SQLite file, and
for each request forks a child that becomes what `python -m archiver ARGS` would be:

- os.environ is exactly the caller's env, the cwd is the caller's cwd (and sys.path[0], as `-m` puts it there),
  stdin is /dev/null, stdout and stderr go to files the server reads back, signal handlers are a fresh
  Python's (SIGINT raises KeyboardInterrupt, SIGPIPE and SIGXFSZ ignored, the rest default);
- what a module read from the environment or the cwd when it was imported is read again: archiver.settings
  (ARCHIVER_CONTACT) is reloaded in place; tempfile forgets its cached folder (TMPDIR). Everything else the
  archiver, Scrapy (SCRAPY_SETTINGS_MODULE, scrapy.cfg: the CLI builds its Settings itself), click (ARCHIVER_DB,
  --contact's envvar), HOME and XDG paths reads at call time, in the child;
- archiver/__main__.py runs as `-m` runs it (runpy, `__main__` with __package__ "archiver", so click names the
  program as it does then); the status is Python's: SystemExit's code, 1 and the traceback for an exception,
  killed by SIGINT for an uncaught KeyboardInterrupt; then, as the interpreter does at exit, non-daemon threads
  are joined, atexit handlers run, stdout and stderr are flushed, and the child os._exit()s.

What a fork cannot redo is the interpreter's own start: a request whose interpreter start-up variables (PYTHON*,
LANG, LC_*) differ from the server's is run by run_archiver as a plain subprocess (it says which in its
docstring). A server that dies or answers garbage makes run_archiver raise ForkServerError: never a silent
fallback. ARCHIVER_TESTS_NO_FORK=1 turns the server off (every call a plain subprocess, as before).

Measured on the project's 2-core machine, shared with other suites at the time (load average 3-5.6), with
`/usr/bin/time` around the whole suite (`pytest -n 2 -p no:randomly`), 323 run_archiver calls (139 crawls):
with the fork server 346 s wall / 430 s CPU, then 460 s / 452 s; with ARCHIVER_TESTS_NO_FORK=1 505 s / 540 s
(the brief's figures before: 375-395 s / ~630 s). About 100 s of CPU saved, a sixth; wall time too noisy here
to claim more than that. `archiver --version` answers in 0.025 s forked, ~0.9 s started afresh; the server
starts in ~1 s per worker.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# The variables the interpreter reads when it starts (a fork inherits what the server's start made of them).
STARTUP_PREFIXES = ("PYTHON", "LC_")
STARTUP_NAMES = ("LANG", "LANGUAGE")

# Modules that read os.environ when imported: re-executed in each child, in place (importers keep the module).
READ_ENV_AT_IMPORT = ("archiver.settings",)


class ForkServerError(RuntimeError):
    """The fork server died or answered something that is not an answer."""


# --- the wire: one pickled object per message, length first -------------------------------------------------

def send(sock: socket.socket, message) -> None:
    data = pickle.dumps(message)
    sock.sendall(struct.pack("!Q", len(data)) + data)


def receive(sock: socket.socket):
    """The next message, or None at end of stream."""
    header = receive_exactly(sock, 8)
    if header is None:
        return None
    (size,) = struct.unpack("!Q", header)
    data = receive_exactly(sock, size)
    if data is None:
        raise EOFError(f"message cut short ({size} bytes announced)")
    return pickle.loads(data)


def receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def startup_variables(env: dict) -> dict:
    return {key: value for key, value in env.items() if key.startswith(STARTUP_PREFIXES) or key in STARTUP_NAMES}


# --- the client, in the pytest worker -----------------------------------------------------------------------

class ForkServer:
    """One server process, started by the first run(); run() answers as subprocess.run(capture_output=True, text=True)."""

    def __init__(self, env: dict):
        self.env = dict(env)
        self.process: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.log = None

    def accepts(self, env: dict) -> bool:
        """Whether a fork of this server starts as a fresh interpreter would with `env`."""
        return startup_variables(env) == startup_variables(self.env)

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, __file__, str(theirs.fileno())], cwd=PROJECT, env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
                                        pass_fds=[theirs.fileno()])
        theirs.close()
        self.sock = ours
        ready = self.answer()
        if ready != "ready":
            raise ForkServerError(f"the fork server started with {ready!r} instead of 'ready'{self.log_tail()}")

    def run(self, args: list[str], cwd, env: dict, timeout: float | None) -> subprocess.CompletedProcess:
        if self.process is None:
            self.start()
        command = [sys.executable, "-m", "archiver", *args]
        try:
            send(self.sock, {"args": list(args), "cwd": str(cwd), "env": dict(env), "timeout": timeout})
        except OSError as error:
            raise ForkServerError(f"the fork server cannot be reached ({error}){self.log_tail()}") from error
        answer = self.answer()
        if not (isinstance(answer, dict) and {"returncode", "stdout", "stderr", "timed_out"} <= answer.keys()):
            raise ForkServerError(f"the fork server answered {answer!r:.200} to `archiver {' '.join(args)}`{self.log_tail()}")
        stdout, stderr = as_text(answer["stdout"]), as_text(answer["stderr"])
        if answer["timed_out"]:
            raise subprocess.TimeoutExpired(command, timeout, output=stdout, stderr=stderr)
        return subprocess.CompletedProcess(command, answer["returncode"], stdout, stderr)

    def answer(self):
        try:
            answer = receive(self.sock)
        except (OSError, EOFError, pickle.UnpicklingError) as error:
            raise ForkServerError(f"the fork server's answer could not be read ({error}){self.log_tail()}") from error
        if answer is None:
            status = self.process.wait(timeout=10)
            raise ForkServerError(f"the fork server ended (status {status}) without answering{self.log_tail()}")
        return answer

    def log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")[-3000:]
        return f"; its stderr:\n{text}" if text else ""

    def stop(self) -> None:
        """Close the socket (the server ends at its end) and wait for the server."""
        if self.process is not None:
            self.sock.close()
            self.process.wait(timeout=30)
            self.process = None


def as_text(data: bytes) -> str:
    """What subprocess.run(text=True) makes of a stream: the locale's encoding, universal newlines."""
    import io
    import locale

    return io.TextIOWrapper(io.BytesIO(data), encoding=locale.getpreferredencoding(False)).read()


# --- the server ----------------------------------------------------------------------------------------------

def preload() -> list[str]:
    """Import what every archiver command imports: the archiver, the spiders, the components the crawl's
    settings name (the project's and Scrapy's), never the reactor. Returns the modules that refused to import."""
    import importlib
    import pkgutil

    import archiver
    import spiders

    refused = []
    for package in (archiver, spiders):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if module.name != "archiver.__main__":
                try:
                    importlib.import_module(module.name)
                except Exception as error:  # noqa: BLE001 - a module a crawl would not import either
                    refused.append(f"{module.name}: {error}")
    from scrapy.crawler import CrawlerProcess  # noqa: F401
    from scrapy.utils.misc import load_object

    from archiver.crawl.run_settings import crawl_settings

    settings = crawl_settings("-")
    for name, value in settings.items():
        paths = settings.getdict(name).keys() if name.endswith(("MIDDLEWARES", "MIDDLEWARES_BASE", "EXTENSIONS",
                                                                 "EXTENSIONS_BASE", "PIPELINES", "HANDLERS_BASE",
                                                                 "HANDLERS")) else [value]
        for path in paths:
            if isinstance(path, str) and path.startswith(("scrapy.", "archiver.", "spiders.")) and " " not in path:
                try:
                    load_object(path)
                except Exception as error:  # noqa: BLE001
                    refused.append(f"{path}: {error}")
                if "twisted.internet.reactor" in sys.modules:
                    raise SystemExit(f"importing {path} installed a reactor: the fork server cannot preload it")
    return refused


def check_fork_safe() -> None:
    """Refuse to serve from a process a fork would copy badly: a reactor, a thread, an event loop, an open archive."""
    import asyncio
    import gc
    import sqlite3

    problems = []
    if "twisted.internet.reactor" in sys.modules:
        problems.append("a Twisted reactor is installed")
    if threading.active_count() != 1:
        problems.append(f"{threading.active_count()} threads run")
    policy = asyncio.events._event_loop_policy
    if policy is not None and getattr(policy._local, "_loop", None) is not None:
        problems.append("an asyncio event loop exists")
    if any(isinstance(thing, sqlite3.Connection) for thing in gc.get_objects()):
        problems.append("a SQLite connection is open")
    if problems:
        raise SystemExit("the fork server is not fork-safe: " + "; ".join(problems))


def serve(fd: int) -> None:
    sys.path[0] = os.getcwd()  # as `python -m archiver` run from here has it (not this file's folder)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops pytest, which closes the socket: the server ends then
    refused = preload()
    check_fork_safe()
    sock = socket.socket(fileno=fd)
    send(sock, "ready")
    if refused:
        print("modules not preloaded:", *refused, sep="\n  ", file=sys.stderr, flush=True)
    folder = tempfile.mkdtemp(prefix="fork-server-")
    try:
        while (request := receive(sock)) is not None:
            send(sock, handle(request, sock, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def handle(request: dict, sock: socket.socket, folder: str) -> dict:
    """Fork a child for the request, wait for it, answer what it printed and its status. (Plain files in a
    folder made by mkdtemp: a TemporaryDirectory's finalizer would run in the child's atexit, and remove them.)"""
    out, err = Path(folder, "stdout"), Path(folder, "stderr")
    for path in (out, err):
        path.write_bytes(b"")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        child(request, sock, out, err)  # never returns
    returncode, timed_out = wait(pid, request["timeout"])
    return {"returncode": returncode, "timed_out": timed_out, "stdout": out.read_bytes(), "stderr": err.read_bytes()}


def wait(pid: int, timeout: float | None) -> tuple[int, bool]:
    """The child's status as subprocess reports it (-N: killed by signal N), and whether it outlived the timeout
    (then it is killed, as subprocess.run kills it)."""
    import select

    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), timed_out


def child(request: dict, sock: socket.socket, out: Path, err: Path) -> None:
    try:
        sock.close()
        for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, out, os.O_WRONLY), (2, err, os.O_WRONLY)):
            opened = os.open(path, flags)
            os.dup2(opened, fd)
            os.close(opened)
        fresh_signal_handlers()
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.path[0] = os.getcwd()
        tempfile.tempdir = None
        import importlib

        for name in READ_ENV_AT_IMPORT:
            importlib.reload(sys.modules[name])
        sys.argv = ["archiver", *request["args"]]
    except BaseException:  # noqa: BLE001 - the child must never return into the server's loop
        import traceback

        traceback.print_exc()
        os.write(2, b"fork server: the child could not be set up\n")
        os._exit(70)
    os._exit(run_main())


def fresh_signal_handlers() -> None:
    """The handlers a new interpreter starts with."""
    special = {signal.SIGINT: signal.default_int_handler, signal.SIGPIPE: signal.SIG_IGN, signal.SIGXFSZ: signal.SIG_IGN}
    for number in signal.valid_signals():
        if number in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            signal.signal(number, special.get(number, signal.SIG_DFL))
        except (OSError, ValueError):
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def run_main() -> int:
    """Run archiver/__main__.py as `python -m archiver` does; the exit status Python would give."""
    import atexit
    import runpy
    import traceback

    interrupted = False
    try:
        runpy.run_module("archiver", run_name="__main__", alter_sys=True)
        status = 0
    except SystemExit as exit_:
        status = exit_status(exit_.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        status, interrupted = 1, True
    except BaseException:  # noqa: BLE001 - as the interpreter: the traceback, status 1
        traceback.print_exc()
        status = 1
    threading._shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - as the interpreter: a stream that cannot be flushed is status 120
            status = 120
    if interrupted:  # an uncaught KeyboardInterrupt: Python ends by SIGINT (status -2 to its parent)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return status


def exit_status(code) -> int:
    """SystemExit's code as the interpreter turns it into a status (a text is printed on stderr, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    serve(int(sys.argv[1]))
