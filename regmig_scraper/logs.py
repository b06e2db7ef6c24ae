"""A short log at the default level: what a person running ``regmig crawl`` needs to read.

At INFO, Scrapy opens every crawl with some seventy lines (its version, every overridden
setting, every enabled add-on, extension, middleware and pipeline), ends it with the whole
stats dump, and logs a full traceback for a robots.txt that could not be fetched (a host that
does not resolve). The summary and ``runs/`` already hold the stats; the component lists and
the traceback are for debugging, so they stay at DEBUG (``--log-level DEBUG`` shows them all).
Scrapy also builds a record for each item's and page's DEBUG line ("Scraped from ...",
"Crawled (200) ...") that its handler then drops; above DEBUG, the loggers' own level drops
them before they are built (some 60,000 records in a 5,000-publication crawl).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES

# Loggers whose INFO lines list the crawl's configuration, not what it did.
STARTUP_LOGGERS = ("scrapy.middleware", "scrapy.addons", "scrapy.crawler", "scrapy.utils.log")
# Loggers whose DEBUG lines come one per item or page ("Scraped from", "Crawled (200)"): a
# handler's level drops them only after each record is built, the logger's own level before.
PER_ITEM_LOGGERS = ("scrapy", "regmig_scraper", "pipelines")
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
        for name in (*PER_ITEM_LOGGERS, *STARTUP_LOGGERS):
            logging.getLogger(name).setLevel(logging.NOTSET)  # an earlier crawl's levels go
        return
    if settings.getpriority("LOG_VERSIONS") <= SETTINGS_PRIORITIES["default"]:
        settings.set("LOG_VERSIONS", [], priority="project")  # the versions block
    for name in PER_ITEM_LOGGERS:
        logging.getLogger(name).setLevel(level)
    for name in STARTUP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in TRACEBACK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, NoTraceback) for f in logger.filters):
            logger.addFilter(NoTraceback())
