"""The short log: what ``regmig crawl`` logs at each level (``regmig_scraper.logs``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy.settings import Settings

from regmig_scraper.logs import PER_ITEM_LOGGERS, STARTUP_LOGGERS, shorten


@pytest.fixture(autouse=True)
def _restore_levels() -> Iterator[None]:
    names = (*PER_ITEM_LOGGERS, *STARTUP_LOGGERS)
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_at_info_a_per_item_debug_line_is_never_built() -> None:
    shorten(Settings({"LOG_LEVEL": "INFO"}))
    # "Scraped from <200 ...>" and "Crawled (200)": one record per item and per page
    assert not logging.getLogger("scrapy.core.scraper").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("scrapy.core.engine").isEnabledFor(logging.INFO)
    assert logging.getLogger("regmig_scraper.spiders.program").isEnabledFor(logging.INFO)
    # the configuration listings stay quiet unless they warn
    assert not logging.getLogger("scrapy.middleware").isEnabledFor(logging.INFO)


def test_at_debug_every_line_is_kept_even_after_a_crawl_at_info() -> None:
    shorten(Settings({"LOG_LEVEL": "INFO"}))
    shorten(Settings({"LOG_LEVEL": "DEBUG"}))
    # the handler's level (DEBUG) decides: no logger of ours holds a level of its own
    for name in (*PER_ITEM_LOGGERS, *STARTUP_LOGGERS):
        assert logging.getLogger(name).level == logging.NOTSET, name
