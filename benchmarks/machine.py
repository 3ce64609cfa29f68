"""The machine and the tools a benchmark ran with, for the head of RESULTS.md."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from benchmarks.nginx_server import nginx_version


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> str:
    """Total RAM in GB, from /proc/meminfo."""
    try:
        kilobytes = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kilobytes / 2**20:.1f} GB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def os_name() -> str:
    """The distribution's PRETTY_NAME and the kernel."""
    try:
        fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        name = fields.get("PRETTY_NAME", "").strip('"')
    except OSError:
        name = platform.system()
    return f"{name}, kernel {platform.release()}"


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def wget_version() -> str | None:
    """"1.21.3", or None when wget is not installed."""
    if not shutil.which("wget"):
        return None
    first = subprocess.run(["wget", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return first.split()[2] if len(first.split()) > 2 else first


def tool_versions() -> dict[str, str | None]:
    """wget, nginx and trafilatura: a version, or None when missing."""
    return {"wget": wget_version(), "nginx": nginx_version(), "trafilatura": package_version("trafilatura")}


def machine_lines() -> list[str]:
    """Markdown bullet lines describing the machine and the Python stack (load average read now)."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    stack = ", ".join(f"{name} {package_version(name)}" for name in ("scrapy", "lxml", "parsel", "sqlite-utils", "nh3"))
    return [f"- CPU: {cpu_model()}, {os.cpu_count()} cores; RAM {memory_gb()}",
            f"- OS: {os_name()}",
            f"- Python {platform.python_version()}; {stack}; SQLite {sqlite3.sqlite_version}",
            f"- Load average before the run (1, 5, 15 min): {load}"]
