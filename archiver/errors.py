"""Errors raised by the archiver's library code; the CLI turns each into one line and a status."""


class ArchiverError(Exception):
    """Base of every error the archiver raises on purpose."""


class ArchiveError(ArchiverError):
    """Raised by `archiver.store` when the archive file cannot be opened, read or written."""


class ExtractionError(ArchiverError):
    """Raised by `archiver.extract` when a theme profile is malformed (never for messy HTML)."""


class UsageError(ArchiverError):
    """Raised by the CLI helpers for bad arguments: a bad date, a bad query, a bad setting."""


class CrawlError(ArchiverError):
    """Raised by `archiver.crawl` when a crawl cannot start or ends without fetching anything."""
