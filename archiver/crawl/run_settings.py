"""A crawl's settings: the project's, then the command line's options and `-s` overrides, checked before anything runs."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from archiver.errors import ConfigError
from archiver.extract.profiles import load_profiles
from archiver.middlewares.user_agent import user_agent_with_contact
from spiders.crawl_plan import MODES
from spiders.revalidation import FULL_CHECK_RANGE

# Lift the politeness delays for a blog served on this machine (tests, demo, benchmarks).
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "RETRY_TIMES": 1,
    "ARCHIVER_RETRY_BACKOFF": 0,
    "ARCHIVER_RETRY_AFTER_MAX": 0,
}

# The sizes --warc-size (ARCHIVER_WARC_SIZE) accepts: a number of bytes, or one with a unit (K, M, G, T: powers
# of 1024; "100M", "1.5G"), from 1 KiB (a file per page or two: for tests) to 1 TiB.
SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
WARC_SIZE_RANGE = (1024, 1024**4)

# The extraction workers' settings (archiver/crawl/extraction_worker.py): their ranges, and what each counts.
EXTRACTION_RANGES = (
    ("ARCHIVER_EXTRACTION_WORKERS", (0, 64), "the worker processes that read pages; 0: read in the crawl's process"),
    ("ARCHIVER_EXTRACTION_WORKER_AFTER", (0, 10**9), "the responses a crawl has before its workers start"),
)

# How a setting is read, by the type of its default, and what its value must then be.
READERS = {bool: ("getbool", "true or false"), int: ("getint", "a whole number"), float: ("getfloat", "a number")}


def parse_overrides(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`NAME=VALUE` strings (as `scrapy crawl -s` takes them) -> a settings dict."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"setting {pair!r} is not NAME=VALUE")
        overrides[name.strip()] = value
    return overrides


def option_overrides(pairs, *, verbose=False, interactive=False, mode=None, theme_files=(), contact=None,
                     warc_dir=None, warc_size=None) -> dict:
    """The settings `archiver crawl`'s options give: the console's (quiet, or a progress line on a
    terminal; -v: INFO, one line a request), then the `-s NAME=VALUE` pairs, then --revalidate / --full,
    --theme-file, --contact, --warc-dir and --warc-size (bytes)."""
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", "ARCHIVER_PROGRESS": interactive and not verbose}
    if verbose:
        overrides["ARCHIVER_LOG_REQUESTS"] = True
    overrides |= parse_overrides(pairs)
    named = {"ARCHIVER_CRAWL_MODE": mode, "ARCHIVER_THEME_FILES": list(theme_files), "ARCHIVER_CONTACT": contact,
             "ARCHIVER_WARC_DIR": warc_dir, "ARCHIVER_WARC_SIZE": warc_size}
    return overrides | {name: value for name, value in named.items() if value}


def parse_size(text: str) -> int:
    """"100M" -> 104857600: a number of bytes, with an optional unit (SIZE_UNITS; a trailing B or iB allowed),
    within WARC_SIZE_RANGE; ValueError saying what it accepts."""
    cleaned = str(text).strip().upper().removesuffix("IB").removesuffix("B")
    number, unit = cleaned.rstrip("KMGT"), cleaned[len(cleaned.rstrip("KMGT")):]
    low, high = WARC_SIZE_RANGE
    try:
        size = int(float(number.strip()) * SIZE_UNITS[unit])
    except (ValueError, KeyError, OverflowError):
        raise ValueError(f"{text!r} is not a size (a number of bytes, or one with K, M, G or T: 100M, 1G)") from None
    if not low <= size <= high:
        raise ValueError(f"{text!r} is outside 1K..1T (a WARC file of that size is of no use)")
    return size


def crawl_settings(db_path: str | Path, overrides: dict | None = None) -> Settings:
    """The project's settings with the archive path and the run's overrides on top; the contact (--contact,
    ARCHIVER_CONTACT) is put into USER_AGENT here, so that the settings Scrapy logs are the ones used."""
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    for name in ("DOWNLOADER_MIDDLEWARES", "EXTENSIONS"):
        leave_out_switched_off(settings, name)
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.update(overrides or {}, priority="cmdline")
    agent = user_agent_with_contact(settings["USER_AGENT"], settings.get("ARCHIVER_CONTACT"))
    settings.set("USER_AGENT", agent, priority=settings.getpriority("USER_AGENT"))
    return settings


def leave_out_switched_off(settings: Settings, name: str) -> None:
    """Drop the components the project switches off (None in archiver.settings) from the component dict `name` and
    its `_BASE`: Scrapy imports every key of both to compare them, so a component merely switched off is imported
    all the same (the cookies middleware brings tldextract and requests, the remote control aiohttp: 0.25 s of CPU
    at each crawl's start, measured with `python -X importtime`). A `-s` setting can still switch one on."""
    off = {key for key, value in settings.getdict(name).items() if value is None}
    for dict_name in (name, f"{name}_BASE"):
        kept = {key: value for key, value in settings.getdict(dict_name).items() if key not in off}
        settings.set(dict_name, kept, priority="project")


def check_settings(settings: Settings, names) -> None:
    """Refuse, before anything is touched, a setting among `names` that the crawl could not read: a
    number or a flag that is not one (judged by the type of its default), an unknown crawl mode, a
    theme file that cannot be used. Raises ConfigError (ExtractionError for a theme file)."""
    defaults = crawl_settings("-")
    for name in names:
        reader, kind = READERS.get(type(defaults.get(name)), (None, ""))
        try:
            if reader:
                getattr(settings, reader)(name)
        except ValueError:
            raise ConfigError(f"setting {name}={settings.get(name)!r} is not {kind} (default: {defaults.get(name)!r})") from None
    try:
        parse_size(settings.get("ARCHIVER_WARC_SIZE"))
    except ValueError as error:
        raise ConfigError(f"setting ARCHIVER_WARC_SIZE: {error}") from None
    low, high = FULL_CHECK_RANGE
    if not low <= settings.getint("ARCHIVER_FULL_CHECK_RUNS") <= high:
        raise ConfigError(f"setting ARCHIVER_FULL_CHECK_RUNS={settings.get('ARCHIVER_FULL_CHECK_RUNS')!r} is not "
                          f"between {low} and {high} (the runs within which --revalidate reads every post in full)")
    for name, (low, high), meaning in EXTRACTION_RANGES:
        if not low <= settings.getint(name) <= high:
            raise ConfigError(f"setting {name}={settings.get(name)!r} is not between {low} and {high} ({meaning})")
    mode = settings.get("ARCHIVER_CRAWL_MODE")
    if mode not in MODES:
        raise ConfigError(f"setting ARCHIVER_CRAWL_MODE={mode!r} is not one of {', '.join(MODES)}")
    load_profiles(settings.getlist("ARCHIVER_THEME_FILES"))


def checked_settings(db_path: str | Path, overrides: dict | None = None) -> Settings:
    """crawl_settings(), every override checked (check_settings)."""
    settings = crawl_settings(db_path, overrides)
    check_settings(settings, overrides or {})
    return settings
