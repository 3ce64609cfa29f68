"""Run a command as its own process and measure it: wall time, the peak RSS of the process tree's largest member,
and the peak of the SUM of the memory of the command and all its descendants, each process's proportional share
(PSS: a page two processes share counts half in each), so that a crawl that hands work to worker processes is
charged all of them at once and its shared pages once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# How often the wrapper samples the process tree's RSS (seconds).
SAMPLE_SECONDS = 0.05
# A fresh interpreter runs the command, so that RUSAGE_CHILDREN holds the command's peak RSS and nothing else
# (its largest member's, exact: the kernel's high-water mark). Beside it, every SAMPLE_SECONDS, the sum of the RSS
# of the command and its descendants (found by their parent pid in /proc/<pid>/stat; each one's resident pages in
# /proc/<pid>/smaps_rollup's Pss, /proc/<pid>/statm where the kernel has no rollup): its peak, never below the
# largest member's (a sample may miss a short peak). Pages a forked child still shares with its parent (the
# extraction worker and the forkserver it is forked from) count once in all, split between them (PSS): summing
# their RSS would count them twice. Finding the tree reads every
# /proc/<pid>/stat (~90 processes: 6 ms of the wrapper's CPU), so it is looked for again every 10th sample only
# (~1% of a core; a worker started between two looks counts from the next); a sample reads the members' rollups.
WRAPPER = """
import json, os, resource, subprocess, sys, threading, time
PAGE, EVERY, RESCAN = os.sysconf("SC_PAGE_SIZE"), float(os.environ["MEASURE_SAMPLE_SECONDS"]), 10

def parents():
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    found[int(name)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return found

def tree(root):
    parent_of, members, grew = parents(), {root}, True
    while grew:  # until no pid is added: a child's pid may be lower than its parent's
        grew = False
        for pid, parent in parent_of.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return members

def resident(pid):
    try:  # the proportional share: a page shared by k processes counts 1/k in each
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0

def rss(members):
    return sum(resident(pid) for pid in members)

started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
peak_sum, out = 0, {}
readers = [threading.Thread(target=lambda name, stream: out.__setitem__(name, stream.read()), args=pair, daemon=True)
           for pair in (("stdout", child.stdout), ("stderr", child.stderr))]
for reader in readers:
    reader.start()
samples = 0
while child.poll() is None:
    if samples % RESCAN == 0:
        members = tree(child.pid)
    peak_sum, samples = max(peak_sum, rss(members)), samples + 1
    try:
        child.wait(timeout=EVERY)  # returns as soon as the command ends: its wall time is not rounded up
    except subprocess.TimeoutExpired:
        pass
wall = time.perf_counter() - started
for reader in readers:
    reader.join()
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"wall": wall, "rss_mb": largest / 2**20, "rss_sum_mb": max(peak_sum, largest) / 2**20,
                  "exit": child.returncode, "stdout": out.get("stdout", "")[-2000:], "stderr": out.get("stderr", "")[-2000:]}))
"""


def measured(command: list[str], cwd: Path = PROJECT) -> dict:
    """{"wall" (s), "rss_mb" (the largest member's peak), "rss_sum_mb" (the peak of the tree's sum), "exit",
    "stdout", "stderr" (their tails)} of one run of `command`."""
    env = {**os.environ, "MEASURE_SAMPLE_SECONDS": str(SAMPLE_SECONDS)}
    result = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=cwd, capture_output=True, text=True,
                            check=True, env=env)
    return json.loads(result.stdout)


def python_module(module: str, *args: str) -> list[str]:
    """The command that runs `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]
