"""Scrapy settings of the archiver: polite defaults for the real blog, pipeline order, ARCHIVE_DB.

Every deviation from Scrapy's defaults says why. Each can be overridden for one run with
`archiver crawl -s NAME=VALUE` (or `scrapy crawl -s`); tests, benchmarks and the demo lift the
politeness delays for 127.0.0.1 that way.
"""

import os

from archiver import __version__

BOT_NAME = "archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Politeness for the real blog (the crawl runs unattended, for years: it must never be a burden).
# Identify ourselves: the blog's owner should know what fetches their pages, and whom to tell. A
# contact (an e-mail address or a web page), given with --contact, ARCHIVER_CONTACT in the
# environment or -s ARCHIVER_CONTACT=..., replaces the placeholder (archiver.middlewares.user_agent);
# -s USER_AGENT=... replaces the whole agent.
USER_AGENT = f"blog-archiver/{__version__} (+contact: set ARCHIVER_CONTACT or -s USER_AGENT=...)"
ARCHIVER_CONTACT = os.environ.get("ARCHIVER_CONTACT", "")
# Ask robots.txt first and do what it says (Scrapy's own default is False).
ROBOTSTXT_OBEY = True
# At most 2 requests at a time to the blog (Scrapy: 8 per host, 16 in all), a second apart at first
# (Scrapy: no delay); AutoThrottle (Scrapy: off) then aims at 1 request in flight, and waits longer,
# up to a minute, while the blog answers slowly. Never faster than DOWNLOAD_DELAY.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# What one page yields (a post and its page's record, or a listing's ~20 requests) goes through the spider
# middlewares and pipelines 16 at a time (Scrapy: 100). Scrapy starts that many asyncio tasks for EVERY response,
# whatever it yields: at 100, creating and scheduling them was 7% of the crawl's main thread (py-spy, 1,000-post
# replica). 1,000-post replica, nginx, `farm-bench -n 3 --vs` (loaded 2-core machine): 20.7 s of CPU against
# 22.8 s (0.83x pair by pair). A post's images still download while its page's record is stored.
CONCURRENT_ITEMS = 16
# Give up on a page after 30 s (Scrapy: 180 s): the blog answers in well under a second, and a page that
# hangs should cost one retry, not three minutes.
DOWNLOAD_TIMEOUT = 30
# A failed page is tried twice more (Scrapy's default, written out because the backoff below and the
# `attempts` of crawl_failures count on it): after a timeout, a reset or cut connection, a body shorter
# than its Content-Length, or one of these answers. Scrapy's own list, written out for the same reason:
# 5xx and 408 are the host's passing troubles (522 and 524 a CDN's), 429 asks us to slow down.
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy retries at once; we wait before each retry (archiver.middlewares.retry_backoff): ARCHIVER_RETRY_BACKOFF seconds,
# doubled per retry, at most ARCHIVER_RETRY_BACKOFF_MAX, so a host that stumbles gets time to recover;
# after a 429 or 503 with Retry-After, as long as the blog asks, up to ARCHIVER_RETRY_AFTER_MAX (a
# longer wait is cut there, and the retry may then fail and be recorded).
ARCHIVER_RETRY_BACKOFF = 1.0
ARCHIVER_RETRY_BACKOFF_MAX = 30.0
ARCHIVER_RETRY_AFTER_MAX = 120.0
# A blog page is rarely over 1 MB, and reading one costs the crawl about 20 times its size in memory at
# its peak (a 5 MB post: 96 MB -> 193 MB; tests/test_faults_memory.py). Scrapy's limit, 1 GB an answer,
# would let one hostile answer exhaust the machine; at 16 MB a page costs ~350 MB more at most. A bigger answer
# is cancelled, not retried, and recorded as a download failure.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

# A blog needs no cookies (the middleware is not even loaded: it brings tldextract and requests), and nobody
# should telnet into a cron job, nor drive one through Scrapy's remote-control HTTP server (a localhost server
# that runs code, behind a token it writes under ~/.local/state/scrapy/job_files/): both are off, and the
# remote control's module (aiohttp) is never imported. Together 0.2 s of every crawl's 1.4 s start.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Scrapy drops an off-site request (a start URL redirected to another host) at scheduling, unreported;
# filtered when it is downloaded instead, it reaches the spider's errback and the crawl's summary.
# The User-Agent middleware is ours to put the contact in (archiver.middlewares.user_agent), at Scrapy's place.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "archiver.middlewares.refused_requests.OffsiteAtDownload": 50,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "archiver.middlewares.user_agent.ContactUserAgent": 500,
    "archiver.middlewares.retry_backoff.RetryBackoff": 560,  # after RetryMiddleware (550): it sees each answer before it
    # Each answer's HTTP exchange as received (headers, protocol, request headers, time) for the archive's WARC
    # records: after HttpCompressionMiddleware (590), so it sees `Content-Encoding: gzip` before the body is inflated.
    "archiver.middlewares.http_exchanges.HttpExchanges": 595,
    "archiver.middlewares.redirect_loops.RedirectLoops": 610,  # after RedirectMiddleware (600): a loop is recorded, not dropped
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
}
# Two of Scrapy's spider middlewares do nothing for this crawl but wrap every request and item a page yields in one
# more async generator (1,000-post replica, `farm-bench -n 3 --vs`: 21.0 s of CPU against 22.9 s, 0.90x pair by pair):
# DepthMiddleware (no DEPTH_LIMIT: it only counts depths in the stats) and
# MetaCopyDetectionMiddleware (a warning for spiders that copy response.meta into new requests; ours never do).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# A <meta http-equiv=refresh> is page content, not the server's answer: never followed (Scrapy follows one in
# a page's first 4,096 characters, a post's body included; the page would be lost for the one it points to).
METAREFRESH_ENABLED = False
# A live progress line (pages, posts, rate) on stderr, redrawn every ARCHIVER_PROGRESS_SECONDS: the
# CLI turns it on when stderr is a terminal, and off under cron (quiet: warnings and the summary).
EXTENSIONS = {"archiver.extensions.progress.ProgressLine": 600, "scrapy.extensions.remote_control.RemoteControl": None,
              "archiver.extensions.warc_capture.WarcCapture": 700}
