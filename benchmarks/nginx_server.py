"""nginx (Debian's) serving a rewritten replica on 127.0.0.1: a generated config in a temporary folder, requests
counted from its access log (one line per request). Used by the benchmark when `nginx` is on PATH."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """daemon off;
worker_processes 2;
{user}pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format counted '$status $request_uri';
    access_log {dir}/access.log counted;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    types {{ text/html html; application/atom+xml xml; application/rss+xml rss; text/plain txt;
             application/json json; text/css css; image/gif gif; image/jpeg jpg; image/png png; }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on; tcp_nopush on;
    keepalive_timeout 65; keepalive_requests 100000;
    etag on;
    if_modified_since before;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        location ~ "/[_.]" {{ return 404; }}
{overrides}
    }}
}}
"""


def nginx_version() -> str | None:
    """"nginx/1.22.1", or None when nginx is not installed."""
    if not shutil.which("nginx"):
        return None
    result = subprocess.run(["nginx", "-v"], capture_output=True, text=True)
    return (result.stderr or result.stdout).strip().rsplit(" ", 1)[-1]


def nginx_config(folder: Path, root: Path, port: int, overrides: dict[str, int]) -> str:
    """The nginx.conf text: `root` on 127.0.0.1:`port`, hidden files 404, each override path its status."""
    rules = "\n".join(f'        location = "{path}" {{ return {status}; }}' for path, status in sorted(overrides.items()))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read files in a 0700 temp folder
    return CONFIG.format(dir=folder, root=root, port=port, overrides=rules, user=user)


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    """Return once something accepts connections on 127.0.0.1:port; RuntimeError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


class NginxServer:
    """nginx in the foreground as a child process; `requests` is the access log's line count; a context manager."""

    def __init__(self, root: Path, port: int, overrides: dict[str, int] | None = None):
        self.root, self.port, self.overrides = Path(root).resolve(), port, overrides or {}
        self.name = f"nginx ({nginx_version()}, 2 workers, etag on)"
        self.folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.process: subprocess.Popen | None = None

    @property
    def requests(self) -> int:
        """Requests answered so far (lines of the access log)."""
        log = self.folder / "access.log"
        with log.open("rb") as lines:
            return sum(1 for _ in lines)

    def __enter__(self) -> "NginxServer":
        config = self.folder / "nginx.conf"
        config.write_text(nginx_config(self.folder, self.root, self.port, self.overrides))
        (self.folder / "access.log").touch()
        self.process = subprocess.Popen(["nginx", "-p", str(self.folder), "-c", str(config), "-e",
                                         str(self.folder / "error.log")], stderr=subprocess.PIPE)
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
