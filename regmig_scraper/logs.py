"""A short log at the default level: what a person running ``regmig crawl`` needs to read.

At INFO, Scrapy opens every crawl with some seventy lines (its version, every overridden
setting, every enabled add-on, extension, middleware and pipeline), ends it with the whole
stats dump, and logs a full traceback for a robots.txt that could not be fetched (a host that
does not resolve). The summary and ``runs/`` already hold the stats; the component lists and
the traceback are for debugging, so they stay at DEBUG (``--log-level DEBUG`` shows them all).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES

# Loggers whose INFO lines list the crawl's configuration, not what it did.
STARTUP_LOGGERS = ("scrapy.middleware", "scrapy.addons", "scrapy.crawler", "scrapy.utils.log")
# Loggers that attach a traceback to an expected network failure.
TRACEBACK_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


class NoTraceback(logging.Filter):
    """Keep a record's message, drop its traceback (it says nothing the message does not)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def shorten(settings: Any) -> None:
    """Quiet Scrapy's configuration listings and expected tracebacks unless debugging."""
    level = settings.get("LOG_LEVEL")
    if level == logging.DEBUG or str(level).upper() == "DEBUG":
        return
    if settings.getpriority("LOG_VERSIONS") <= SETTINGS_PRIORITIES["default"]:
        settings.set("LOG_VERSIONS", [], priority="project")  # the versions block
    for name in STARTUP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in TRACEBACK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, NoTraceback) for f in logger.filters):
            logger.addFilter(NoTraceback())