ARCHIVER_PROGRESS = False
ARCHIVER_PROGRESS_SECONDS = 0.5
# A capture of the crawl as web archivists keep one (archiver.extensions.warc_capture, off when empty; the CLI's
# --warc-dir and --warc-size): every response written as it arrives into WARC files in this folder, a new file
# once one passes ARCHIVER_WARC_SIZE (bytes, or "100M", "1G": archiver.crawl.run_settings.parse_size; 1 GiB, as
# Heritrix rolls its files).
ARCHIVER_WARC_DIR = ""
ARCHIVER_WARC_SIZE = "1G"

ITEM_PIPELINES = {
    "archiver.pipelines.validate.Validate": 100,
    "archiver.pipelines.clean.Clean": 200,
    "archiver.pipelines.deduplicate.Deduplicate": 300,
    "archiver.pipelines.media.PostMedia": 800,  # after Clean (it reads the sanitised body), before Store (which saves post.media)
    "archiver.pipelines.storage.Store": 900,
}
# Media for offline reading (archiver.pipelines.media, Scrapy's FilesPipeline): the images of each post's body are
# downloaded into a folder next to the archive (ARCHIVE.db -> ARCHIVE-media/, or ARCHIVER_MEDIA_STORE), under
# content-addressed names (full/<sha1 of the URL>.<ext>). Only from the blog's own host (and its www. twin) and
# the hosts listed here: by default the platform's image host, where real notes keep pictures
# (http://size.blogspirit.net/<blog host>/www/773/media/00/01/2752630820.png, the README's "Media"), and its
# static hosts (our assumption for its shared files). Any other host is opt-in:
# -s ARCHIVER_MEDIA_HOSTS=size.blogspirit.net,images.example.org. A failed image never fails its post.
ARCHIVER_MEDIA = True
ARCHIVER_MEDIA_STORE = ""
ARCHIVER_MEDIA_HOSTS = ["size.blogspirit.net", "static.hautetfort.com", "static.blogspirit.com"]
# A file already in the media folder is not fetched again for this many days (Scrapy's default: 90): images
# of a blog's posts do not change under the same URL.
FILES_EXPIRES = 365

# The archive: a SQLite file (the CLI's --db and ARCHIVER_DB override it).
ARCHIVE_DB = "data/archive.db"
# Writes are grouped: a batch is one transaction, flushed at this size or this age (seconds), or once its pages hold
# 4 MB of bodies (archiver.store.writer.BATCH_BYTES).
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
# Pages are read (extraction) by ARCHIVER_EXTRACTION_WORKERS worker processes, on the cores the crawl's own process
# leaves idle (0: in the crawl's process; archiver/crawl/extraction_worker.py has the measurement), started once the
# crawl has had ARCHIVER_EXTRACTION_WORKER_AFTER responses (a small crawl is done before a worker would pay).
ARCHIVER_EXTRACTION_WORKERS = 1
ARCHIVER_EXTRACTION_WORKER_AFTER = 200
# What a crawl fetches: "incremental" (feeds, then each listing until a page of known posts; new and
# updated posts only), "revalidate" (the month archives' entries compared with the archive; the posts whose
# entry shows a change, that left their listings, or whose turn of the full check came) or "full".
# The CLI's --revalidate and --full set it.
ARCHIVER_CRAWL_MODE = "incremental"
# --revalidate's rolling full check: each run also asks ceil(K/N) of the K archived posts (those read longest
# ago), so that every post, the text a listing cuts at "Lire la suite" included, is read at least once every N
# runs: weekly runs, within 8 weeks. 1: every post every run. From 1 to 1000.
ARCHIVER_FULL_CHECK_RUNS = 8
# Extra theme profiles (TOML files) tried before the bundled ones.
ARCHIVER_THEME_FILES = []
# The bundled theme profiles (archiver/extract/profiles/*.toml) read the pages of the themes they know; false
# switches them off: every page is then read by the platform's rules (what its pages say in words), and by
# ARCHIVER_THEME_FILES if any. Honoured by the crawl, `inspect` and `reextract` (-s ARCHIVER_BUNDLED_PROFILES=false).
ARCHIVER_BUNDLED_PROFILES = True

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
# Dropped posts are logged with their reason, not their whole body; with ARCHIVER_LOG_REQUESTS (set by
# `archiver crawl -v`), each answer's "Crawled (200) <GET url>" line is logged at INFO (Scrapy: DEBUG, among
# every item's repr), so -v shows one line a request; -s LOG_LEVEL=DEBUG still shows all of Scrapy's.
LOG_FORMATTER = "archiver.logformatter.ArchiverLogFormatter"
ARCHIVER_LOG_REQUESTS = False
