"""Scrapy settings of the archiver: polite defaults for the real blog, pipeline order, ARCHIVE_DB.

Every deviation from Scrapy's defaults says why. Tests, benchmarks and the demo lift the
politeness delays for 127.0.0.1 with `-s NAME=VALUE`.
"""

BOT_NAME = "archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves; the blog's owner should know what is archiving it.
USER_AGENT = "blog-archiver/0.1 (offline archive of this blog for its readers)"
ROBOTSTXT_OBEY = True

# Politeness for the real blog: one request at a time, a second apart, slower if it struggles.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2

# A blog needs no cookies, and nobody should telnet into a cron job.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Scrapy drops an off-site request (a start URL redirected to another host) at scheduling, unreported;
# filtered when it is downloaded instead, it reaches the spider's errback and the crawl's summary.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "archiver.refusals.OffsiteAtDownload": 50,
}

ITEM_PIPELINES = {
    "archiver.checks.Validate": 100,
    "archiver.checks.Clean": 200,
    "archiver.checks.Deduplicate": 300,
    "archiver.pipelines.Store": 900,
}

# The archive: a SQLite file (the CLI's --db and ARCHIVER_DB override it).
ARCHIVE_DB = "data/archive.db"
# Writes are grouped: a batch is one transaction, flushed at this size or this age (seconds).
ARCHIVE_BATCH_SIZE = 50
ARCHIVE_BATCH_SECONDS = 5.0
# Another writer (a second crawl, `reextract`, sqlite-utils) may hold the archive's write lock: a
# transaction waits this long for it (SQLite's busy timeout, seconds) rather than failing at once.
# The crawl is paused while it waits (SQLite blocks Scrapy's reactor), so keep it well under
# DOWNLOAD_TIMEOUT.
ARCHIVE_BUSY_TIMEOUT = 10.0
# A transaction that still fails (locked, busy, I/O error) is tried this many times in all, after
# ARCHIVE_WRITE_BACKOFF seconds, doubled each time; then the crawl stops, its run marked "failed"
# and what it could not write counted. Worst case with these values: 3 x 10 s + 1 s + 2 s.
ARCHIVE_WRITE_ATTEMPTS = 3
ARCHIVE_WRITE_BACKOFF = 1.0
# Loop protection: the most listing pages followed for one category or month (beyond its first);
# a listing cut there is reported (a "truncated" failure) and the crawl exits 4.
ARCHIVER_MAX_LISTING_PAGES = 500
# What a crawl fetches: "incremental" (feeds, then each listing until a page of known posts; new and
# updated posts only), "revalidate" (also a conditional request for every archived post) or "full".
# The CLI's --revalidate and --full set it.
ARCHIVER_CRAWL_MODE = "incremental"
# Extra theme profiles (TOML files) tried before the bundled ones.
ARCHIVER_THEME_FILES = []

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
# Dropped posts are logged with their reason, not their whole body.
LOG_FORMATTER = "archiver.logformatter.ArchiverLogFormatter"
