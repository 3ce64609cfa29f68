"""The checks a writing command makes before it touches anything, each raising the error its exit status names.

`archiver crawl`: its start URLs, their hosts, the archive's path, the setting names; `archiver reextract`: that
the archive exists and is one.
"""

from __future__ import annotations

import difflib
import os
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.settings import default_settings as scrapy_defaults

from archiver import settings as archiver_defaults
from archiver import store
from archiver.errors import ConfigError, NotAnArchive, Unresolvable, UsageError

RESOLVER_SETTINGS = ("TWISTED_DNS_RESOLVER", "DNS_RESOLVER")  # a resolver of one's own: names we cannot check


def check_start_urls(start_urls: list[str]) -> None:
    """UsageError unless every start URL is an absolute http(s) URL with a host (and a port, if any, that is a number)."""
    for url in start_urls:
        try:
            parts = urlsplit(url.strip())
            parts.port  # noqa: B018 -- read for its ValueError: a port that is not a number
        except ValueError as error:
            raise UsageError(f"not a valid URL: {url!r} ({error})") from None
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            continue
        hint = f" (did you mean https://{url.strip().strip('/')}/ ?)" if not parts.scheme and "." in url else ""
        raise UsageError(f"not an http(s) URL: {url!r}{hint}")


def check_hosts(start_urls: list[str], settings: Settings) -> None:
    """Unresolvable when a start URL's host has no address (a typo, a blog that is gone, no network).
    Skipped when the crawl uses a DNS resolver of its own (-s TWISTED_DNS_RESOLVER=...)."""
    if any((settings.getpriority(name) or 0) >= SETTINGS_PRIORITIES["cmdline"] for name in RESOLVER_SETTINGS):
        return
    for host, port in sorted({(urlsplit(url).hostname, urlsplit(url).port or 80) for url in start_urls}):
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise Unresolvable(f"host {host} does not resolve ({getattr(error, 'strerror', None) or error}): nothing was fetched") from None


def check_archive_path(db_path: str | Path) -> None:
    """UsageError when the archive cannot live at db_path: its folder is missing or not writable, the file there
    is read-only, or it is not an archive (NotAnArchive; ArchiveError for one from a newer archiver). Nothing is
    created or changed."""
    path = Path(db_path)
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} of the archive {path} does not exist (create it first: mkdir -p {path.parent})")
    _check_writable(path)
    store.check_archive_file(path)


def check_existing_archive(db_path: str | Path) -> None:
    """NotAnArchive when there is no file at db_path, or one that is not an archive (ArchiveError for one from a
    newer archiver); UsageError when it or its folder cannot be written; nothing is created or changed."""
    if not Path(db_path).is_file():
        raise NotAnArchive(f"no archive at {db_path}")
    _check_writable(Path(db_path))
    store.check_archive_file(db_path)


def _check_writable(path: Path) -> None:
    """UsageError when the archive's folder cannot be written (its lock, SQLite's -wal and -shm live there), or the
    archive file is read-only: to this user, or to anyone (mode 444, which root would override). Checked before
    the file is read: reading it leaves the WAL's -shm beside it."""
    try:
        with tempfile.TemporaryFile(dir=path.parent, prefix=".archiver-probe-"):
            pass
    except OSError as error:
        raise UsageError(f"cannot write in the folder {path.parent} of the archive {path}: {error.strerror or error}") from None
    if not path.is_file() or (os.access(path, os.W_OK) and path.stat().st_mode & 0o222):
        return
    if path.stat().st_uid == os.geteuid() or not path.stat().st_mode & 0o222:
        raise UsageError(f"cannot write the archive {path}: the file is read-only (chmod u+w {path})")
    raise UsageError(f"cannot write the archive {path}: the file is another user's and you may not write it (ls -l {path})")


def check_setting_names(names) -> None:
    """ConfigError for a -s NAME that neither Scrapy nor the archiver knows (a typo would be ignored silently)."""
    known = {name for module in (scrapy_defaults, archiver_defaults) for name in dir(module) if name.isupper()}
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"unknown setting {name!r} (neither Scrapy nor the archiver has it){hint}")
