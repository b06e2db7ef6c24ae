"""Check a crawl's settings before it starts: one clear line per mistake, never a traceback.

Scrapy reads most settings lazily, deep inside a component, so a bad ``-s`` value surfaces as
a traceback in the middle of a crawl ("Unhandled error in Deferred"), and a misspelt name
(``REGMIG_POLTE``) is silently ignored. ``check_settings`` reads every ``REGMIG_*`` setting
the way its component will (the type of its default in ``regmig_scraper.settings`` says how),
checks the bounds the project relies on, and the Scrapy settings the project sets; an
unknown ``REGMIG_*`` name gets a "did you mean" hint. The CLI exits 2 on any problem; the
``scrapy crawl`` path raises ``UsageError`` from the same list (``SettingsCheckAddon``).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterator
from typing import Any

PREFIX = "REGMIG_"

# Bounds a setting must respect: name -> (check, what it must be).
BOUNDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "REGMIG_MAX_PAGER_PAGE": (lambda v: v >= 1, "a whole number >= 1"),
    "REGMIG_MAX_LISTING_PAGES": (lambda v: v >= 1, "a whole number >= 1"),
    "REGMIG_MAX_CRAWL_DELAY": (lambda v: v >= 0, "a number of seconds >= 0"),
    "REGMIG_REFETCH_AGE": (lambda v: v >= 0, "a number of seconds >= 0"),
    "REGMIG_PROGRESS_INTERVAL": (lambda v: v >= 0, "a number of seconds >= 0 (0: off)"),
    "REGMIG_TEXT_MAX_CHARS": (lambda v: v >= 1, "a whole number >= 1"),
    "REGMIG_TEXT_MAX_BODY_CHARS": (lambda v: v >= 1, "a whole number >= 1"),
    "REGMIG_LANGUAGE_MIN_CONFIDENCE": (lambda v: 0 <= v <= 1, "a number from 0 to 1"),
    "REGMIG_DATES_ORDER": (lambda v: str(v).upper() in ("MDY", "DMY"), "MDY or DMY"),
    "REGMIG_DATES_MIN_YEAR": (lambda v: 1 <= v <= 9999, "a year"),
    "REGMIG_DATES_FUTURE_DAYS": (lambda v: v >= 0, "a number of days >= 0"),
}
# Scrapy settings the project sets or relies on: name -> (reader, check, what it must be).
SCRAPY_SETTINGS: dict[str, tuple[str, Callable[[Any], bool], str]] = {
    "DOWNLOAD_DELAY": ("getfloat", lambda v: v >= 0, "a number of seconds >= 0"),
    "DOWNLOAD_TIMEOUT": ("getfloat", lambda v: v > 0, "a number of seconds > 0"),
    "DNS_TIMEOUT": ("getfloat", lambda v: v > 0, "a number of seconds > 0"),
    "CONCURRENT_REQUESTS": ("getint", lambda v: v >= 1, "a whole number >= 1"),
    "CONCURRENT_REQUESTS_PER_DOMAIN": ("getint", lambda v: v >= 1, "a whole number >= 1"),
    "RETRY_TIMES": ("getint", lambda v: v >= 0, "a whole number >= 0"),
    "REDIRECT_MAX_TIMES": ("getint", lambda v: v >= 0, "a whole number >= 0"),
    "DOWNLOAD_MAXSIZE": ("getint", lambda v: v >= 0, "a number of bytes >= 0 (0: no limit)"),
    "ROBOTSTXT_OBEY": ("getbool", lambda v: True, "true or false"),
    "AUTOTHROTTLE_ENABLED": ("getbool", lambda v: True, "true or false"),
    "HTTPCACHE_ENABLED": ("getbool", lambda v: True, "true or false"),
    "LOG_LEVEL": ("get", lambda v: _is_log_level(v), "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
}


def _is_log_level(value: Any) -> bool:
    if isinstance(value, int):
        return True
    return isinstance(logging.getLevelName(str(value).upper()), int)


def _reader(default: Any) -> str:
    """The typed getter a component reads a setting of this default with."""
    if isinstance(default, bool):
        return "getbool"
    if isinstance(default, int):
        return "getint"
    if isinstance(default, float):
        return "getfloat"
    if isinstance(default, dict):
        return "getdict"
    if isinstance(default, list | tuple):
        return "getlist"
    return "get"


def project_defaults() -> dict[str, Any]:
    """Every ``REGMIG_*`` setting the project defines, with its default."""
    from regmig_scraper import settings as module

    return {name: getattr(module, name) for name in dir(module) if name.startswith(PREFIX)}


# What a value read by each getter must look like.
EXPECTED_BY_READER = {
    "getbool": "true or false",
    "getint": "a whole number",
    "getfloat": "a number",
    "getdict": "a JSON object",
    "getlist": "a list (comma-separated or JSON)",
    "get": "a string",
}


def _read(settings: Any, reader: str, name: str) -> tuple[Any, bool]:
    """The value as ``reader`` reads it, and whether it could be read."""
    try:
        return getattr(settings, reader)(name), True
    except (ValueError, TypeError):
        return None, False


def _problems(settings: Any, defaults: dict[str, Any]) -> Iterator[str]:
    for name in sorted(settings.attributes if hasattr(settings, "attributes") else settings):
        if name.startswith(PREFIX) and name not in defaults:
            hint = difflib.get_close_matches(name, list(defaults), n=1, cutoff=0.75)
            suffix = f"; did you mean {hint[0]}?" if hint else ""
            yield f"unknown setting {name}{suffix}"
    for name, default in sorted(defaults.items()):
        reader = _reader(default)
        value, readable = _read(settings, reader, name)
        bound = BOUNDS.get(name)
        if not readable:
            expected = EXPECTED_BY_READER[reader]
        elif bound is not None and value is not None and not bound[0](value):
            expected = bound[1]
        else:
            continue
        yield f"{name}={settings.get(name)!r} is not valid: expected {expected}"
    for name, (reader, check, expected) in SCRAPY_SETTINGS.items():
        if settings.get(name) is None:
            continue
        value, readable = _read(settings, reader, name)
        if not readable or not check(value):
            yield f"{name}={settings.get(name)!r} is not valid: expected {expected}"


# Refused rather than implied: the run a scheduler meant is unknown (a weekly full walk of an
# incremental schedule whose --incremental was forgotten, or a plain crawl, which walks every
# page anyway), and switching the mode on would quietly start an HTTP cache in the output.
FULL_WITHOUT_INCREMENTAL = (
    "--full (REGMIG_FULL_WALK) makes an incremental run walk every listing page: give it with "
    "--incremental (REGMIG_INCREMENTAL; a crawl without it walks every page anyway)"
)


def _combination_problems(settings: Any) -> Iterator[str]:
    """Settings that are each valid but mean nothing together."""
    try:
        full, incremental = (
            settings.getbool(n) for n in ("REGMIG_FULL_WALK", "REGMIG_INCREMENTAL")
        )
    except ValueError:
        return  # an unreadable value is reported on its own
    if full and not incremental:
        yield FULL_WITHOUT_INCREMENTAL


def check_settings(settings: Any) -> list[str]:
    """Every problem with ``settings`` (a Scrapy ``Settings``), one line each; [] when none."""
    return [*_problems(settings, project_defaults()), *_combination_problems(settings)]


class SettingsCheckAddon:
    """Refuse a ``scrapy crawl`` whose settings ``check_settings`` finds wrong (UsageError),
    before any component reads them."""

    def update_settings(self, settings: Any) -> None:
        pass

    @classmethod
    def from_crawler(cls, crawler: Any) -> SettingsCheckAddon:
        from scrapy.exceptions import UsageError

        problems = check_settings(crawler.settings)
        if problems:
            raise UsageError("; ".join(problems))
        return cls()
