"""Theme profiles: selectors and markers per field, loaded from TOML files (bundled or the user's)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from archiver.errors import ExtractionError

BUNDLED_DIR = Path(__file__).parent / "profiles"
POST_FIELDS = ("title", "published", "time", "author", "body", "print_url", "categories", "tags", "comments_count")
COMMENT_FIELDS = ("item", "author", "author_url", "published", "body")
LISTING_FIELDS = ("posts", "pagination")
XPATH_PREFIX = "xpath:"


@dataclass(frozen=True)
class Profile:
    """One theme: how to recognise its pages and where each field lives."""

    name: str
    detect: tuple[str, ...]
    post: dict[str, tuple[str, ...]]
    comments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    source: str = ""

    def selectors(self, section: str, name: str) -> tuple[str, ...]:
        """The candidate selectors of one field, in order of preference."""
        return getattr(self, section).get(name, ())

    def matches(self, page: Selector) -> bool:
        """Whether a page is of this theme (every detect selector finds something)."""
        return bool(self.detect) and all(select(page, query) for query in self.detect)


def select(scope: Selector, query: str):
    """Run one selector: CSS by default, XPath when written `xpath:...`."""
    if query.startswith(XPATH_PREFIX):
        return scope.xpath(query[len(XPATH_PREFIX) :])
    return scope.css(query)


def _check_selector(query: str, where: str) -> None:
    """Raise ExtractionError when a selector does not compile."""
    try:
        if query.startswith(XPATH_PREFIX):
            Selector(text="<html/>").xpath(query[len(XPATH_PREFIX) :])
        else:
            HTMLTranslator().css_to_xpath(query)
    except Exception as error:  # noqa: BLE001 - cssselect and lxml raise many unrelated types
        raise ExtractionError(f"{where}: invalid selector {query!r}: {error}") from error


def _section(data: dict, name: str, allowed: tuple[str, ...], where: str) -> dict[str, tuple[str, ...]]:
    """Validate one [section] of a profile: known keys, lists of valid selectors."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ExtractionError(f"{where}: [{name}] must be a table")
    unknown = set(table) - set(allowed)
    if unknown:
        raise ExtractionError(f"{where}: unknown keys in [{name}]: {', '.join(sorted(unknown))}")
    section = {}
    for key, value in table.items():
        queries = [value] if isinstance(value, str) else value
        if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
            raise ExtractionError(f"{where}: [{name}] {key} must be a selector or a list of selectors")
        for query in queries:
            _check_selector(query, f"{where} [{name}] {key}")
        section[key] = tuple(queries)
    return section


def parse_profile(data: dict, source: str) -> Profile:
    """A Profile from a decoded TOML document, validated."""
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ExtractionError(f"{source}: a profile needs a name")
    detect = data.get("detect", [])
    if isinstance(detect, str):
        detect = [detect]
    for query in detect:
        _check_selector(query, f"{source} detect")
    return Profile(
        name=name,
        detect=tuple(detect),
        post=_section(data, "post", POST_FIELDS, source),
        comments=_section(data, "comments", COMMENT_FIELDS, source),
        listing=_section(data, "listing", LISTING_FIELDS, source),
        description=data.get("description", ""),
        source=source,
    )


def load_profile(path: str | Path) -> Profile:
    """Read one profile file (TOML)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ExtractionError(f"cannot read theme file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ExtractionError(f"theme file {path} is not valid TOML: {error}") from error
    return parse_profile(data, str(path))


@lru_cache(maxsize=None)
def bundled_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with the archiver, in detection order."""
    return tuple(load_profile(path) for path in sorted(BUNDLED_DIR.glob("*.toml")))


def load_profiles(extra_files: tuple[str, ...] | list[str] = (), *, bundled: bool = True) -> tuple[Profile, ...]:
    """The user's theme files first (they win detection), then the bundled profiles unless `bundled` is off
    (every page is then read by the platform's rules, and the user's files if any)."""
    return tuple(load_profile(path) for path in extra_files) + (bundled_profiles() if bundled else ())


def profiles_from_settings(settings) -> tuple[Profile, ...]:
    """The profiles a run's Scrapy settings ask for: ARCHIVER_THEME_FILES, then the bundled ones unless
    ARCHIVER_BUNDLED_PROFILES is false."""
    return load_profiles(settings.getlist("ARCHIVER_THEME_FILES"), bundled=settings.getbool("ARCHIVER_BUNDLED_PROFILES", True))


def detect_profile(page: Selector, profiles: tuple[Profile, ...]) -> Profile | None:
    """The first profile whose detection selectors all match the page, or None."""
    return next((profile for profile in profiles if profile.matches(page)), None)
