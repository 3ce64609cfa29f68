"""Run a command as its own process and measure it: wall time and the peak RSS of the process tree's largest member."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# A fresh interpreter runs the command, so that RUSAGE_CHILDREN holds the command's peak RSS and nothing else.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
child = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_mb": rss / 1024, "exit": child.returncode,
                  "stdout": child.stdout[-2000:], "stderr": child.stderr[-2000:]}))
"""


def measured(command: list[str], cwd: Path = PROJECT) -> dict:
    """{"wall" (s), "rss_mb", "exit", "stdout", "stderr" (their tails)} of one run of `command`."""
    result = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=cwd, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def python_module(module: str, *args: str) -> list[str]:
    """The command that runs `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]
