"""A crawl's --log-file: Scrapy's log at INFO, then the summary and the outcome's line, appended."""

from __future__ import annotations

import logging
from pathlib import Path

from archiver.errors import ArchiverError, ConfigError
from archiver.crawl.outcomes import error_outcome

# Scrapy's own LOG_FORMAT and LOG_DATEFORMAT, so that the file reads like a Scrapy log.
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class LogFile:
    """Append to `path` (when given) everything logged at INFO or above while it is open; a context manager.
    Its folder must exist (ConfigError, as for a file that cannot be written: status 7).

    `write()` appends a text (the summary) to the file only: stdout and stderr have their own copy.
    An ArchiverError that ends the `with` block (a locked archive, a bad setting) is written too.
    """

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self.handler: logging.Handler | None = None

    def __enter__(self) -> LogFile:
        if self.path is None:
            return self
        folder = self.path.parent
        if not folder.exists():  # as for --db: a typo in a path is not a reason to make folders
            raise ConfigError(f"the folder {folder} of the log file {self.path} does not exist (create it first: mkdir -p {folder})")
        try:
            self.handler = logging.FileHandler(self.path, mode="a", encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot append to the log file {self.path}: {error.strerror or error}") from error
        self.handler.setLevel(logging.INFO)
        self.handler.setFormatter(logging.Formatter(LOG_FORMAT, DATE_FORMAT))
        logging.root.addHandler(self.handler)
        return self

    def write(self, text: str, level: int = logging.INFO) -> None:
        """Append `text` to the file, one log record per line (nothing when there is no file)."""
        if self.handler is None:
            return
        for line in text.splitlines():
            self.handler.handle(logging.LogRecord("archiver", level, __file__, 0, line, None, None))

    def __exit__(self, kind, error, traceback) -> None:
        if self.handler is None:
            return
        if isinstance(error, ArchiverError):
            self.write(f"{error_outcome(error).prefix}: {error}", logging.ERROR)
        logging.root.removeHandler(self.handler)
        self.handler.close()
        self.handler = None
