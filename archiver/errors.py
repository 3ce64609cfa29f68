"""Errors raised by the archiver's library code; the CLI turns each into one line and a status."""


class ArchiverError(Exception):
    """Base of every error the archiver raises on purpose."""


class ArchiveError(ArchiverError):
    """Raised by `archiver.store` when the archive file cannot be opened, read or written."""


class ExtractionError(ArchiverError):
    """Raised by `archiver.extract` when a theme profile is malformed (never for messy HTML)."""


class UsageError(ArchiverError):
    """Raised by the CLI helpers for bad arguments: a bad date, a bad query, a bad setting."""


class NotAnArchive(ArchiveError, UsageError):
    """Raised by `archiver.store` when the file given as the archive is missing, or is not one of ours."""


class NotFound(ArchiverError):
    """Raised by the query helpers (`archiver.views.post`) when the archive has no such post."""


class CrawlError(ArchiverError):
    """Raised by `archiver.crawl.run` when a crawl cannot start or ends without fetching anything."""


class ConfigError(UsageError):
    """Raised by `archiver.crawl.run` before a crawl starts: a setting or option value it cannot use."""


class ArchiveLocked(ArchiverError):
    """Raised by `archiver.crawl.archive_lock` when another crawl holds the archive's lock (nothing was touched)."""


class Unresolvable(CrawlError):
    """Raised by `archiver.crawl.preflight` when a start URL's host does not resolve: nothing can be fetched."""


class MalformedURL(UsageError, ValueError):
    """Raised by `archiver.urls.canonical_url` for a URL it cannot read (a bad port, unbalanced brackets, a host
    no host can be); the links of fetched pages never raise it (they are skipped and counted)."""
